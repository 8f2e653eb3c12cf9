"""Helpers shared by the API tests: tokens, entries made straight in the database, images.

Entries for the read tests are written as rows (no files, no ingest) so those
tests stay fast; the upload tests go through the real ingest pipeline.
"""
from __future__ import annotations

import io
import secrets
from itertools import count

import pytest
from sqlalchemy import select

from archive.extensions import db
from archive.models import ApiToken, Camat, Entry, Kecamatan, StoredFile, Topic, Trip, User

_numbers = count(1)


def issue_token(app, username: str) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        row, token = ApiToken.issue(user)
        db.session.add(row)
        db.session.commit()
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def camat_id(app, kecamatan: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Camat.id).join(Kecamatan).where(Kecamatan.name == kecamatan))


def make_entry(app, kecamatan: str = "Cinambo", *, kind: str = "photo",
               status: str = "published", topic: str | None = "rivers",
               title: str | None = None, **extra) -> int:
    """An entry row (and its StoredFile row) for ``kecamatan``'s camat on the Seoul trip."""
    n = next(_numbers)
    with app.app_context():
        camat = db.session.scalar(select(Camat).join(Kecamatan).where(Kecamatan.name == kecamatan))
        trip = db.session.scalar(select(Trip).where(Trip.slug == "seoul-2018"))
        topic_row = db.session.scalar(select(Topic).where(Topic.slug == topic)) if topic else None
        sha = secrets.token_hex(32)
        stored = StoredFile(
            sha256=sha, kind=kind, size_bytes=1000,
            mime_type="image/jpeg" if kind == "photo" else "application/pdf",
            storage_path=f"{sha[:2]}/{sha}.{'jpg' if kind == 'photo' else 'pdf'}",
            original_name=f"file{n}", page_count=None if kind == "photo" else 3,
            text_available=kind == "paper",
        )
        entry = Entry(trip=trip, camat=camat, topic=topic_row, file=stored, kind=kind,
                      title=title or f"Entri {n}", status=status, **extra)
        db.session.add(entry)
        db.session.commit()
        return entry.id


def jpeg_bytes(seed: int = 0, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small JPEG whose content (and so hash) differs by ``seed``."""
    from PIL import Image

    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256))
    image.putpixel((seed % size[0], 0), (255 - (seed % 256), 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def tokens(app):
    """Tokens of cinambo, batununggal (another camat) and admin."""
    return {name: issue_token(app, name) for name in ("cinambo", "batununggal", "admin")}


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.is_json, response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert body["status"] == status and isinstance(body["message"], str) and body["message"]
    return body
