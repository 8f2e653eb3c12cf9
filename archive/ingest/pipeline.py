"""``ingest_batch``: every uploaded file through the steps, each answered added / duplicate / failed.

Each file is handled on its own so that one bad photo in a batch of forty
does not sink the others. This is the one place below the views that
commits: an added entry is committed as soon as it is complete. A failed
file is rolled back and the files written for it are deleted, except a file
that an existing row still uses (the same content, uploaded before).
"""
from __future__ import annotations

import logging
import os
import re
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..core.commands import serving_request
from ..core.refusal import Refused
from ..extensions import db
from ..models import STATUSES, Camat, StoredFile, Tag, Topic, Trip
from ..search.outbox import DEFER_KEY, sync_after_answer
from . import records, storage, thumbnails
from .analysis import analyse
from .memory import return_freed_pictures, reusing_pictures
from .results import Analysis, EntryFields, IngestResult, Upload, added, duplicate
from .sniff import FileType, sniff
from .text import one_line

log = logging.getLogger(__name__)

#: threads analysing files while the calling thread stores and commits, for a
#: command (``flask import``): two keep both cores of a small server busy (the
#: image work is mostly C code that releases the GIL); never more than it has
COMMAND_THREADS = max(1, min(2, os.cpu_count() or 1))


def analysis_threads() -> int:
    """INGEST_THREADS if set; else one in a web request and ``COMMAND_THREADS`` in a
    command. A web worker analyses one photo at a time (~20 MB each) so that it
    stays under 120 MiB through a batch (benchmarks/batch_memory.py); the
    server's other cores serve the other workers, and a phone's resumable
    uploads send one file per request anyway."""
    return current_app.config.get("INGEST_THREADS") or (1 if serving_request() else COMMAND_THREADS)


MAX_NAME_CHARS = 300

return_freed_pictures()


@dataclass
class _Batch:
    """What every file of one batch shares."""

    fields: EntryFields
    camat_id: int
    trip_id: int
    max_bytes: int
    max_pixels: int
    #: a photo's thumbnails are made after the answer (``ingest_batch``'s ``answer_first``)
    keep_pictures: bool = False


@dataclass
class _Prepared:
    """A received file of known type whose analysis is running in the worker."""

    index: int
    name: str
    received: storage.ReceivedFile
    file_type: FileType
    analysis: Future[Analysis]


def ingest_batch(uploads: list[Upload], fields: EntryFields, *, camat: Camat,
                 trip: Trip, answer_first: bool = False) -> list[IngestResult]:
    """Ingest every upload for ``camat`` on ``trip``; one result per upload, in order.

    ``answer_first``: the caller is a view whose response is sent and closed
    (``core.after_answer``); a single photo's thumbnails are then rendered after
    the answer, once its original and rows are durable (a phone waits for each
    answer before it sends the next photo). A batch renders them as it goes,
    while this thread stores and commits the previous file.

    While this thread stores and commits one file, the next ones are analysed
    (decoded, thumbnailed, read) in ``analysis_threads()`` threads: Pillow and
    pypdf release the GIL in their C code, so the image work overlaps the
    hashing, fsyncs, database and index work, and two photos' image work
    overlap each other, instead of adding up.
    """
    problem = _check_fields(fields)
    batch = _Batch(
        fields=fields, camat_id=camat.id, trip_id=trip.id,  # plain ids: commits expire objects
        max_bytes=current_app.config["MAX_FILE_BYTES"],
        max_pixels=current_app.config["MAX_IMAGE_PIXELS"],
        keep_pictures=answer_first and len(uploads) == 1,
    )
    # Ask search to index once for the batch rather than after every file's
    # commit; the outbox rows are committed with each entry, so none is lost.
    db.session.info[DEFER_KEY] = True
    try:
        threads = analysis_threads()
        with reusing_pictures(), ThreadPoolExecutor(max_workers=threads,
                                                    thread_name_prefix="ingest") as worker:
            run = _BatchRun(batch, worker, len(uploads), threads)
            try:
                for index, upload in enumerate(uploads):
                    name = display_name(upload.filename)
                    if problem:
                        run.results[index] = IngestResult("failed", name, problem, 422)
                    else:
                        run.add(index, upload, name)
                run.drain()
            except BaseException:
                db.session.rollback()
                run.abandon()
                raise
    finally:
        db.session.info.pop(DEFER_KEY, None)
    results = [r for r in run.results if r is not None]
    # A last duplicate check may have opened a transaction; on SQLite it holds
    # the write lock (BEGIN IMMEDIATE) that the index sync's own connection needs.
    db.session.commit()
    if any(r.status == "added" for r in results):
        # Once the answer is sent (at once in a command): the uploader does not
        # wait for the index commit; a search applies the rows first anyway.
        sync_after_answer()
    return results


