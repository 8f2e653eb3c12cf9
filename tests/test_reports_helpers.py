"""Helpers for the report tests: find seeded camat and make entries straight in the database.

No test lives here; the other test_reports_* modules import these.
"""
from __future__ import annotations

import uuid

from sqlalchemy import select

from archive.extensions import db
from archive.models import Camat, Entry, StoredFile, Topic, Trip, User
from archive.reports.models import Report


def camat_of(username: str) -> Camat:
    return db.session.scalar(select(Camat).join(User, Camat.user_id == User.id)
                             .where(User.username == username))


def seoul() -> Trip:
    return db.session.scalar(select(Trip).where(Trip.slug == "seoul-2018"))


def topic(slug: str) -> Topic:
    return db.session.scalar(select(Topic).where(Topic.slug == slug))


def make_entry(username: str, title: str, topic_slug: str | None = "sidewalks",
               status: str = "published", kind: str = "photo", place: str = "") -> Entry:
    """An entry with a stored-file row whose hash is made up: enough for reports."""
    digest = uuid.uuid4().hex * 2
    stored = StoredFile(
        sha256=digest, kind=kind, mime_type="image/jpeg" if kind == "photo" else "application/pdf",
        size_bytes=1, storage_path=f"{digest[:2]}/{digest}", original_name=f"{title}.jpg",
    )
    entry = Entry(
        trip=seoul(), camat=camat_of(username), topic=topic(topic_slug) if topic_slug else None,
        file=stored, kind=kind, title=title, description=f"Keterangan {title}", place_name=place,
        status=status,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def report_of(username: str) -> Report | None:
    return db.session.scalar(select(Report).where(Report.camat_id == camat_of(username).id))
