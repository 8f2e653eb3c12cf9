"""Rules on an entry's derived place: does it contradict the typed one, taking it
in one click, and filling it for entries stored before places existed.

Only flush; the request's transaction boundary (or the CLI) commits.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.refusal import Refused
from ..entries.operations import EntryChanges, apply_changes
from ..extensions import db
from ..models import Entry
from .lookup import Disagreement, disagreement
from .stored import derive_place, stored_place


def place_disagreement(entry: Entry) -> Disagreement | None:
    """Whether the entry's typed place contradicts its GPS place."""
    return disagreement(entry.place_name or "", stored_place(entry), entry.latitude,
                        entry.longitude)


def take_derived_place(entry: Entry) -> str:
    """Replace the typed place by the derived one, through the one edit rule (so
    the audit log and the search index follow); answers the new place."""
    place = stored_place(entry)
    if place is None:
        raise Refused(_("Entri ini tidak punya tempat dari GPS."), status=409)
    changes = EntryChanges.of(entry)
    changes.place_name = place.label
    apply_changes(entry, changes)
    return place.label


def entries_to_place() -> list[int]:
    """Entries with a position, and those whose derived place outlived their position."""
    has_position = Entry.latitude.is_not(None) & Entry.longitude.is_not(None)
    return list(db.session.scalars(
        select(Entry.id).where(has_position | (Entry.gps_country != "")).order_by(Entry.id)))


def rebuild_places(entry_ids: Iterable[int], done: Callable[[int], None] = lambda n: None,
                   batch: int = 200) -> int:
    """Derive the place of these entries from their stored GPS, committing per
    batch (a CLI's work); answers how many entries changed."""
    ids = list(entry_ids)
    changed = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        for entry in db.session.scalars(select(Entry).where(Entry.id.in_(chunk))):
            before = stored_place(entry)
            derive_place(entry)
            changed += stored_place(entry) != before
        db.session.commit()
        done(len(chunk))
    return changed
