"""Rows by the id a user sent: ids past a 32-bit column find nothing instead of
making PostgreSQL fail the query."""
from __future__ import annotations

from typing import TypeVar

from ..extensions import db

T = TypeVar("T")

#: ids are 32-bit INTEGER columns; PostgreSQL errors on a larger number
#: instead of finding nothing, so it must not reach a query.
MAX_ID = 2**31 - 1


def valid_id(row_id: object) -> bool:
    return isinstance(row_id, int) and not isinstance(row_id, bool) and 0 < row_id <= MAX_ID


def get_row(model: type[T], row_id: int | None) -> T | None:
    """``db.session.get`` that answers None for ids no row can have."""
    if not valid_id(row_id):
        return None
    return db.session.get(model, row_id)
