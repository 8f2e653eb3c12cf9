"""Search's own tables: the index outbox and the admin-editable synonym groups."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..core.time import utcnow


class IndexOutbox(db.Model):
    """An entry whose index document must be (re)written or removed.

    Rows are written in the same transaction as the change, so they exist
    exactly when the change was committed; they are deleted only after the
    index has taken the change. Applying a row reads the entry's current
    state: present means update, absent means delete.
    """

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: no foreign key: the row must outlive the entry it removes from the index
    entry_id: Mapped[int] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchSynonym(db.Model):
    """One group of words that mean the same, e.g. ``river, sungai, kali``."""

    __tablename__ = "search_synonym"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: comma-separated words or phrases, in any language
    terms: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def term_list(self) -> list[str]:
        return [t.strip() for t in self.terms.split(",") if t.strip()]
