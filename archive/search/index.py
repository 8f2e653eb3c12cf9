"""Opening the Whoosh index safely from several processes.

Whoosh lets one writer in at a time and the second gets ``LockError`` at once;
a reader opened while a writer commits can hit ``FileNotFoundError`` on a
segment that was just merged away. So every write here holds a cross-process
``fcntl`` lock file first (waiting, not failing), and every read retries with
a freshly opened index.
"""
from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from whoosh import index as whoosh_index
from whoosh import writing
from whoosh.index import LockError
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from .schema import build_schema

INDEX_NAME = "entries"
log = logging.getLogger(__name__)
T = TypeVar("T")

_lock = threading.RLock()
_indexes: dict[str, object] = {}
#: index folders recreated for a new schema, whose entries must all be queued again
_needs_backfill: set[str] = set()
# Searchers are per thread: a Whoosh reader's open files are not shared safely.
_local = threading.local()


class IndexUnavailable(RuntimeError):
    """The index could not be written within the wait limit."""


def open_index(index_dir: str):
    """The index in ``index_dir``, created with the current schema if missing."""
    with _lock:
        ix = _indexes.get(index_dir)
        if ix is not None:
            return ix
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        # A lock of its own: creation may happen while this process already
        # holds the write lock (flock does not nest across descriptors).
        with write_lock(index_dir, name="archive-create.lock"):
            schema = build_schema()
            ix = None
            if whoosh_index.exists_in(index_dir, INDEX_NAME):
                ix = whoosh_index.open_dir(index_dir, indexname=INDEX_NAME)
                if sorted(ix.schema.names()) != sorted(schema.names()):
                    # An index from an older version of this code: start a new
                    # one and let the outbox refill it from the database.
                    log.warning("search index schema changed; rebuilding %s", index_dir)
                    ix.close()
                    ix = None
                    _needs_backfill.add(index_dir)
            if ix is None:
                ix = whoosh_index.create_in(index_dir, schema, indexname=INDEX_NAME)
        _indexes[index_dir] = ix
        return ix


def forget(index_dir: str) -> None:
    """Drop cached handles (after the index folder was replaced)."""
    with _lock:
        _indexes.pop(index_dir, None)
    searcher = _thread_searchers().pop(index_dir, None)
    if searcher is not None:
        searcher.close()


class _ThreadSearchers(dict):
    """One thread's searchers by index folder, closed when the thread ends.

    A threaded server (gunicorn's gthread, the development server) runs
    requests in threads that come and go; a searcher left to the garbage
    collector would keep its segment files open until then (many per segment,
    now that segments are separate files)."""

    def __del__(self):
        for searcher in self.values():
            try:
                searcher.close()
            except Exception:  # closing at exit or after a failed read: nothing to save
                pass


def _thread_searchers() -> dict[str, Searcher]:
    if not hasattr(_local, "searchers"):
        _local.searchers = _ThreadSearchers()
    return _local.searchers


@contextmanager
def write_lock(index_dir: str, timeout: float = 60.0,
               name: str = "archive-write.lock") -> Iterator[None]:
    """Hold the archive's own cross-process write lock for ``index_dir``."""
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    path = os.path.join(index_dir, name)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexUnavailable(f"index write lock busy for {timeout}s")
                time.sleep(0.02)
        yield
    finally:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


@contextmanager
def index_writer(index_dir: str, locked: bool = False, **writer_kwargs) -> Iterator[SegmentWriter]:
    """A Whoosh writer under the cross-process lock; commits on success, cancels on error.

    ``locked=True`` when the caller already holds ``write_lock`` (flock is not
    re-entrant across file descriptors, even in one process).
    """
    ix = open_index(index_dir)
    with (_no_lock() if locked else write_lock(index_dir)):
        writer = None
        for attempt in range(20):
            try:
                writer = ix.writer(**writer_kwargs)
                break
            except LockError:
                # Only a process that ignores our lock file (or a stale Whoosh
                # lock after a crash) gets here: back off and try again.
                time.sleep(min(0.05 * 2 ** attempt, 1.0))
        if writer is None:
            raise IndexUnavailable("Whoosh write lock not released")
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_small_segments)


#: segments with fewer documents are everyday commits' (the outbox's), merged
#: by Whoosh's policy; larger ones are a reindex's, left for the next reindex
SMALL_SEGMENT = 10_000


def merge_small_segments(writer: SegmentWriter, segments: list) -> list:
    """Whoosh's ``MERGE_SMALL`` over the segments under ``SMALL_SEGMENT``
    documents only. Left to it, the heuristic (merge the smallest segments
    while they hold fewer documents than a Fibonacci number of their count)
    would merge 25 of a reindex's 34 segments at a million entries, 722,200
    documents, in the first upload's commit after it."""
    small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT]
    large = [s for s in segments if s.doc_count_all() >= SMALL_SEGMENT]
    return large + writing.MERGE_SMALL(writer, small)


@contextmanager
def _no_lock() -> Iterator[None]:
    yield


def apply_documents(index_dir: str, upserts: list[dict], deletes: list[str],
                    locked: bool = False) -> None:
    """Write documents and remove ids in one Whoosh commit.

    The new segment (and any small segments Whoosh merges into it) is written
    as separate files, as the reindex writes its segments: each file of a
    compound segment is copied into the memory of every worker that reads it.
    """
    with index_writer(index_dir, locked=locked, compound=False) as writer:
        for entry_id in deletes:
            writer.delete_by_term("id", entry_id)
        for doc in upserts:
            writer.update_document(**doc)


def with_searcher(index_dir: str, fn: Callable[[Searcher], T], retries: int = 4) -> T:
    """Run ``fn`` with an up-to-date searcher, retrying if a commit raced the read."""
    last_error: Exception | None = None
    for attempt in range(retries):
        try:
            return fn(current_searcher(index_dir))
        except (FileNotFoundError, OSError) as err:
            last_error = err
            forget(index_dir)
            time.sleep(0.01 * (attempt + 1))
    raise last_error  # type: ignore[misc]


def current_searcher(index_dir: str) -> Searcher:
    """A shared searcher, refreshed when another process or thread committed.

    Searchers are reused between requests because opening one reads every
    segment's metadata; ``refresh()`` is cheap when nothing changed.
    """
    searchers = _thread_searchers()
    searcher = searchers.get(index_dir)
    if searcher is None:
        searcher = open_index(index_dir).searcher()
    elif not searcher.up_to_date():
        # Not searcher.refresh(): it reuses a segment's reader even when the
        # segment gained deletions since, so updated documents showed twice.
        searcher.close()
        searcher = open_index(index_dir).searcher()
    searchers[index_dir] = searcher
    return searcher
