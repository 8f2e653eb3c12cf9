"""The rows step: a StoredFile (reused when only its entry was deleted), its
paper pages and the Entry, with a title when none was given."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Entry, PaperPage, StoredFile, Tag
from . import storage
from .results import Analysis, EntryFields
from .text import one_line


def add_rows(name: str, received: storage.ReceivedFile, relpath: str, analysis: Analysis,
              fields: EntryFields, camat_id: int, trip_id: int) -> Entry:
    # One flush per entry: without this the tag lookup below would autoflush
    # the new StoredFile first, and every flush runs the search outbox hook.
    with db.session.no_autoflush:
        entry = _new_rows(name, received, relpath, analysis, fields, camat_id, trip_id)
    db.session.flush()
    return entry


def _new_rows(name: str, received: storage.ReceivedFile, relpath: str, analysis: Analysis,
              fields: EntryFields, camat_id: int, trip_id: int) -> Entry:
    photo, paper = analysis.photo, analysis.paper
    stored = db.session.scalar(select(StoredFile).where(StoredFile.sha256 == received.sha256))
    if stored is None:  # (else: a file whose entry was deleted; its row is reused)
        stored = StoredFile(
            sha256=received.sha256, kind=analysis.file_type.kind,
            mime_type=analysis.file_type.mime_type, size_bytes=received.size_bytes,
            storage_path=relpath, original_name=name,
            width=analysis.width, height=analysis.height,
        )
        if photo is not None:
            stored.camera_make, stored.camera_model = photo.make, photo.model
            stored.orientation, stored.altitude = photo.orientation, photo.altitude
            stored.exif_taken_at, stored.exif = photo.taken_at, photo.tags or None
        if paper is not None:
            stored.page_count, stored.text_available = paper.page_count, paper.text_available
            stored.pages = [PaperPage(number=i, text=text)
                            for i, text in enumerate(paper.pages, start=1)]
        db.session.add(stored)
    entry = Entry(
        trip_id=trip_id, camat_id=camat_id, topic_id=fields.topic_id, file=stored,
        kind=stored.kind, title=_default_title(fields, analysis, name),
        description=(fields.description or "").replace("\x00", ""),
        place_name=one_line(fields.place_name, 300), status=fields.status,
        taken_at=photo.taken_at if photo else None,
        latitude=photo.latitude if photo else None,
        longitude=photo.longitude if photo else None,
    )
    entry.tags = Tag.get_or_create(fields.tags)
    db.session.add(entry)
    return entry


def _default_title(fields: EntryFields, analysis: Analysis, name: str) -> str:
    candidates = [fields.title]
    if analysis.photo is not None:
        candidates.append(analysis.photo.description)
    if analysis.paper is not None:
        candidates.append(analysis.paper.title)
    candidates.append(_title_from_filename(name))
    for candidate in candidates:
        title = one_line(candidate, 300)
        if title:
            return title
    return _("Foto tanpa judul") if analysis.file_type.kind == "photo" else _("Makalah tanpa judul")


def _title_from_filename(name: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return re.sub(r"[_\s]+", " ", stem).strip(" -.")


def existing_entry(sha256: str) -> Entry | None:
    return db.session.scalar(
        select(Entry).join(StoredFile, Entry.file_id == StoredFile.id)
        .where(StoredFile.sha256 == sha256)
    )
