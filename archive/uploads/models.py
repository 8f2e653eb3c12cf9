"""A partial upload (tus): who sends it, how long it will be, what it is for, and its result."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db


def new_upload_id() -> str:
    """An unguessable id: it is the upload's URL, and a URL leaks more easily than a cookie."""
    return secrets.token_hex(16)


class PartialUpload(db.Model):
    """One tus upload. The bytes received so far are the file ``tmp/tus/<id>.part``
    under UPLOAD_DIR (its size is the offset); the row never becomes an entry itself:
    once the last byte arrives the file goes through ``ingest.pipeline`` and the
    row keeps only the result, until it expires and is swept."""

    __tablename__ = "partial_upload"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_upload_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: Upload-Length: the whole file's size in bytes
    length: Mapped[int] = mapped_column(BigInteger)
    #: the client's file name (display only, never used on disk)
    filename: Mapped[str] = mapped_column(String(300), default="")
    #: the entry fields from Upload-Metadata: trip, topic, tags, place, description, status
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    #: set when the last byte arrived and the pipeline answered
    finished_at: Mapped[Optional[datetime]] = mapped_column(default=None)
    #: the pipeline's answer: "added" | "duplicate" | "failed"
    result_status: Mapped[Optional[str]] = mapped_column(String(16), default=None)
    result_http: Mapped[Optional[int]] = mapped_column(default=None)
    result_message: Mapped[str] = mapped_column(Text, default="")
    result_entry_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("entry.id", ondelete="SET NULL"), default=None)

    @property
    def finished(self) -> bool:
        return self.finished_at is not None
