"""What a set of score rows would do to a period, before anything is written.

Every way in (a CSV or XLSX file, the admin's form, the API) turns into
``RawRow``s and goes through :func:`plan_rows`, so one set of rules decides:
a kecamatan that is not known (with the nearest name suggested), a number out
of range, a row given twice, a total or zone or rank that contradicts what the
sub-scores and thresholds give. A column left out of a file keeps what the
record has; a column that is there but empty clears it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...core.labels import zone_label
from ...extensions import db
from ..models import SCORE_MAX, Kecamatan, ScorePeriod, ScoreRecord
from ..scoring import CriterionRule, shared_ranks, weighted_total, zone_for
from ..transfer.columns import cell_text, nearest, parse_number, parse_rank, parse_zone, squeeze

TEXT_LIMIT = 1000


@dataclass
class RawRow:
    """One row as given: ``line`` in the file (0 for a form), ``cells`` by column name."""

    line: int
    cells: dict[str, object]


@dataclass
class RowPlan:
    line: int
    kecamatan_name: str
    kecamatan: Optional[Kecamatan] = None
    record: Optional[ScoreRecord] = None
    #: "new", "updated", "unchanged" or "error"
    status: str = "error"
    #: (field or None, message)
    errors: list[tuple[Optional[str], str]] = field(default_factory=list)
    #: what the record will hold: total, total_entered, rank, zone, zone_entered, source,
    #: verification_note, values {criterion key: value}
    result: dict = field(default_factory=dict)
    #: field -> (before, after), for the preview
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)

    def refuse(self, message: str, field_name: Optional[str] = None) -> None:
        self.errors.append((field_name, message))
        self.status = "error"


@dataclass
class Plan:
    period: ScorePeriod
    rows: list[RowPlan]
    problems: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def bad(self) -> list[RowPlan]:
        return [r for r in self.rows if r.status == "error"]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.bad


def rules(period: ScorePeriod) -> list[CriterionRule]:
    return [CriterionRule(c.key, c.weight, c.maximum) for c in period.criteria]


def period_records(period: ScorePeriod) -> dict[int, ScoreRecord]:
    """{kecamatan id: record} of the period, with sub-scores loaded."""
    return {r.kecamatan_id: r for r in db.session.scalars(
        select(ScoreRecord).where(ScoreRecord.period == period.code)
        .options(selectinload(ScoreRecord.sub_scores)))}


def current_state(record: Optional[ScoreRecord]) -> dict:
    if record is None:
        return {"total": None, "total_entered": True, "rank": None, "zone": None,
                "zone_entered": True, "source": "", "verification_note": "", "values": {}}
    return {"total": record.total, "total_entered": record.total_entered, "rank": record.rank,
            "zone": record.zone, "zone_entered": record.zone_entered, "source": record.source,
            "verification_note": record.verification_note, "values": record.values()}


def plan_rows(period: ScorePeriod, rows: list[RawRow], problems: list[str] | None = None) -> Plan:
    """What ``rows`` would change in ``period``; nothing is written."""
    kecamatan = list(db.session.scalars(select(Kecamatan).order_by(Kecamatan.name)))
    by_name = {squeeze(k.name): k for k in kecamatan}
    records = period_records(period)
    plan = Plan(period=period, rows=[], problems=list(problems or []))
    seen: dict[int, int] = {}
    for raw in rows:
        row = _read_row(period, raw, by_name, [k.name for k in kecamatan])
        if row.kecamatan is not None:
            if row.kecamatan.id in seen:
                row.refuse(_("Kecamatan %(name)s sudah ada di baris %(line)d.",
                             name=row.kecamatan.name, line=seen[row.kecamatan.id]), "kecamatan")
            else:
                seen[row.kecamatan.id] = raw.line
            row.record = records.get(row.kecamatan.id)
        if not row.errors:
            _merge(period, row, raw)
        plan.rows.append(row)
    _check_ranks(plan, records)
    for row in plan.rows:
        if not row.errors:
            _describe(row)
    return plan


def _read_row(period: ScorePeriod, raw: RawRow, by_name: dict[str, Kecamatan],
              names: list[str]) -> RowPlan:
    name = cell_text(raw.cells.get("kecamatan"))
    row = RowPlan(line=raw.line, kecamatan_name=name)
    if not name:
        row.refuse(_("Nama kecamatan kosong."), "kecamatan")
        return row
    row.kecamatan = by_name.get(squeeze(name))
    if row.kecamatan is None:
        guess = nearest(name, names)
        row.refuse(_("Kecamatan \"%(name)s\" tidak dikenal. Maksudnya %(guess)s?",
                     name=name, guess=guess) if guess else
                   _("Kecamatan \"%(name)s\" tidak dikenal.", name=name), "kecamatan")
    given: dict[str, object] = {}
    for key, parse, upper in (("total", parse_number, SCORE_MAX), ("rank", parse_rank, None)):
        if key in raw.cells:
            given[key] = _parsed(row, key, raw.cells[key], parse, upper)
    for criterion in period.criteria:
        if criterion.key in raw.cells:
            given[criterion.key] = _parsed(row, criterion.key, raw.cells[criterion.key],
                                           parse_number, criterion.upper, criterion.name_id)
    if "zone" in raw.cells:
        try:
            given["zone"] = parse_zone(raw.cells["zone"])
        except ValueError:
            row.refuse(_("Zona \"%(value)s\" tidak dikenal: isi hijau, kuning atau merah.",
                         value=cell_text(raw.cells["zone"])), "zone")
    for key in ("source", "verification_note"):
        if key in raw.cells:
            given[key] = cell_text(raw.cells[key])[:TEXT_LIMIT]
    row.result = {"given": given}
    return row


def _parsed(row: RowPlan, key: str, value: object, parse, upper: Optional[float],
            label: str | None = None):
    label = label or {"total": _("Nilai total"), "rank": _("Peringkat")}[key]
    try:
        number = parse(value)
    except (ValueError, TypeError):
        row.refuse(_("%(label)s \"%(value)s\" bukan angka yang sah.",
                     label=label, value=cell_text(value)), key)
        return None
    if number is not None and upper is not None and not 0 <= number <= upper:
        maximum = format(upper, "g")
        row.refuse(_("%(label)s %(value)s di luar rentang 0 sampai %(max)s.",
                     label=label, value=cell_text(value), max=maximum), key)
    return number


def _merge(period: ScorePeriod, row: RowPlan, raw: RawRow) -> None:
    """The record as it would be: given fields over the current ones, then computed."""
    given = row.result.pop("given")
    state = current_state(row.record)
    values = dict(state["values"])
    values.update({c.key: given[c.key] for c in period.criteria if c.key in given})
    state["values"] = {c.key: values.get(c.key) for c in period.criteria}
    computed = weighted_total(state["values"], rules(period))
    if computed is not None:
        if given.get("total") is not None and abs(given["total"] - computed) > 0.005:
            shown = {"given": format(given["total"], ".2f"), "computed": format(computed, ".2f")}
            row.refuse(_("Nilai total %(given)s tidak sama dengan nilai dari kriteria "
                         "(%(computed)s).", **shown), "total")
        state["total"], state["total_entered"] = computed, False
    elif "total" in given:
        state["total"], state["total_entered"] = given["total"], True
    elif not state["total_entered"]:
        state["total"], state["total_entered"] = None, True  # the sub-scores no longer add up
    zone = zone_for(state["total"], period.green_min, period.yellow_min)
    # a zone the city published (given now, or entered before) stays as published; the
    # thresholds must agree with it
    entered = given.get("zone") if "zone" in given else (
        state["zone"] if state["zone_entered"] else None)
    if zone is not None:
        if entered is not None and entered != zone:
            row.refuse(_("Zona %(given)s tidak sesuai dengan batas zona periode ini (%(zone)s).",
                         given=zone_label(entered), zone=zone_label(zone)), "zone")
        state["zone"], state["zone_entered"] = zone, entered is not None
    elif "zone" in given:
        state["zone"], state["zone_entered"] = given["zone"], True
    elif not state["zone_entered"]:
        state["zone"], state["zone_entered"] = None, True
    if "rank" in given:
        state["given_rank"] = given["rank"]
    for key in ("source", "verification_note"):
        if key in given:
            state[key] = given[key]
    row.result = state


def _check_ranks(plan: Plan, records: dict[int, ScoreRecord]) -> None:
    """Ranks follow the totals of the whole period as it would be; a rank given for a
    known total must be that rank, a rank given without a total is kept."""
    totals = {kec_id: r.total for kec_id, r in records.items()}
    for row in plan.rows:
        if not row.errors:
            totals[row.kecamatan.id] = row.result["total"]
    ranks = shared_ranks(totals)
    for row in plan.rows:
        if row.errors:
            continue
        state = row.result
        given = state.pop("given_rank", "absent")
        if state["total"] is not None:
            if given not in ("absent", None) and given != ranks[row.kecamatan.id]:
                row.refuse(_("Peringkat %(given)s tidak sesuai dengan nilai totalnya "
                             "(peringkat %(rank)d di periode ini).",
                             given=given, rank=ranks[row.kecamatan.id]), "rank")
            state["rank"] = ranks[row.kecamatan.id]
        elif given != "absent":
            state["rank"] = given
        elif row.record is not None and row.record.total is not None:
            state["rank"] = None


def _describe(row: RowPlan) -> None:
    before = current_state(row.record)
    after = row.result
    for key in ("total", "rank", "zone", "source", "verification_note"):
        if before[key] != after[key]:
            row.changes[key] = (before[key], after[key])
    for key, value in after["values"].items():
        if before["values"].get(key) != value:
            row.changes[key] = (before["values"].get(key), value)
    if row.record is None:
        known = [after["total"], after["rank"], after["zone"], *after["values"].values()]
        if all(v is None for v in known):
            row.refuse(_("Baris ini tidak berisi nilai, peringkat atau zona."), "total")
            return
        row.status = "new"
    else:
        row.status = "updated" if row.changes else "unchanged"
