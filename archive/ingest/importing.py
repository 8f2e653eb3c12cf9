"""Import a folder (recursively), a .zip or one file of photos and papers for a
camat, as an admin does from a camat's SD card: every file through
``ingest_batch``, the same pipeline as an upload (sniff, hash, dedup, EXIF,
thumbnails, rows, commit, index), a few files at a time so that memory stays
bounded whatever the folder's size. A second run adds nothing (dedup by hash).

The files' names and the zip's member names are only labels for the summary:
nothing is written under them, and a zip member larger than MAX_FILE_BYTES is
refused while it streams (a zip bomb costs at most that much).
"""
from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sqlalchemy import select

from ..core.refusal import Refused
from ..extensions import db
from ..models import Camat, Topic, Trip, User
from ..trips.operations import trips_of
from .pipeline import ingest_batch
from .results import EntryFields, Upload

#: files handed to one ``ingest_batch``: enough for its worker threads to
#: overlap, few enough that a batch's results and open files stay small
BATCH_FILES = 8
# Files a camera, a phone or an operating system leaves beside the photos.
_SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass(frozen=True)
class ImportItem:
    #: the path inside the folder or zip, for the summary only
    label: str
    open: Callable[[], BinaryIO]


@dataclass
class ImportSummary:
    added: int = 0
    duplicate: int = 0
    #: (label, message) of every file that failed
    failed: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """Whose entries, on which trip, with which topic."""

    camat: Camat
    trip: Trip
    topic_id: int | None


def resolve_target(username: str, trip_slug: str | None, topic_slug: str | None) -> Target:
    """The camat of login ``username``, the trip (by slug, else the camat's newest)
    and the topic; ``Refused`` with a clear message for anything unknown."""
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise Refused(f"Pengguna '{username}' tidak ditemukan.")
    camat = user.camat
    if camat is None:
        raise Refused(f"Pengguna '{username}' bukan camat: entri hanya dimiliki camat.")
    trips = trips_of(camat)
    if trip_slug:
        trip = next((t for t in trips if t.slug == trip_slug), None)
        if trip is None:
            known = ", ".join(t.slug for t in trips) or "tidak ada"
            raise Refused(f"{camat.name} tidak ikut kunjungan '{trip_slug}' (kunjungannya: {known}).")
    elif trips:
        trip = trips[0]
    else:
        raise Refused(f"{camat.name} belum ikut kunjungan apa pun; tambahkan dulu sebagai peserta.")
    topic_id = None
    if topic_slug:
        topic = db.session.scalar(select(Topic).where(Topic.slug == topic_slug))
        if topic is None:
            known = ", ".join(db.session.scalars(select(Topic.slug).order_by(Topic.position)))
            raise Refused(f"Topik '{topic_slug}' tidak dikenal (yang ada: {known}).")
        topic_id = topic.id
    return Target(camat, trip, topic_id)


@contextmanager
def open_source(path: Path) -> Iterator[list[ImportItem]]:
    """The files of the folder (recursively, in name order), of the zip, or the
    one file at ``path``; ``Refused`` when there is nothing readable there."""
    if path.is_dir():
        yield [ImportItem(str(p.relative_to(path)), partial(open, p, "rb"))
               for p in sorted(path.rglob("*")) if p.is_file() and _wanted(p.relative_to(path).parts)]
    elif path.is_file() and zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as err:
            raise Refused(f"Berkas zip {path} rusak: {err}") from None
        with archive:
            yield [ImportItem(info.filename, partial(archive.open, info))
                   for info in sorted(archive.infolist(), key=lambda i: i.filename)
                   if not info.is_dir() and _wanted(PurePosixPath(info.filename).parts)]
    elif path.is_file():
        yield [ImportItem(path.name, partial(open, path, "rb"))]
    elif path.exists():
        raise Refused(f"{path} bukan folder, zip atau berkas biasa.")
    else:
        raise Refused(f"{path} tidak ditemukan.")


def _wanted(parts: tuple[str, ...]) -> bool:
    """Not a hidden file or folder, not a macOS resource fork, not a system file."""
    return not any(p.startswith(".") or p == "__MACOSX" for p in parts) and (
        parts[-1].lower() not in _SYSTEM_FILES)


def import_items(items: list[ImportItem], fields: EntryFields, target: Target, *,
                 on_progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Every item through the ingest pipeline, ``BATCH_FILES`` at a time."""
    summary = ImportSummary()
    camat_id, trip_id = target.camat.id, target.trip.id
    for start in range(0, len(items), BATCH_FILES):
        chunk = items[start:start + BATCH_FILES]
        with ExitStack() as files:
            uploads, labels = [], []
            for item in chunk:
                try:
                    stream = files.enter_context(item.open())
                except (OSError, zipfile.BadZipFile, RuntimeError) as err:
                    summary.failed.append((item.label, f"tidak dapat dibaca: {err}"))
                    continue
                uploads.append(Upload(PurePosixPath(item.label).name, _Guarded(stream, item.label)))
                labels.append(item.label)
            # The pipeline commits, which expires the camat and trip: load them again.
            camat, trip = db.session.get(Camat, camat_id), db.session.get(Trip, trip_id)
            results = ingest_batch(uploads, replace(fields, tags=list(fields.tags)),
                                   camat=camat, trip=trip) if uploads else []
        for label, result in zip(labels, results):
            if result.status == "added":
                summary.added += 1
            elif result.status == "duplicate":
                summary.duplicate += 1
            else:
                summary.failed.append((label, str(result.message)))
        if on_progress is not None:
            on_progress(len(chunk))
    return summary


class _Guarded(io.RawIOBase):
    """A source file whose read errors (a damaged zip member, a failing card)
    refuse that one file (422) instead of stopping the whole import."""

    def __init__(self, stream: BinaryIO, label: str) -> None:
        super().__init__()
        self._stream, self._label = stream, label

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as err:
            raise Refused(f"{self._label} tidak dapat dibaca: {err}", 422) from None
