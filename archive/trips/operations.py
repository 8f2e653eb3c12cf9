"""What the rest of the archive asks about trips."""
from __future__ import annotations

from sqlalchemy import select

from ..districts.models import Camat
from ..extensions import db
from .models import Trip, TripParticipant

#: newest first: the year, then the start date (unknown last), then the newest row
NEWEST_FIRST = (Trip.year.desc(), Trip.start_date.desc().nulls_last(), Trip.id.desc())


def trips_of(camat: Camat) -> list[Trip]:
    """The trips a camat took part in, newest first (the first is the default)."""
    return list(db.session.scalars(
        select(Trip).join(TripParticipant).where(TripParticipant.camat_id == camat.id)
        .order_by(*NEWEST_FIRST)))
