"""A period's records as a file and a file as rows to plan: the same columns both
ways, so that exporting and importing again changes nothing."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ..models import Kecamatan, ScorePeriod, ScoreRecord
from ..operations.plan import RawRow
from .columns import FIXED, Header
from .files import read_table, write_csv, write_xlsx


def export_header(period: ScorePeriod) -> list[str]:
    return [*FIXED, *(c.key for c in period.criteria)]


def export_rows(period: ScorePeriod) -> list[list[object]]:
    records = db.session.scalars(
        select(ScoreRecord).join(Kecamatan).where(ScoreRecord.period == period.code)
        .options(selectinload(ScoreRecord.sub_scores))
        .order_by(ScoreRecord.rank.is_(None), ScoreRecord.rank, Kecamatan.name))
    rows = []
    for record in records:
        values = record.values()
        rows.append([record.kecamatan.name, record.total, record.rank, record.zone,
                     record.source, record.verification_note,
                     *(values[c.key] for c in period.criteria)])
    return rows


def export_file(period: ScorePeriod, fmt: str) -> bytes:
    header, rows = export_header(period), export_rows(period)
    if fmt == "xlsx":
        return write_xlsx(f"nilai-{period.code}", header, rows)
    return write_csv(header, rows)


def rows_from_file(period: ScorePeriod, data: bytes,
                   filename: str = "") -> tuple[list[RawRow], list[str]]:
    """The file's rows by column name, and what is wrong with its header (if anything)."""
    table = read_table(data, filename)
    header = Header(table.header, [(c.key, c.name_id, c.name_en) for c in period.criteria])
    problems = header.problems()
    if problems:
        return [], problems
    rows = []
    for line, cells in table.rows:
        padded = cells + [None] * (len(table.header) - len(cells))
        rows.append(RawRow(line=line, cells={name: padded[i] for name, i in header.index.items()}))
    return rows, []
