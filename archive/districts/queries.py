"""What the public score pages read: a period's table of every kecamatan, its zone
counts, a kecamatan's history across the periods the asker may see."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Kecamatan, ScorePeriod, ScoreRecord
from .visibility import period_clause

SORTS = ("rank", "total", "kecamatan", "zone")
ZONE_ORDER = {"green": 0, "yellow": 1, "red": 2}


@dataclass
class TableRow:
    kecamatan: Kecamatan
    record: Optional[ScoreRecord]
    values: dict[str, Optional[float]]


def period_table(period: ScorePeriod, sort: str = "rank", descending: bool = False) -> list[TableRow]:
    """Every kecamatan of the city, with its record of the period if it has one; rows
    without the sorted figure come last whichever the direction."""
    records = {r.kecamatan_id: r for r in db.session.scalars(
        select(ScoreRecord).where(ScoreRecord.period == period.code)
        .options(selectinload(ScoreRecord.sub_scores)))}
    kecamatan = db.session.scalars(select(Kecamatan).where(Kecamatan.city == "Bandung")
                                   .order_by(Kecamatan.name)).all()
    rows = [TableRow(k, records.get(k.id), records[k.id].values() if k.id in records else {})
            for k in kecamatan]
    if sort == "kecamatan":
        return sorted(rows, key=lambda r: r.kecamatan.name.casefold(), reverse=descending)

    def figure(row: TableRow):
        if row.record is None:
            return None
        if sort == "total":
            return row.record.total
        if sort == "rank":
            return row.record.rank
        if sort == "zone":
            return ZONE_ORDER.get(row.record.zone or "")
        return row.values.get(sort)

    known = [r for r in rows if figure(r) is not None]
    unknown = [r for r in rows if figure(r) is None]
    known.sort(key=figure, reverse=descending)
    return known + unknown


def zone_counts(period: ScorePeriod) -> dict[str, int]:
    """How many kecamatan have each zone in the records (the published counts may be more)."""
    counts = {"green": 0, "yellow": 0, "red": 0}
    for zone in db.session.scalars(select(ScoreRecord.zone).where(
            ScoreRecord.period == period.code, ScoreRecord.zone.is_not(None))):
        counts[zone] += 1
    return counts


def kecamatan_count() -> int:
    return len(db.session.scalars(select(Kecamatan.id).where(Kecamatan.city == "Bandung")).all())


def history(kecamatan: Kecamatan) -> list[ScoreRecord]:
    """The kecamatan's records of the periods the asker may see, oldest first."""
    return list(db.session.scalars(
        select(ScoreRecord).join(ScorePeriod, ScorePeriod.code == ScoreRecord.period)
        .where(ScoreRecord.kecamatan_id == kecamatan.id, period_clause())
        .order_by(ScorePeriod.code)))
