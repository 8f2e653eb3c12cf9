"""Editing several entries at once (the review grid of a batch): all rows or none.

Each row names an entry and the fields to change (a field left as ``None``
stays as it is). Every row is checked first, with every problem kept per row
and field; only when no row has a problem does each go through
``operations.apply_changes``, the one way an entry is edited, so the audit log
and the search index follow as for a single edit. The request's transaction
commits them together.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.refusal import Refused
from ..core.rows import MAX_ID
from ..extensions import db
from ..models import STATUSES, Entry, Tag, Topic
from .operations import EntryChanges, apply_changes
from .visibility import Viewer

#: rows in one review grid (and one save)
MAX_ROWS = 200
MAX_TITLE = 300
MAX_PLACE = 300
MAX_DESCRIPTION = 20_000
#: the fields a row may carry
FIELDS = ("title", "description", "topic_id", "tags", "place_name", "status")


@dataclass
class RowChange:
    """One row of the grid: the entry's id and what to set (None: leave as it is).

    ``topic_id`` 0 clears the topic; ``tags`` is the text typed ("a, b")."""

    id: int
    title: str | None = None
    description: str | None = None
    topic_id: int | None = None
    tags: str | list[str] | None = None
    place_name: str | None = None
    status: str | None = None


class RowsRefused(Refused):
    """Some rows cannot be saved: ``errors`` maps an entry id to {field: message}."""

    def __init__(self, errors: dict[int, dict[str, str]]) -> None:
        count = len(errors)
        super().__init__(_("%(n)d baris belum dapat disimpan; tidak ada yang diubah.", n=count)
                         if count > 1 else
                         _("1 baris belum dapat disimpan; tidak ada yang diubah."), 422)
        self.errors = errors


def editable_entries(viewer: Viewer, ids: list[int]) -> tuple[list[Entry], list[int]]:
    """The entries of ``ids`` this viewer may edit, in the order asked, and the ids
    left out (unknown, or not theirs: the two look the same)."""
    wanted = [i for i in dict.fromkeys(ids) if 0 < i <= MAX_ID][:MAX_ROWS]
    found = {e.id: e for e in db.session.scalars(
        select(Entry).where(Entry.id.in_(wanted)).options(
            selectinload(Entry.tags), selectinload(Entry.file), selectinload(Entry.topic)))}
    entries = [found[i] for i in wanted if i in found and viewer.can_edit(found[i])]
    kept = {e.id for e in entries}
    return entries, [i for i in dict.fromkeys(ids) if i not in kept]


def _row_problems(row: RowChange, entry: Entry | None, topics: set[int],
                  changes: EntryChanges) -> dict[str, str]:
    """Check one row against the same limits as the edit page, filling ``changes``."""
    problems: dict[str, str] = {}
    if entry is None:
        return {"id": _("Entri ini tidak ada atau bukan milik Anda.")}
    for name in ("title", "description", "place_name"):
        value = getattr(row, name)
        if value is not None:  # a NUL is in no real text, and PostgreSQL refuses it
            setattr(row, name, value.replace("\x00", ""))
    if row.title is not None:
        changes.title = row.title.strip()
        if not changes.title:
            problems["title"] = _("Judul wajib diisi.")
        elif len(changes.title) > MAX_TITLE:
            problems["title"] = _("Paling banyak %(max)d karakter.", max=MAX_TITLE)
    for name, limit in (("description", MAX_DESCRIPTION), ("place_name", MAX_PLACE)):
        value = getattr(row, name)
        if value is not None:
            setattr(changes, name, value.strip())
            if len(value.strip()) > limit:
                problems[name] = _("Paling banyak %(max)d karakter.", max=limit)
    if row.topic_id is not None:
        if row.topic_id and row.topic_id not in topics:
            problems["topic_id"] = _("Pilihan ini tidak tersedia.")
        changes.topic_id = row.topic_id or None
    if row.tags is not None:
        try:
            changes.tags = Tag.normalise(row.tags)
        except Refused as refusal:
            problems["tags"] = refusal.message
    if row.status is not None:
        if row.status not in STATUSES:
            problems["status"] = _("Pilihan ini tidak tersedia.")
        changes.status = row.status
    return problems


def save_rows(viewer: Viewer, rows: list[RowChange]) -> list[Entry]:
    """Apply every row, or none: ``RowsRefused`` names each row's problems."""
    if not rows:
        raise Refused(_("Tidak ada baris untuk disimpan."), 422)
    if len(rows) > MAX_ROWS:
        raise Refused(_("Paling banyak %(max)d baris sekaligus.", max=MAX_ROWS), 422)
    entries, _left_out = editable_entries(viewer, [r.id for r in rows])
    by_id = {e.id: e for e in entries}
    topics = set(db.session.scalars(select(Topic.id)))
    errors: dict[int, dict[str, str]] = {}
    planned: list[tuple[Entry, EntryChanges]] = []
    for row in rows:
        entry = by_id.get(row.id)
        changes = EntryChanges.of(entry) if entry is not None else EntryChanges(title="")
        problems = _row_problems(row, entry, topics, changes)
        if problems:
            errors[row.id] = problems
        else:
            planned.append((entry, changes))
    if errors:
        raise RowsRefused(errors)
    for entry, changes in planned:
        apply_changes(entry, changes)
    return [entry for entry, _changes in planned]
