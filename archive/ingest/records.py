"""The rows step: a StoredFile (reused when only its entry was deleted), its
paper pages and the Entry, with a title when none was given."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Entry, PaperPage, StoredFile, Tag
from ..places.stored import store_place
from . import storage
from .results import Analysis, EntryFields
from .text import clean_text, one_line
from .titles import MAX_TITLE_CHARS, propose_title


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
        kind=stored.kind, title=_title(fields, analysis, name),
        description=_description(fields, analysis),
        place_name=one_line(fields.place_name, 300), status=fields.status,
        sample_source=one_line(fields.sample_source, 500) or None,
        sample_licence=one_line(fields.sample_licence, 120) or None,
        taken_at=photo.taken_at if photo else None,
        latitude=photo.latitude if photo else None,
        longitude=photo.longitude if photo else None,
    )
    store_place(entry, analysis.place)
    entry.tags = Tag.get_or_create(fields.tags)
    db.session.add(entry)
    return entry


def _title(fields: EntryFields, analysis: Analysis, name: str) -> str:
    """The title given, else the one proposed from what the file says (``titles``)."""
    given = one_line(fields.title, 300)
    if given:
        return given
    photo, paper = analysis.photo, analysis.paper
    return propose_title(
        photo.description if photo else (paper.title if paper else ""),
        photo.taken_at if photo else None,
        # where the GPS says the photo was taken, before what was typed for the batch
        (analysis.place.short_label if analysis.place else None) or fields.place_name or None,
        name, kind=analysis.file_type.kind)


def _description(fields: EntryFields, analysis: Analysis) -> str:
    """The description given, else a photo's own EXIF description (kept whole
    there when the title proposed from it is cut short)."""
    given = (fields.description or "").replace("\x00", "")
    if given.strip() or analysis.photo is None:
        return given
    own = clean_text(analysis.photo.description, 2000)
    return own if len(own) > MAX_TITLE_CHARS else ""


def existing_entry(sha256: str) -> Entry | None:
    return db.session.scalar(
        select(Entry).join(StoredFile, Entry.file_id == StoredFile.id)
        .where(StoredFile.sha256 == sha256)
    )
