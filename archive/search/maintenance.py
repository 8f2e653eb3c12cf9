"""Rebuild the index from the database, and check it against the database.

The database is the source of truth: ``rebuild`` replaces every document in
one Whoosh commit (readers keep the old index until then), ``check`` compares
each entry's freshly built document digest with the one in the index.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from whoosh import writing

from ..extensions import db, reading_engine
from ..models import Entry
from . import index
from .bulk import BoundedWriter
from .documents import iter_documents, load_documents
from .index import open_index, write_lock
from .models import IndexOutbox

Progress = Callable[[int], None]


def rebuild(progress: Progress | None = None, procs: int | None = None) -> int:
    """Replace the whole index with documents built from the database; returns the count.

    Outbox rows that existed when the rebuild read the database are covered
    by it and removed; rows committed meanwhile stay for the next sync.
    """
    from . import index_dir

    directory = index_dir()
    ix = open_index(directory)
    procs = procs or max(1, min(2, os.cpu_count() or 1))
    count = 0
    with write_lock(directory, timeout=600):
        with Session(reading_engine()) as s:
            covered = list(s.scalars(select(IndexOutbox.id)))
            documents = s.scalar(select(func.count(Entry.id)))
            s.rollback()
            # Each indexing process sorts its postings in a pool capped at
            # SEARCH_REINDEX_POOL_MB; a full pool becomes a segment of its own
            # (no spilled runs), and the segments are merged down to
            # SEARCH_REINDEX_MAX_SEGMENTS when there are more (archive/search/bulk.py,
            # merges.py): the new index's segments, which everyday commits
            # never merge (index.merge_small_segments).
            cfg = current_app.config
            writer = BoundedWriter(ix, procs=procs, batchsize=cfg.get("SEARCH_REINDEX_BATCH", 200),
                                   max_segments=cfg.get("SEARCH_REINDEX_MAX_SEGMENTS", 64),
                                   documents=documents,
                                   limitmb=cfg.get("SEARCH_REINDEX_POOL_MB", 512),
                                   # Separate files, not one compound file: Whoosh copies each
                                   # file out of a compound one into every worker's memory
                                   # (BytesIO), so a worker held a copy of the index.
                                   compound=False)
            try:
                for doc in iter_documents(s):
                    writer.add_document(**doc)
                    count += 1
                    if progress:
                        progress(1)
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=writing.CLEAR)
        with db.engine.begin() as conn:
            for start in range(0, len(covered), 500):
                chunk = covered[start:start + 500]
                conn.execute(delete(IndexOutbox).where(IndexOutbox.id.in_(chunk)))
    index.forget(directory)
    return count


@dataclass
class CheckReport:
    #: entry ids with no document
    missing: list[int] = field(default_factory=list)
    #: document ids with no entry
    orphans: list[int] = field(default_factory=list)
    #: entry ids whose document differs from the database
    stale: list[int] = field(default_factory=list)
    pending: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.orphans or self.stale)


def check(repair: bool = False) -> CheckReport:
    """Compare index and database; with ``repair`` rewrite what differs."""
    from .outbox import sync_pending
    from . import index_dir

    directory = index_dir()
    sync_pending()
    report = CheckReport()
    digests: dict[int, str] = {}
    searcher = open_index(directory).searcher()
    try:
        for fields in searcher.all_stored_fields():
            digests[int(fields["id"])] = fields.get("digest", "")
    finally:
        searcher.close()
    with Session(reading_engine()) as s:
        seen: set[int] = set()
        for doc in iter_documents(s):
            entry_id = doc["entry_id"]
            seen.add(entry_id)
            if entry_id not in digests:
                report.missing.append(entry_id)
            elif digests[entry_id] != doc["digest"]:
                report.stale.append(entry_id)
        report.orphans = sorted(set(digests) - seen)
        report.pending = s.scalar(select(func.count()).select_from(IndexOutbox)) or 0
        if repair and not report.ok:
            docs = load_documents(s, report.missing + report.stale)
            index.apply_documents(directory, list(docs.values()),
                                  [str(i) for i in report.orphans])
    return report
