"""Operations on entries behind the camat's pages: tags, edits, publishing, deleting.

These only flush; the request's transaction boundary commits. Files on disk
are removed only after that commit succeeded (``core.transaction.after_commit``),
so a failed commit never loses a file that a row still points to.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from ..core.transaction import after_commit
from ..extensions import db
from ..core.time import utcnow
from ..models import Entry, StoredFile, Tag
from ..places.stored import derive_place

log = logging.getLogger(__name__)


@dataclass
class EntryChanges:
    """What the edit form may change on one entry."""

    title: str
    description: str = ""
    topic_id: int | None = None
    tags: list[str] = field(default_factory=list)
    place_name: str = ""
    taken_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    status: str = "draft"

    @classmethod
    def of(cls, entry: Entry) -> "EntryChanges":
        """The entry as it is: a partial change (the API's PATCH) starts from this."""
        return cls(title=entry.title, description=entry.description or "",
                   topic_id=entry.topic_id, tags=list(entry.tag_names),
                   place_name=entry.place_name or "", taken_at=entry.taken_at,
                   latitude=entry.latitude, longitude=entry.longitude, status=entry.status)


def set_tags(entry: Entry, names: list[str]) -> None:
    """Point the entry at the tags with these (already normalised) names, creating new ones."""
    entry.tags = Tag.get_or_create(names)


def apply_changes(entry: Entry, changes: EntryChanges) -> None:
    """The one way an entry is edited, from the edit page and the API's PATCH alike."""
    entry.title = changes.title.strip()
    entry.description = changes.description.strip()
    entry.topic_id = changes.topic_id
    entry.place_name = changes.place_name.strip()
    entry.taken_at = changes.taken_at
    moved = (entry.latitude, entry.longitude) != (changes.latitude, changes.longitude)
    entry.latitude = changes.latitude
    entry.longitude = changes.longitude
    if moved:
        derive_place(entry)
    entry.status = changes.status
    set_tags(entry, changes.tags)
    # A change of tags alone does not touch the entry's own columns.
    entry.updated_at = utcnow()
    db.session.flush()


def set_status(entry: Entry, status: str) -> None:
    entry.status = status
    db.session.flush()


def delete_entry(entry: Entry) -> None:
    """Delete the entry, and its stored file when no other entry uses it; the
    file on disk and its thumbnails go once the deletion is committed."""
    stored = entry.file
    db.session.delete(entry)
    db.session.flush()
    still_used = db.session.scalar(
        select(func.count(Entry.id)).where(Entry.file_id == stored.id))
    if still_used:
        return
    paths = files_on_disk(stored)
    db.session.delete(stored)
    db.session.flush()
    after_commit(lambda: remove_files(paths))


def files_on_disk(stored: StoredFile) -> list[Path]:
    """The original and every thumbnail of a stored file."""
    from ..ingest import previews, storage, thumbnails

    paths = [storage.original_path(stored)]
    if stored.kind == "photo":
        paths += [thumbnails.thumbnail_path(stored, size) for size in thumbnails.THUMBNAIL_SIZES]
    else:  # the first page and any page a search hit asked for
        paths += previews.stored_previews(stored)
    return paths


def remove_files(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            # The row is gone already; a leftover file only costs disk space.
            log.warning("Could not remove %s", path, exc_info=True)
