"""``/api/v1/score-periods``: periods and their records to read (published ones need no
token), and records to write with an admin's token, through the import's plan."""
from __future__ import annotations

from flask import abort, g, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from ..api import bp
from ..api.auth import optional_token, token_required
from ..core.refusal import Refused
from ..extensions import db
from .models import Kecamatan, ScorePeriod, ScoreRecord
from .operations.periods import period_by_code
from .operations.plan import RawRow, plan_rows
from .operations.records import apply_plan
from .serializers import period_to_json, plan_to_json, records_to_json
from .visibility import can_see, period_clause

FIELDS = {"kecamatan", "total", "rank", "zone", "source", "verification_note", "criteria"}
MAX_RECORDS = 2000


def _period(code: str) -> ScorePeriod:
    period = period_by_code(code)
    if not can_see(period):
        abort(404, description=_("Periode %(code)s tidak ditemukan.", code=code))
    return period


@bp.get("/score-periods")
@optional_token
def score_periods() -> ResponseReturnValue:
    rows = db.session.scalars(select(ScorePeriod).where(period_clause())
                              .order_by(ScorePeriod.code.desc())).all()
    return {"items": [period_to_json(p) for p in rows], "total": len(rows)}


@bp.get("/score-periods/<code>")
@optional_token
def score_period(code: str) -> ResponseReturnValue:
    period = _period(code)
    records = db.session.scalars(
        select(ScoreRecord).join(Kecamatan).where(ScoreRecord.period == period.code)
        .order_by(ScoreRecord.rank.is_(None), ScoreRecord.rank, Kecamatan.name)).all()
    return {**period_to_json(period), "records": records_to_json(records)}


@bp.post("/score-periods/<code>/records")
@token_required
def write_records(code: str) -> ResponseReturnValue:
    """Body: one record, or ``{"records": [...], "dry_run": false, "skip_bad": false}``.
    Each record: ``kecamatan`` and any of ``total``, ``rank``, ``zone``, ``source``,
    ``verification_note``, ``criteria`` ({key: value})."""
    if not g.api_user.is_admin:
        abort(403, description=_("Hanya admin yang dapat mengubah nilai kinerja."))
    period = _period(code)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Refused(_("Isi permintaan harus objek JSON."), status=400)
    items = body.get("records", [body]) if "records" in body else [body]
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_RECORDS:
        raise Refused(_("\"records\" harus daftar berisi 1 sampai %(n)d nilai.", n=MAX_RECORDS),
                      field="records")
    rows = [RawRow(line=i, cells=_cells(item, i)) for i, item in enumerate(items, start=1)]
    keys = {c.key for c in period.criteria} | FIELDS
    strange = sorted({k for row in rows for k in row.cells} - keys)
    if strange:
        raise Refused(_("Kriteria tidak dikenal di periode ini: %(names)s.",
                        names=", ".join(strange)), field="criteria")
    plan = plan_rows(period, rows)
    if body.get("dry_run") is True:
        db.session.rollback()
        return plan_to_json(plan)
    if not plan.ok and body.get("skip_bad") is not True:
        return {**plan_to_json(plan), "status": 422,
                "message": _("%(count)d nilai bermasalah, jadi belum ada yang disimpan.",
                             count=len(plan.bad))}, 422
    apply_plan(plan, skip_bad=True)
    return plan_to_json(plan), 200


def _cells(item: object, line: int) -> dict[str, object]:
    if not isinstance(item, dict):
        raise Refused(_("Nilai ke-%(n)d harus objek JSON.", n=line), field="records")
    unknown = sorted(set(item) - FIELDS)
    if unknown:
        raise Refused(_("Kolom tidak dikenal: %(names)s.", names=", ".join(unknown)),
                      field=unknown[0])
    cells = {k: v for k, v in item.items() if k != "criteria"}
    criteria = item.get("criteria", {})
    if not isinstance(criteria, dict):
        raise Refused(_("\"criteria\" harus objek {kunci: nilai}."), field="criteria")
    for key, value in criteria.items():
        if isinstance(value, (dict, list)):
            raise Refused(_("Nilai kriteria %(key)s harus angka.", key=key), field="criteria")
        cells[str(key)] = value
    return cells
