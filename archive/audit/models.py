"""One row per change: the audit log's table."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.time import utcnow
from ..extensions import db

#: what a record says happened
ACTIONS = ("create", "update", "delete", "publish", "unpublish", "login", "login_failed",
           "logout")


class AuditRecord(db.Model):
    __tablename__ = "audit_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: the user who acted (kept as a name too: the user may be deleted later)
    actor_id: Mapped[Optional[int]] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(64), default="")
    #: the client's address (behind a proxy: the address the proxy reports)
    address: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(16), index=True)
    #: the table of the changed row, and its id
    target: Mapped[str] = mapped_column(String(40), index=True)
    target_id: Mapped[Optional[int]]
    #: a readable name of the row (an entry's title, a user's name)
    summary: Mapped[str] = mapped_column(String(300), default="")
    #: {field: [before, after]}; secrets show only that they changed
    changes: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
