"""Who may see and change an entry: the one rule, in the three forms it is used.

- ``Viewer.can_see(entry)`` / ``Viewer.can_edit(entry)``: Python predicates for
  a loaded row (pages, API, files, slides, PDF, zip, related entries);
- ``Viewer.entry_clause()``: the same rule as an SQL condition on ``Entry``
  (lists, the API's list, the map, counts);
- ``Viewer.index_mask(published, camat_ids)``: the same rule over the search
  index's facet columns (search results, facets, suggestions).

Published entries are for everyone; a draft for its author (the camat) and
admins. Someone else's draft is "not found", never "forbidden", so nothing
confirms that it exists. Reports follow the same rule (``reports.visibility``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import g, has_request_context
from sqlalchemy import ColumnElement, or_, true

from ..models import Entry

if TYPE_CHECKING:  # the search's facet columns; numpy is imported by the first search
    import numpy as np


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a visitor (the default), a camat, or an admin."""

    is_admin: bool = False
    camat_id: int | None = None

    @classmethod
    def of(cls, user) -> "Viewer":
        """The viewer for a user row, Flask-Login's anonymous user, or None."""
        if user is None or not getattr(user, "is_authenticated", False):
            return cls()
        camat = user.camat
        return cls(is_admin=bool(user.is_admin), camat_id=camat.id if camat else None)

    def owns(self, camat_id: int | None) -> bool:
        return self.camat_id is not None and camat_id == self.camat_id

    def can_edit(self, entry: Entry) -> bool:
        """Admins change any entry; a camat only their own."""
        return self.is_admin or self.owns(entry.camat_id)

    def can_see(self, entry: Entry) -> bool:
        return entry.status == "published" or self.can_edit(entry)

    def entry_clause(self) -> ColumnElement[bool]:
        if self.is_admin:
            return true()
        if self.camat_id is not None:
            return or_(Entry.status == "published", Entry.camat_id == self.camat_id)
        return Entry.status == "published"

    def index_mask(self, published: np.ndarray, camat_ids: np.ndarray) -> np.ndarray | None:
        """Which index documents this viewer may see (None: all of them)."""
        if self.is_admin:
            return None
        visible = published == 1
        if self.camat_id is not None:
            visible = visible | (camat_ids == self.camat_id)
        return visible


def current_viewer() -> Viewer:
    """Who is asking in this request: the API token's user under /api/, else the
    logged-in user of the site, else a visitor."""
    if not has_request_context():
        return Viewer()
    if "api_user" in g:
        return Viewer.of(g.api_user)
    from flask_login import current_user

    return Viewer.of(current_user)


def as_viewer(who) -> Viewer:
    """A Viewer from a Viewer, a user row, Flask-Login's anonymous user or None
    (None: whoever is asking in this request)."""
    if isinstance(who, Viewer):
        return who
    if who is None:
        return current_viewer()
    return Viewer.of(who)
