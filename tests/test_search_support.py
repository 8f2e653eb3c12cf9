"""Helpers shared by the search tests: entries made directly with the models."""
from __future__ import annotations

import hashlib
import itertools
from datetime import datetime

import pytest
from sqlalchemy import select

from archive.extensions import db
from archive.models import Camat, Entry, Kecamatan, PaperPage, StoredFile, Tag, Topic, Trip

_counter = itertools.count(1)


def camat_of(kecamatan: str) -> Camat:
    return db.session.scalar(select(Camat).join(Kecamatan).where(Kecamatan.name == kecamatan))


def make_entry(title: str, description: str = "", *, kind: str = "photo", topic: str | None = None,
               tags: tuple[str, ...] = (), kecamatan: str = "Cinambo", status: str = "published",
               pages: list[str] | None = None, place: str = "", taken_at: datetime | None = None,
               gps: bool = False, commit: bool = True) -> Entry:
    """An entry with a fake stored file (no bytes on disk: search never reads them)."""
    n = next(_counter)
    sha = hashlib.sha256(f"{title}-{n}-{datetime.now().timestamp()}".encode()).hexdigest()
    stored = StoredFile(sha256=sha, kind=kind, mime_type="application/pdf" if kind == "paper" else "image/jpeg",
                        size_bytes=1000, storage_path=f"{sha[:2]}/{sha}", original_name=f"f{n}",
                        page_count=len(pages) if pages else None, text_available=bool(pages))
    for number, text in enumerate(pages or [], start=1):
        stored.pages.append(PaperPage(number=number, text=text))
    trip = db.session.scalar(select(Trip).where(Trip.slug == "seoul-2018"))
    entry = Entry(
        trip=trip, camat=camat_of(kecamatan), file=stored, kind=kind, title=title,
        description=description, place_name=place, status=status, taken_at=taken_at,
        topic=db.session.scalar(select(Topic).where(Topic.slug == topic)) if topic else None,
        latitude=37.57 if gps else None, longitude=126.98 if gps else None,
    )
    for name in tags:
        tag = db.session.scalar(select(Tag).where(Tag.name == name)) or Tag(name=name)
        entry.tags.append(tag)
    db.session.add(entry)
    if commit:
        db.session.commit()
    return entry


@pytest.fixture
def ctx(app):
    """A request context with the default synonym groups (PostgreSQL resets truncate them)."""
    from archive.search.synonyms import seed_defaults

    with app.test_request_context():
        seed_defaults()
        db.session.commit()
        yield app


def titles(q: str = "", **kwargs) -> list[str]:
    from archive.search import SearchParams, search_entries

    return [h.entry.title for h in search_entries(SearchParams(q=q, per_page=100, **kwargs)).hits]


def test_helper_entry_is_indexed_after_commit(ctx):
    make_entry("Trotoar lebar di Myeongdong")
    assert titles("trotoar") == ["Trotoar lebar di Myeongdong"]