class _BatchRun:
    """The files of one batch on their way: at most ``ahead`` analysed ahead of the one being saved."""

    def __init__(self, batch: _Batch, worker: ThreadPoolExecutor, size: int,
                 ahead: int = 1) -> None:
        self.batch = batch
        self.worker = worker
        self.ahead = ahead
        self.results: list[IngestResult | None] = [None] * size
        self.in_flight: deque[_Prepared] = deque()
        #: a received file not yet handed to the worker, for ``abandon``
        self.received: storage.ReceivedFile | None = None

    def add(self, index: int, upload: Upload, name: str) -> None:
        try:
            if upload.path is not None:
                self.received = storage.adopt(upload.path, name, self.batch.max_bytes)
            else:
                self.received = storage.receive(upload.stream, name, self.batch.max_bytes)
            file_type = sniff(self.received.head, name)
        except Refused as rejection:
            self._drop_received()
            self.results[index] = IngestResult(
                "failed", name, rejection.message, rejection.status)
            return
        sha256 = self.received.sha256
        if any(p.received.sha256 == sha256 for p in self.in_flight):
            self.drain()  # the same content earlier in this batch: let it land first
        existing = records.existing_entry(sha256)
        if existing is not None:
            self._drop_received()
            self.results[index] = duplicate(name, existing)
            return
        # End the read transaction before the slow part: on SQLite a write
        # transaction (BEGIN IMMEDIATE) would hold the lock for every writer.
        db.session.commit()
        future = self.worker.submit(analyse, self.received.temp_path, file_type, name,
                                    self.batch.max_pixels, keep_picture=self.batch.keep_pictures)
        self.in_flight.append(_Prepared(index, name, self.received, file_type, future))
        self.received = None
        if len(self.in_flight) > self.ahead:
            self._finish_oldest()

    def drain(self) -> None:
        while self.in_flight:
            self._finish_oldest()

    def abandon(self) -> None:
        """After an unexpected error: drop every temporary file still on its way."""
        self._drop_received()
        for prepared in self.in_flight:
            prepared.analysis.cancel()
            storage.discard(prepared.received.temp_path)

    def _finish_oldest(self) -> None:
        prepared = self.in_flight.popleft()
        self.results[prepared.index] = _finish(prepared, self.batch)

    def _drop_received(self) -> None:
        if self.received is not None:
            storage.discard(self.received.temp_path)
            self.received = None


def display_name(filename: str | None) -> str:
    """The client's file name as kept: no folders, no NULs, at most 300 characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    return one_line(name, MAX_NAME_CHARS) or _("(tanpa nama)")


def _check_fields(fields: EntryFields) -> str | None:
    try:
        fields.tags = Tag.normalise(fields.tags or [])
    except Refused as refusal:
        return refusal.message
    if fields.status not in STATUSES:
        return _("Status entri harus draf atau terbit.")
    if fields.topic_id is not None and db.session.get(Topic, fields.topic_id) is None:
        return _("Topik yang dipilih tidak ada.")
    return None


def _finish(prepared: _Prepared, batch: _Batch) -> IngestResult:
    """Store the analysed file under its hash and commit its rows, or clean up after it."""
    name, received = prepared.name, prepared.received
    created: list[Path] = []
    analysis: Analysis | None = None
    try:
        analysis = prepared.analysis.result()
        relpath = storage.original_relpath(received.sha256, prepared.file_type.extension)
        if storage.place(received, relpath):
            created.append(storage.upload_dir() / relpath)
        if analysis.rendered_thumbnails:
            created.extend(thumbnails.store(received.sha256, analysis.rendered_thumbnails))
        result = _save(name, received, relpath, analysis, batch, created)
        if result.status == "added":
            storage.ensure_placed(received, relpath)
            if analysis.picture is not None:
                thumbnails.render_after_answer(received.sha256, analysis.picture)
                analysis.picture = None
        return result
    except (Refused, OSError) as rejection:
        db.session.rollback()
        _delete_unless_used(received, created)
        if isinstance(rejection, OSError):
            refusal = storage.storage_refusal(rejection)
            if refusal is None:
                raise
            rejection = refusal
        return IngestResult("failed", name, rejection.message, rejection.status)
    except BaseException:
        db.session.rollback()
        _delete_unless_used(received, created)
        raise
    finally:
        storage.discard(received.temp_path)
        if analysis is not None and analysis.picture is not None:  # not added: not needed
            analysis.picture.close()


def _save(name: str, received: storage.ReceivedFile, relpath: str, analysis: Analysis,
          batch: _Batch, created: list[Path]) -> IngestResult:
    # Two attempts: the second after losing a race on a new tag's name.
    for attempt in (1, 2):
        try:
            entry = records.add_rows(name, received, relpath, analysis, batch.fields, batch.camat_id,
                              batch.trip_id)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            winner = records.existing_entry(received.sha256)
            if winner is not None:  # a concurrent upload of the same content won
                _delete_unless_used(received, created)
                return duplicate(name, winner)
            if attempt == 2:
                raise
            continue
        return added(name, entry, analysis)
    raise AssertionError("unreachable")


def _delete_unless_used(received: storage.ReceivedFile | None, created: list[Path]) -> None:
    """Delete the files this upload created, unless a row (committed meanwhile) uses them."""
    if not created:
        return
    if received is not None:
        try:
            in_use = db.session.scalar(
                select(StoredFile.id).where(StoredFile.sha256 == received.sha256)) is not None
        except Exception:  # the database itself is failing: keep the files, they are harmless
            log.exception("Could not check whether %s is in use", received.sha256)
            return
        finally:
            db.session.rollback()
        if in_use:
            return
    for path in created:
        storage.discard(path)
    created.clear()
