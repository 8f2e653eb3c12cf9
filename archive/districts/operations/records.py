"""Writing score records: a plan applied, a record deleted, and a period's computed
figures (totals, zones, ranks) brought up to date after any change. Flush only."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ...core.refusal import Refused
from ...extensions import db
from ..models import ScorePeriod, ScoreRecord, SubScore
from ..scoring import shared_ranks, weighted_total, zone_for
from .plan import Plan, period_records, rules


@dataclass
class Applied:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


def apply_plan(plan: Plan, skip_bad: bool = False) -> Applied:
    """Write what the plan shows. Any bad row refuses the whole plan unless ``skip_bad``."""
    if plan.problems:
        raise Refused(" ".join(plan.problems), field="file")
    if plan.bad and not skip_bad:
        raise Refused(_("%(count)d baris bermasalah, jadi belum ada yang disimpan. Perbaiki "
                        "berkasnya, atau pilih untuk melewati baris itu.", count=len(plan.bad)),
                      field="file")
    done = Applied(skipped=len(plan.bad))
    criteria = {c.key: c for c in plan.period.criteria}
    for row in plan.rows:
        if row.status == "error":
            continue
        setattr(done, row.status, getattr(done, row.status) + 1)
        if row.status == "unchanged":
            continue
        record = row.record
        if record is None:
            record = ScoreRecord(kecamatan_id=row.kecamatan.id, period=plan.period.code)
            db.session.add(record)
        state = row.result
        for key in ("total", "total_entered", "rank", "zone", "zone_entered", "source",
                    "verification_note"):
            if getattr(record, key) != state[key]:
                setattr(record, key, state[key])
        _set_values(record, state["values"], criteria)
    db.session.flush()
    recompute_period(plan.period)
    return done


def _set_values(record: ScoreRecord, values: dict, criteria: dict) -> None:
    existing = {s.criterion.key: s for s in record.sub_scores} if record.id else {}
    for key, value in values.items():
        sub = existing.get(key)
        if value is None and sub is not None:
            record.sub_scores.remove(sub)
        elif value is not None and sub is None:
            record.sub_scores.append(SubScore(criterion=criteria[key], value=value))
        elif sub is not None and sub.value != value:
            sub.value = value


def recompute_period(period: ScorePeriod) -> None:
    """Totals from the sub-scores where they can be computed, zones from the thresholds
    where they are known, and every rank from the totals (ties shared)."""
    records = period_records(period)
    criteria = rules(period)
    for record in records.values():
        computed = weighted_total(record.values(), criteria)
        if computed is not None:
            _assign(record, total=computed, total_entered=False)
        elif not record.total_entered:
            _assign(record, total=None, total_entered=True)
        zone = zone_for(record.total, period.green_min, period.yellow_min)
        if zone is not None and not (record.zone_entered and record.zone is not None):
            _assign(record, zone=zone, zone_entered=False)
        elif not record.zone_entered:
            _assign(record, zone=None, zone_entered=True)
    ranks = shared_ranks({r.id: r.total for r in records.values()})
    for record in records.values():
        if record.total is not None:
            _assign(record, rank=ranks[record.id])
    db.session.flush()


def _assign(record: ScoreRecord, **values: object) -> None:
    """Only what differs, so that an unchanged record is not written (nor re-indexed)."""
    for key, value in values.items():
        if getattr(record, key) != value:
            setattr(record, key, value)


def zone_conflicts(period: ScorePeriod, green_min: float | None,
                   yellow_min: float | None) -> list[str]:
    """Kecamatan whose zone as the city published it the new thresholds would change."""
    rows = db.session.execute(
        select(ScoreRecord).where(ScoreRecord.period == period.code,
                                  ScoreRecord.zone_entered.is_(True),
                                  ScoreRecord.zone.is_not(None))).scalars()
    return sorted(r.kecamatan.name for r in rows
                  if zone_for(r.total, green_min, yellow_min) not in (None, r.zone))


def delete_record(record: ScoreRecord) -> None:
    period = record.scoring_period
    db.session.delete(record)
    db.session.flush()
    recompute_period(period)
