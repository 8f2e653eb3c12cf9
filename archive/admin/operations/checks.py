"""The database checks every admin operation shares: is a value taken, how many
rows use this one, and a flush that turns a constraint violation into ``Refused``.

``services`` (users, tokens) and ``reference`` (kecamatan, camat, trips,
topics, score records) call these through the module (``checks.taken(...)``),
so that a test can switch a check off in one place.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import Select

from ...core.refusal import Refused
from ...extensions import db


def flush(message: str) -> None:
    """Flush, turning a constraint violation (two admins at once) into ``Refused``."""
    try:
        db.session.flush()
    except IntegrityError as err:
        raise Refused(message, status=409) from err


def count(stmt: Select) -> int:
    """The number a ``SELECT count(...)`` answers, 0 for none."""
    return db.session.scalar(stmt) or 0


def uses(column: InstrumentedAttribute, row_id: int | None) -> int:
    """How many rows of ``column``'s table point to ``row_id`` (``Entry.trip_id``, trip.id)."""
    model = column.class_
    return count(select(func.count(model.id)).where(column == row_id))


def taken(row: Any, **keys: Any) -> bool:
    """Whether another row of ``row``'s model already has these values."""
    model = type(row)
    # No autoflush: the edited row itself must not be flushed (and violate the
    # constraint) by the query that checks it.
    with db.session.no_autoflush:
        stmt = select(model.id).filter_by(**keys)
        if row.id is not None:
            stmt = stmt.where(model.id != row.id)
        return db.session.scalar(stmt.limit(1)) is not None
