"""Every table of the archive, read in one snapshot transaction, as JSON lines.

The snapshot runs on a connection of its own, outside the application's
session: on SQLite a plain deferred ``BEGIN`` (the application's connections
start write transactions with ``BEGIN IMMEDIATE``, which would hold the write
lock for the whole dump); in WAL mode such a reader sees the database as it
was at its first read and never blocks a writer. On PostgreSQL the
transaction is ``REPEATABLE READ READ ONLY``: one snapshot for every table,
and no lock beyond what any reader takes.

The tables are those of ``db.metadata`` (every feature's models plus the
search tables), never a list written here, so a table added later is backed
up without a change.
"""
from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.pool import NullPool

from ..extensions import db
from . import layout

#: rows fetched from the database at a time while dumping
BATCH_ROWS = 2000


class SnapshotError(Exception):
    """The database cannot be backed up as it is (its schema is behind the code)."""


@dataclass
class Snapshot:
    """What one snapshot wrote and found."""

    path: Path
    engine: str
    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)
    #: storage paths of the originals that rows of the snapshot point to
    files: list[str] = field(default_factory=list)


def tables():
    """Every table of the archive, parents before children."""
    import archive.models
    import archive.search.models  # noqa: F401

    return list(db.metadata.sorted_tables)


def file_column():
    """The one column that names files on disk: ``StoredFile.storage_path``."""
    from ..models import StoredFile

    return StoredFile.__table__.c.storage_path


def take(path: Path) -> Snapshot:
    """Write every table's rows to ``path`` (gzipped JSON lines) from one snapshot."""
    with _reading() as conn:
        return _dump(conn, path, conn.dialect.name)


@contextmanager
def _reading() -> Iterator[Connection]:
    """One read-only snapshot transaction on a connection of its own."""
    engine = _snapshot_engine()
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ",
                                              postgresql_readonly=True)
            with conn.begin() as transaction:
                yield conn
                transaction.rollback()  # it only read
    finally:
        engine.dispose()


def _snapshot_engine() -> Engine:
    engine = create_engine(db.engine.url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event emits BEGIN
            dbapi_conn.execute("PRAGMA busy_timeout=30000")

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN")  # deferred: a reader, never the write lock
    return engine


def _dump(conn: Connection, path: Path, engine_name: str) -> Snapshot:
    # The first read fixes the snapshot; the revision is read inside it.
    present = set(inspect(conn).get_table_names())
    revision = None
    if "alembic_version" in present:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    missing = [t.name for t in tables() if t.name not in present]
    if missing:
        raise SnapshotError(
            "Skema basis data belum mutakhir (tabel tidak ada: " + ", ".join(missing)
            + "). Jalankan 'flask --app archive init-db' dulu.")
    snapshot = Snapshot(path=path, engine=engine_name, revision=revision)
    files = file_column()
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as out:
        for table in tables():
            columns = list(table.columns)
            codes = [layout.type_code(c) for c in columns]
            out.write(json.dumps({"table": table.name, "columns": [c.name for c in columns],
                                  "types": codes}) + "\n")
            encoders = [layout.encoder(code) for code in codes]
            file_at = columns.index(files) if table is files.table else None
            query = select(*columns).order_by(*(table.primary_key.columns or columns))
            result = conn.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(query)
            count = 0
            for row in result:
                out.write(json.dumps([enc(v) for enc, v in zip(encoders, row)],
                                     ensure_ascii=False) + "\n")
                if file_at is not None:
                    snapshot.files.append(row[file_at])
                count += 1
            snapshot.counts[table.name] = count
    return snapshot


def current_paths(paths: list[str]) -> set[str]:
    """Which of these storage paths rows of the database point to now (a fresh read)."""
    column = file_column()
    found: set[str] = set()
    with _reading() as conn:
        for start in range(0, len(paths), 500):
            chunk = paths[start:start + 500]
            found.update(conn.execute(select(column).where(column.in_(chunk))).scalars())
    return found
