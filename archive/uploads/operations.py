"""Every rule of a resumable upload: create, append, finish (the ingest pipeline), terminate.

Operations only flush; the request commits (``core.transaction``), except
``finish``, which hands the complete file to ``ingest.pipeline.ingest_batch``,
the one documented place below the views that commits.
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..core.refusal import Refused
from ..core.time import utcnow
from ..core.transaction import after_commit
from ..extensions import db
from ..ingest.pipeline import EntryFields, Upload, display_name, ingest_batch
from ..models import Camat, Tag, Topic, Trip, User
from ..trips.operations import trips_of
from . import partials
from .models import PartialUpload
from .sweeping import sweep_expired


@dataclass
class Chunk:
    """One PATCH: where the client says it continues, and its bytes."""

    offset: int
    stream: BinaryIO
    #: (hash object, expected digest) from Upload-Checksum, or None
    checksum: tuple | None = None


def uploader(user: User) -> Camat:
    """Only a camat uploads entries (403 for an admin or a user without a camat)."""
    if user.camat is None:
        raise Refused(_("Akun '%(user)s' tidak terhubung dengan seorang camat; hanya camat yang "
                        "dapat mengunggah entri.", user=user.username), 403)
    return user.camat


def create(user: User, length: int, metadata: dict[str, str]) -> PartialUpload:
    """A new partial upload of ``length`` bytes, within the user's limits."""
    camat = uploader(user)
    config = current_app.config
    if length == 0:
        raise Refused(_("Berkas kosong (0 bita) tidak dapat diunggah."), 400, "Upload-Length")
    if length > config["MAX_FILE_BYTES"]:
        raise Refused(_("Berkas terlalu besar: batasnya %(limit)s MB per berkas.",
                        limit=config["MAX_FILE_BYTES"] // 2**20), 413, "Upload-Length")
    sweep_expired(limit=50)
    count, pending = db.session.execute(
        select(func.count(PartialUpload.id), func.coalesce(func.sum(PartialUpload.length), 0))
        .where(PartialUpload.user_id == user.id, PartialUpload.finished_at.is_(None),
               PartialUpload.expires_at > utcnow())).one()
    if count >= config["UPLOAD_PENDING_MAX_COUNT"]:
        raise Refused(_("Sudah ada %(count)d unggahan Anda yang belum selesai (batasnya %(limit)d). "
                        "Selesaikan atau batalkan dulu sebagian.", count=count,
                        limit=config["UPLOAD_PENDING_MAX_COUNT"]), 429)
    if pending + length > config["UPLOAD_PENDING_MAX_BYTES"]:
        raise Refused(_("Unggahan Anda yang belum selesai sudah %(pending)s MB; dengan berkas ini "
                        "melebihi batas %(limit)s MB. Selesaikan atau batalkan dulu sebagian.",
                        pending=pending // 2**20, limit=config["UPLOAD_PENDING_MAX_BYTES"] // 2**20),
                      429)
    now = utcnow()
    upload = PartialUpload(
        user_id=user.id, length=length,
        filename=display_name(metadata.get("filename") or metadata.get("name")),
        fields=_entry_fields(camat, metadata), created_at=now,
        expires_at=now + timedelta(hours=config["UPLOAD_EXPIRY_HOURS"]),
    )
    db.session.add(upload)
    db.session.flush()
    partials.create(upload.id)
    return upload


def _entry_fields(camat: Camat, metadata: dict[str, str]) -> dict:
    """The entry fields of Upload-Metadata, checked now so that a mistake is known at once."""
    trips = trips_of(camat)
    trip_key = (metadata.get("trip") or "").strip()
    trip = next((t for t in trips if trip_key in (str(t.id), t.slug)), None) if trip_key else (
        trips[0] if trips else None)
    if trip is None:
        raise Refused(_("Anda tidak terdaftar sebagai peserta kunjungan ini. Hubungi admin."),
                      422, "trip")
    topic_key = (metadata.get("topic") or "").strip()
    topic_id = None
    if topic_key:
        column = Topic.id if topic_key.isdigit() else Topic.slug
        topic_id = db.session.scalar(select(Topic.id).where(
            column == (int(topic_key) if topic_key.isdigit() else topic_key.lower())))
        if topic_id is None:
            raise Refused(_("Topik yang dipilih tidak ada."), 422, "topic")
    status = (metadata.get("status") or "draft").strip()
    if status not in ("draft", "published"):
        raise Refused(_("Status entri harus draf atau terbit."), 422, "status")
    return {
        "trip_id": trip.id, "topic_id": topic_id, "title": (metadata.get("title") or "").strip()[:300], "tags": Tag.normalise(metadata.get("tags") or ""),
        "place_name": (metadata.get("place") or metadata.get("place_name") or "").strip()[:200],
        "description": (metadata.get("description") or "").strip(), "status": status,
    }


def find(upload_id: str, user: User) -> PartialUpload:
    """The user's own upload: 404 for an unknown id or another user's, 410 once expired."""
    upload = db.session.get(PartialUpload, upload_id) if len(upload_id) <= 32 else None
    if upload is None or upload.user_id != user.id:
        raise Refused(_("Unggahan ini tidak ditemukan."), 404)
    if upload.expires_at <= utcnow():
        raise Refused(_("Unggahan ini sudah kedaluwarsa; unggah berkasnya dari awal."), 410)
    return upload


def offset_of(upload: PartialUpload) -> int:
    if upload.finished:
        return upload.length
    return partials.size_of(upload.id) or 0


def append(upload_id: str, user: User, chunk: Chunk) -> PartialUpload:
    """Write one PATCH's bytes; when the last byte is in, the file becomes an entry (``finish``).

    The row is read, then the transaction ended before the body is read: on
    SQLite a write transaction would hold the lock for every other writer
    while a slow phone sends its megabytes.
    """
    upload = find(upload_id, user)
    length, finished = upload.length, upload.finished
    db.session.rollback()
    with partials.locked(upload_id) as handle:
        current = partials.size_of(upload_id) or 0
        if finished or chunk.offset != current:
            raise Refused(_("Upload-Offset %(sent)d tidak sama dengan posisi unggahan ini (%(now)d); "
                            "tanyakan posisinya dengan HEAD lalu lanjutkan dari sana.",
                            sent=chunk.offset, now=length if finished else current), 409)
        offset = partials.append(handle, current, chunk.stream, length - current, chunk.checksum)
        upload = find(upload_id, user)
        if offset == length:
            finish(upload, partials.path_of(upload_id))
    return upload


def finish(upload: PartialUpload, path) -> None:
    """The complete file through the same pipeline as a form's upload; the row keeps the result."""
    user = db.session.get(User, upload.user_id)
    camat = uploader(user)
    fields = dict(upload.fields)
    trip = db.session.get(Trip, fields.pop("trip_id"))
    upload_id, name = upload.id, upload.filename
    # The pipeline takes the file as it lies (hashed in place, renamed, not copied).
    result = ingest_batch([Upload(filename=name, path=path)], EntryFields(**fields),
                          camat=camat, trip=trip, answer_first=True)[0]
    upload = db.session.get(PartialUpload, upload_id)
    upload.finished_at = utcnow()
    upload.result_status, upload.result_http = result.status, result.http_status
    upload.result_message = result.message
    entry = result.entry
    if entry is not None and entry.camat_id != camat.id and entry.status != "published":
        # Someone else's draft: neither its id nor its title is for this camat.
        upload.result_message = _("Berkas yang sama sudah ada di arsip sebagai draf camat lain.")
        entry = None
    upload.result_entry_id = entry.id if entry is not None else None
    db.session.flush()
    after_commit(lambda: partials.remove(upload_id))


def terminate(upload_id: str, user: User) -> None:
    """DELETE: the upload and its bytes go (an entry it already became stays)."""
    upload = find(upload_id, user)
    waiting = not upload.finished and partials.size_of(upload_id) is not None
    # Under the lock: a PATCH still writing finishes first (or this is a 423).
    with partials.locked(upload_id) if waiting else nullcontext():
        db.session.delete(upload)
        db.session.flush()
    after_commit(lambda: partials.remove(upload_id))
