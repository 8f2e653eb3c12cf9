"""Writing the audit log: a record for every row a flush creates, changes or deletes.

``after_flush`` sees the flush's new, changed and deleted objects with their
attribute history, and inserts one ``audit_record`` row each on the flush's
own connection (as ``search.outbox`` does), so the record commits or rolls
back with the change. Every table is audited except the log itself and
bookkeeping (``SKIPPED_TABLES``); a new feature's tables are audited without
a line here. Secrets (password and token hashes) are recorded as "changed",
never with their values. Logins, which change no audited row or are refused,
are recorded with :func:`record_login`; a refused login's record is kept even
though the request rolls back (``core.transaction.keep``).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import event, inspect, insert
from sqlalchemy.orm import Session

from ..core.time import utcnow
from ..extensions import db
from .models import AuditRecord

SKIPPED_TABLES = {"audit_record", "index_outbox", "user_session", "paper_page", "partial_upload"}
SECRET_FIELDS = {"password_hash", "token_hash"}
#: bookkeeping columns that change on their own
NOISE_FIELDS = {"updated_at", "last_used_at", "created_at"}
#: columns that name a row, in order of preference
NAME_FIELDS = ("title", "username", "name", "slug", "period", "terms", "original_name")
MAX_TEXT = 300

_installed = False


def install() -> None:
    """Listen on Flask-SQLAlchemy's session (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(db.session, "after_flush", _after_flush)
    event.listen(db.session, "before_flush", _refuse_editing_the_log)
    _installed = True


def actor() -> tuple[int | None, str, str]:
    """(user id, user name, address) of whoever is acting: the API token's user,
    the logged-in user, a visitor, or "cli" outside a request."""
    if not has_request_context():
        return None, "cli", ""
    user = g.get("api_user") or g.get("_login_user")
    address = (request.remote_addr or "")[:64]
    if user is None or not getattr(user, "is_authenticated", False):
        return None, "", address
    return user.id, user.username, address


def record_login(action: str, username: str, user_id: int | None = None) -> AuditRecord:
    """A login, a refused login or a logout, as a row to add (or keep, when refused)."""
    _, _, address = actor()
    return AuditRecord(at=utcnow(), actor_id=user_id, actor=username[:64], address=address,
                       action=action, target="user", target_id=user_id,
                       summary=username[:MAX_TEXT])


def _refuse_editing_the_log(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditRecord):
            raise RuntimeError("audit records are never changed or deleted")


def _after_flush(session: Session, flush_context) -> None:
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty),
                            ("delete", session.deleted)):
        for obj in objects:
            row = _row(action, obj)
            if row is not None:
                rows.append(row)
    if rows:
        actor_id, actor_name, address = actor()
        now = utcnow()
        for row in rows:
            row.update(at=now, actor_id=actor_id, actor=actor_name, address=address)
        session.connection().execute(insert(AuditRecord), rows)


def _row(action: str, obj: Any) -> dict | None:
    table = getattr(obj, "__tablename__", None)
    if table is None or table in SKIPPED_TABLES:
        return None
    state = inspect(obj)
    changes = _changes(state, action)
    if action == "update":
        if not changes:
            return None
        if set(changes) == {"status"} and table in ("entry", "report"):
            action = "publish" if changes["status"][1] == "published" else "unpublish"
    return {"action": action, "target": table,
            "target_id": state.identity[0] if state.identity else state.dict.get("id"),
            "summary": _summary(state.dict), "changes": changes or None}


def _changes(state, action: str) -> dict[str, list]:
    changes: dict[str, list] = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name in NOISE_FIELDS or name == "id":
            continue
        history = state.attrs[name].history
        if action == "update":
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
        elif action == "create":
            before, after = None, state.dict.get(name)
            if after is None or after == "":
                continue
        else:  # delete: what the row held (loaded values only: nothing is read back)
            before, after = state.dict.get(name), None
            if before is None or before == "":
                continue
        if name in SECRET_FIELDS:
            changes[name] = ["(rahasia)", "(diubah)"] if action == "update" else ["", "(rahasia)"]
            continue
        if before == after:
            continue
        changes[name] = [_plain(before), _plain(after)]
    return changes


def _plain(value: Any) -> Any:
    """A value the JSON column can hold, long texts cut."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return f"({len(value)} bita)"
    if isinstance(value, (dict, list)):
        return "(data)"
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    return value


def _summary(values: dict) -> str:
    for name in NAME_FIELDS:
        value = values.get(name)
        if isinstance(value, str) and value:
            return value[:MAX_TEXT]
    return ""
