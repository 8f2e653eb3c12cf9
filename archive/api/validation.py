"""Checking the API's input: each bad value ends the request with a 4xx naming the field.

Query arguments and lookups (a topic by slug, a trip by key) are the plain
functions here. Request bodies (JSON objects, the upload's form fields) are
pydantic models checked by ``api/bodies.py``, imported by the first request
that sends one (pydantic is ~5 MiB a worker need not hold before). Either way
the answer is the JSON error shape of ``docs/API.md``.
"""
from __future__ import annotations

from typing import Any, NoReturn

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.refusal import Refused
from ..core.rows import MAX_ID, get_row  # noqa: F401 (used by the API modules)
from ..extensions import db
from ..models import KINDS, STATUSES, Tag, Topic, Trip

MAX_TITLE = 300
MAX_PLACE = 300
MAX_DESCRIPTION = 20_000
MAX_PER_PAGE = 100


def invalid(message: str, field: str | None = None) -> NoReturn:
    raise Refused(message, 422, field)


# --- query arguments and lookups -------------------------------------------

def _is_number(raw: str) -> bool:
    # str.isdigit() alone accepts "²", which int() then refuses.
    return raw.isascii() and raw.isdigit()


def positive_int(raw: str | None, name: str, default: int | None = None) -> int | None:
    """A query argument that must be a whole number from 1 up."""
    if raw is None or raw == "":
        return default
    if not _is_number(raw) or not 1 <= int(raw) <= MAX_ID:
        invalid(_("Parameter '%(name)s' harus bilangan bulat positif, bukan '%(value)s'.",
                  name=name, value=raw[:50]), name)
    return int(raw)


def status_value(raw: Any) -> str:
    if raw not in STATUSES:
        invalid(_("Status harus salah satu dari: %(valid)s.", valid=", ".join(STATUSES)), "status")
    return raw


def kind_value(raw: str) -> str:
    if raw not in KINDS:
        invalid(_("Jenis harus salah satu dari: %(valid)s.", valid=", ".join(KINDS)), "kind")
    return raw


def topic_by_slug(raw: Any) -> Topic:
    """The topic whose slug is ``raw``; 422 listing the valid slugs otherwise."""
    topic = None
    # A NUL is in no slug, and PostgreSQL refuses it in a query parameter.
    if isinstance(raw, str) and raw.strip() and "\x00" not in raw:
        topic = db.session.scalar(select(Topic).where(Topic.slug == raw.strip().lower()))
    if topic is None:
        slugs = db.session.scalars(select(Topic.slug).order_by(Topic.position, Topic.slug)).all()
        invalid(_("Topik '%(value)s' tidak dikenal. Topik yang sah: %(valid)s.",
                  value=str(raw)[:80].replace("\x00", ""), valid=", ".join(slugs)), "topic")
    return topic


def trip_by_key(raw: str) -> Trip:
    """A trip by id or slug; 422 listing the known slugs otherwise."""
    key = raw.strip()
    if _is_number(key):
        trip = db.session.get(Trip, int(key)) if int(key) <= MAX_ID else None
    else:
        trip = (db.session.scalar(select(Trip).where(Trip.slug == key))
                if "\x00" not in key else None)
    if trip is None:
        slugs = db.session.scalars(select(Trip.slug).order_by(Trip.year.desc())).all()
        invalid(_("Kunjungan '%(value)s' tidak dikenal. Kunjungan yang ada: %(valid)s.",
                  value=key[:80].replace("\x00", ""), valid=", ".join(slugs)), "trip")
    return trip


def tag_names(raw: Any) -> list[str]:
    """Tags from a comma-separated string or a list: the Tag model's one rule."""
    return Tag.normalise(raw)
