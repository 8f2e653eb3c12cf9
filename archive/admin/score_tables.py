"""The admin's tables of the evaluation, declared as ``AdminTable``s: scoring periods
(with their criteria) and score records. The rules are ``districts.operations``."""
from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..core.refusal import Refused
from ..districts.forms import PeriodForm, RecordForm
from ..districts.operations import periods as period_ops
from ..districts.operations.periods import CriterionInput
from ..districts.operations.plan import RawRow, plan_rows
from ..districts.operations.records import apply_plan, delete_record
from ..extensions import db
from ..models import Kecamatan, ScorePeriod, ScoreRecord
from .choices import kecamatan_choices
from .crud import AdminTable


# Periods -----------------------------------------------------------------

def _period_list() -> dict[str, Any]:
    counts = dict(db.session.execute(
        select(ScoreRecord.period, func.count(ScoreRecord.id)).group_by(ScoreRecord.period)).all())
    return {"rows": [(p, counts.get(p.code, 0)) for p in period_ops.periods()]}


def _period_form(form: PeriodForm, row: ScorePeriod) -> None:
    if not form.is_submitted():
        for _blank in range(2):
            form.criteria.append_entry()


def _save_period(row: ScorePeriod, form: PeriodForm) -> None:
    before = db.inspect(row).attrs.code.history.deleted
    if row.id is not None and before and before[0] != row.code:
        raise Refused(_("Kode periode tidak dapat diubah: kunjungan dan berkas memakainya."),
                          field="code")
    inputs = [CriterionInput(id=e.form.id.data, name_id=e.form.name_id.data or "",
                             name_en=e.form.name_en.data or "",
                             weight=_float(e.form.weight.data), maximum=_float(e.form.maximum.data))
              for e in form.criteria]
    period_ops.save_period(row, inputs)


def _float(value) -> float | None:
    return float(value) if value is not None else None


PERIODS = AdminTable(
    model=ScorePeriod, form=PeriodForm,
    list_endpoint="score_periods", name="score_period", path="/periode-nilai", id_arg="period_id",
    list_template="admin/score_periods.html", list_context=_period_list,
    form_template="admin/score_period_form.html", setup_form=_period_form,
    new_row=lambda: ScorePeriod(status="draft", source=""),
    fields=PeriodForm.FIELDS,
    save=_save_period,
    saved=lambda row: _("Periode %(code)s disimpan.", code=row.code),
    delete=period_ops.delete_period,
    deleted=lambda row: _("Periode %(code)s dihapus.", code=row.code),
)


# Score records -----------------------------------------------------------

def _current_period() -> ScorePeriod | None:
    code = request.args.get("periode")
    found = period_ops.period_by_code(code) if code else None
    return found or next(iter(period_ops.periods()), None)


def _score_list() -> dict[str, Any]:
    """One period's records (``?periode=``, else the newest period)."""
    period = _current_period()
    records = list(db.session.scalars(
        select(ScoreRecord).join(Kecamatan).where(ScoreRecord.period == period.code)
        .order_by(ScoreRecord.rank.is_(None), ScoreRecord.rank, Kecamatan.name))) if period else []
    return {"periods": period_ops.periods(), "period": period, "records": records}


def _new_score() -> ScoreRecord:
    period = _current_period()
    if period is None:
        raise Refused(_("Buat periode penilaian dulu."), status=404)
    return ScoreRecord(period=period.code, source="", verification_note="")


def _score_form(form: RecordForm, row: ScoreRecord) -> None:
    form.kecamatan_id.choices = kecamatan_choices()
    if form.is_submitted():
        return
    form.zone.data = row.zone or "" if row.zone_entered else ""
    if not row.total_entered:
        form.total.data = None
    values = row.values() if row.id else {}
    for criterion in _period_of(row).criteria:
        form.subscores.append_entry(values.get(criterion.key))


def _period_of(row: ScoreRecord) -> ScorePeriod:
    return period_ops.period_by_code(row.period)


def _save_score(row: ScoreRecord, form: RecordForm) -> None:
    """The form is one row of an import: the same plan decides, the same apply writes."""
    period = _period_of(row)
    kecamatan = db.session.get(Kecamatan, form.kecamatan_id.data if row.id is None
                               else row.kecamatan_id)
    if kecamatan is None:
        raise Refused(_("Kecamatan ini tidak ditemukan."), field="kecamatan_id", status=400)
    if row.id is None and period_ops.record_of(kecamatan, period) is not None:
        raise Refused(_("Kecamatan %(name)s sudah punya nilai untuk periode %(period)s. "
                        "Ubah nilai yang ada, jangan membuat yang kedua.",
                        name=kecamatan.name, period=period.code), field="kecamatan_id", status=409)
    cells: dict[str, object] = {
        "kecamatan": kecamatan.name, "total": form.total.data, "rank": form.rank.data,
        "zone": form.zone.data or None, "source": form.source.data,
        "verification_note": form.verification_note.data}
    for criterion, entry in zip(period.criteria, form.subscores):
        cells[criterion.key] = entry.data
    plan = plan_rows(period, [RawRow(line=0, cells={k: _plain(v) for k, v in cells.items()})])
    for plan_row in plan.bad:
        field, message = plan_row.errors[0]
        raise Refused(message, field={"kecamatan": "kecamatan_id"}.get(field, field))
    apply_plan(plan)
    row.kecamatan_id = kecamatan.id


def _plain(value: object) -> object:
    return float(value) if value is not None and not isinstance(value, (str, int, float)) else value


def _existing_score(form: RecordForm, record_id: int | None) -> dict[str, Any]:
    """A refused duplicate: offer the record that already exists."""
    kecamatan = db.session.get(Kecamatan, form.kecamatan_id.data) if form.kecamatan_id.data else None
    period = _current_period()
    return {"existing": period_ops.record_of(kecamatan, period) if kecamatan and period
            and record_id is None else None}


def _kecamatan_name(row: ScoreRecord) -> str:
    return db.session.get(Kecamatan, row.kecamatan_id).name


SCORES = AdminTable(
    model=ScoreRecord, form=RecordForm,
    list_endpoint="scores", name="score", path="/nilai", id_arg="record_id",
    list_template="admin/scores.html", list_context=_score_list,
    form_template="admin/score_form.html", setup_form=_score_form,
    new_row=_new_score,
    fields=(),
    save=_save_score,
    saved=lambda row: _("Nilai %(kecamatan)s periode %(period)s disimpan.",
                        kecamatan=_kecamatan_name(row), period=row.period),
    delete=delete_record,
    deleted=lambda row: _("Nilai %(kecamatan)s periode %(period)s dihapus.",
                          kecamatan=_kecamatan_name(row), period=row.period),
    list_args=lambda row, form: {"periode": row.period},
    refused_context=_existing_score,
)
