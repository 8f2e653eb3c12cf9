"""Expired partial uploads go, rows and bytes: on every new upload (a few) and
with ``flask --app archive sweep-uploads`` (all, and files no row knows)."""
from __future__ import annotations

import time

from sqlalchemy import select

from ..core.time import utcnow
from ..core.transaction import after_commit
from ..extensions import db
from . import partials
from .models import PartialUpload

#: a partial file without its row is only removed once this old (its row may be committing)
ORPHAN_AGE_SECONDS = 3600


def sweep_expired(limit: int | None = None) -> list[str]:
    """Delete expired rows (flush only); their files go once the request commits."""
    stmt = select(PartialUpload).where(PartialUpload.expires_at <= utcnow()).order_by(
        PartialUpload.expires_at)
    if limit is not None:
        stmt = stmt.limit(limit)
    expired = list(db.session.scalars(stmt))
    ids = [upload.id for upload in expired]
    for upload in expired:
        db.session.delete(upload)
    if ids:
        db.session.flush()
        after_commit(lambda: [partials.remove(upload_id) for upload_id in ids])
    return ids


def sweep_all() -> tuple[int, int]:
    """For the command: expired rows and their files, then files no row knows.
    Commits; returns (rows removed, files removed)."""
    ids = sweep_expired()
    db.session.commit()
    removed = 0
    for upload_id in ids:
        if partials.size_of(upload_id) is not None:
            partials.remove(upload_id)
            removed += 1
    known = set(db.session.scalars(select(PartialUpload.id)))
    db.session.rollback()
    cutoff = time.time() - ORPHAN_AGE_SECONDS
    for path in partials.folder().glob("*.part"):
        try:
            if path.stem not in known and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return len(ids), removed
