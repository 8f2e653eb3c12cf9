"""Database rows: the seeded ones looked up, and entries made for a test.

``make_entry`` writes an entry and a stored-file row straight in the database
(no bytes on disk: nothing that uses it reads them), so tests stay fast;
``ingest`` goes through the real upload pipeline, thumbnails and all.
Both work in the app or request context the test holds; ``add_entry`` and
the ``..._id`` helpers open an app context of their own.
"""
from __future__ import annotations

import io
import secrets
from itertools import count

from sqlalchemy import func, or_, select

from archive.extensions import db
from archive.ingest.pipeline import EntryFields, Upload, ingest_batch
from archive.models import Camat, Entry, Kecamatan, PaperPage, StoredFile, Tag, Topic, Trip, User

_numbers = count(1)


def camat_of(name: str) -> Camat:
    """The camat by kecamatan name or by login: "Bojongloa Kaler" or "bojongloakaler"."""
    return db.session.scalar(
        select(Camat).join(Kecamatan).outerjoin(User, Camat.user_id == User.id)
        .where(or_(Kecamatan.name == name, User.username == name)))


def camat_id(app, name: str) -> int:
    with app.app_context():
        return camat_of(name).id


def seoul() -> Trip:
    """The seeded trip, Seoul 2018."""
    return db.session.scalar(select(Trip).where(Trip.slug == "seoul-2018"))


def topic(slug: str) -> Topic:
    return db.session.scalar(select(Topic).where(Topic.slug == slug))


def topic_id(app, slug: str) -> int:
    with app.app_context():
        return topic(slug).id


def latest_entry_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(Entry.id)))


def make_entry(title: str | None = None, description: str = "", *, camat: str = "cinambo",
               kind: str = "photo", status: str = "published", topic: str | None = None,
               tags: tuple[str, ...] = (), pages: list[str] | None = None, commit: bool = True,
               **fields) -> Entry:
    """An entry of ``camat`` (see camat_of) on the Seoul trip, with a stored-file
    row of a made-up hash. A paper has ``pages`` (its text, one row a page) or
    else three pages without text rows. ``fields`` are further Entry columns
    (place_name, taken_at, latitude, created_at, ...). Committed, or else
    flushed, so that it has an id."""
    n = next(_numbers)
    sha = secrets.token_hex(32)
    paper = kind == "paper"
    stored = StoredFile(
        sha256=sha, kind=kind, size_bytes=1000,
        mime_type="application/pdf" if paper else "image/jpeg",
        storage_path=f"{sha[:2]}/{sha}.{'pdf' if paper else 'jpg'}", original_name=f"file{n}",
        page_count=(len(pages) if pages else 3) if paper else None, text_available=paper,
    )
    for number, text in enumerate(pages or [], start=1):
        stored.pages.append(PaperPage(number=number, text=text))
    entry = Entry(trip=seoul(), camat=camat_of(camat), file=stored, kind=kind,
                  title=title or f"Entri {n}", description=description, status=status,
                  topic=db.session.scalar(select(Topic).where(Topic.slug == topic)) if topic else None,
                  **fields)
    for name in tags:
        entry.tags.append(db.session.scalar(select(Tag).where(Tag.name == name)) or Tag(name=name))
    db.session.add(entry)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return entry


def add_entry(app, camat: str = "Cinambo", *, topic: str | None = "rivers", **fields) -> int:
    """make_entry in an app context of its own (on rivers unless told): the new entry's id."""
    with app.app_context():
        return make_entry(camat=camat, topic=topic, **fields).id


def ingest(camat: Camat, files: list[tuple[str, bytes]], *, topic_slug: str = "rivers",
           status: str = "published", title: str = "", place: str = "", start: int = 0) -> list[int]:
    """``files`` (name, bytes) through the real pipeline, one batch each: the new
    entries' ids, in order. Titles are "<title> <n>", n counted from ``start`` + 1."""
    ids = []
    for n, (name, data) in enumerate(files):
        fields = EntryFields(title=f"{title} {start + n + 1}".strip() if title else "",
                             topic_id=topic(topic_slug).id, place_name=place, status=status)
        [result] = ingest_batch([Upload(name, io.BytesIO(data))], fields, camat=camat, trip=seoul())
        assert result.status == "added", result.message
        ids.append(result.entry.id)
    return ids



def password_of(username: str) -> str:
    """The demo password archive.seed gives a seeded login."""
    from archive.seed import ADMIN_DEMO, demo_password

    return ADMIN_DEMO[1] if username == ADMIN_DEMO[0] else demo_password(username)
