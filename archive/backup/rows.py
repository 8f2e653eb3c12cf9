"""The database side of a restore: is the target empty, wipe it, load the rows, fix sequences.

Rows are inserted into the tables as the target database has them at the
backup's schema revision (reflected, not the code's models), so a backup
taken before a migration is loaded into the schema it was taken from and the
migrations after it then run over the loaded rows.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from sqlalchemy import Connection, Integer, MetaData, Table, func, inspect, select, text

from ..extensions import db
from . import layout
from .reading import BackupRefused

#: rows inserted per statement
BATCH_ROWS = 1000
#: what makes an instance not empty: the tables that hold its entries and logins
CONTENT_TABLES = ("entry", "user")


def content_counts() -> dict[str, int]:
    """Rows of ``CONTENT_TABLES`` in the target database (absent tables count 0)."""
    counts = {}
    with db.engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        for name in CONTENT_TABLES:
            if name in present:
                table = Table(name, MetaData(), autoload_with=conn)
                counts[name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
            else:
                counts[name] = 0
        conn.rollback()
    return counts


def wipe() -> None:
    """Drop every table of the target database (the Alembic version table too)."""
    with db.engine.begin() as conn:
        meta = MetaData()
        meta.reflect(bind=conn)
        meta.drop_all(bind=conn)


def load(dump: Path) -> dict[str, int]:
    """Insert every row of the dump, table by table in its (dependency) order; rows per table."""
    counts: dict[str, int] = {}
    with db.engine.begin() as conn:
        meta = MetaData()
        meta.reflect(bind=conn)
        # Migrations may add rows of their own (default synonym groups): the
        # backup has those rows as they were, so the tables start empty.
        for table in reversed(meta.sorted_tables):
            if table.name != "alembic_version":
                conn.execute(table.delete())
        with gzip.open(dump, "rt", encoding="utf-8") as lines:
            table = None
            batch: list[dict] = []
            for line in lines:
                item = json.loads(line)
                if isinstance(item, dict):
                    _insert(conn, table, batch)
                    table, names, decoders = _start_table(meta, item)
                    counts[table.name] = 0
                    continue
                batch.append({n: dec(v) for n, dec, v in zip(names, decoders, item)})
                counts[table.name] += 1
                if len(batch) >= BATCH_ROWS:
                    _insert(conn, table, batch)
            _insert(conn, table, batch)
        if conn.dialect.name == "postgresql":
            fix_sequences(conn, meta)
    return counts


def _start_table(meta: MetaData, header: dict):
    table = meta.tables.get(header["table"])
    if table is None:
        raise BackupRefused(f"Tabel '{header['table']}' dari cadangan tidak ada di skema tujuan.")
    unknown = [c for c in header["columns"] if c not in table.c]
    if unknown:
        raise BackupRefused(f"Kolom {', '.join(unknown)} tabel '{table.name}' tidak ada di skema tujuan.")
    return table, header["columns"], [layout.decoder(code) for code in header["types"]]


def _insert(conn: Connection, table, batch: list[dict]) -> None:
    if table is not None and batch:
        conn.execute(table.insert(), batch)
        batch.clear()


def fix_sequences(conn: Connection, meta: MetaData) -> None:
    """Move each PostgreSQL sequence past the highest id loaded, so new rows get new ids."""
    quote = conn.dialect.identifier_preparer
    for table in meta.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        column = keys[0]
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                {"table": quote.format_table(table), "column": column.name}).scalar()
        if sequence is None:
            continue
        highest = conn.execute(select(func.max(column))).scalar()
        conn.execute(text("SELECT setval(:sequence, :value, :called)"),
                     {"sequence": sequence, "value": highest or 1, "called": highest is not None})
