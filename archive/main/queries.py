"""Read-only queries behind the public pages: rankings, counts, cards.

Who may see what is ``entries.visibility``; the public pages show published
entries only.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Camat, Entry, ScoreRecord, Topic, Trip, TripParticipant


def with_card_data(stmt: Select) -> Select:
    """Load what an entry card shows in the same round trips, not one query per card."""
    return stmt.options(
        joinedload(Entry.file), joinedload(Entry.topic),
        joinedload(Entry.camat).joinedload(Camat.kecamatan),
    )


def published_entries() -> Select:
    return with_card_data(select(Entry).where(Entry.status == "published"))


def current_trip() -> Trip | None:
    """The most recent trip: the one the home page is about."""
    return db.session.scalar(
        select(Trip).order_by(Trip.year.desc(), Trip.start_date.desc().nulls_last(), Trip.id.desc())
    )


@dataclass
class RankedCamat:
    camat: Camat
    record: ScoreRecord | None
    #: the place on the trip, with the period and rank that earned it (the award)
    participant: TripParticipant | None = None


def ranked_participants(trip: Trip) -> list[RankedCamat]:
    """The trip's camat, best score of the trip's period first."""
    rows = db.session.execute(
        select(Camat, ScoreRecord, TripParticipant)
        .join(TripParticipant, TripParticipant.camat_id == Camat.id)
        .outerjoin(ScoreRecord, and_(ScoreRecord.kecamatan_id == Camat.kecamatan_id,
                                     ScoreRecord.period == trip.score_period))
        .where(TripParticipant.trip_id == trip.id)
        .order_by(ScoreRecord.rank.asc().nulls_last(), Camat.name)
    ).all()
    return [RankedCamat(camat, record, participant) for camat, record, participant in rows]


def topics_with_counts() -> list[tuple[Topic, int]]:
    """Every topic with its number of published entries."""
    rows = db.session.execute(
        select(Topic, func.count(Entry.id))
        .outerjoin(Entry, and_(Entry.topic_id == Topic.id, Entry.status == "published"))
        .group_by(Topic.id)
        .order_by(Topic.position, Topic.id)
    ).all()
    return [(topic, count) for topic, count in rows]


def entry_counts(camat_ids: list[int] | None = None, trip_id: int | None = None) -> dict[tuple[int, str], int]:
    """Published entries per (camat id, kind)."""
    stmt = (select(Entry.camat_id, Entry.kind, func.count(Entry.id))
            .where(Entry.status == "published").group_by(Entry.camat_id, Entry.kind))
    if camat_ids is not None:
        stmt = stmt.where(Entry.camat_id.in_(camat_ids))
    if trip_id is not None:
        stmt = stmt.where(Entry.trip_id == trip_id)
    return {(camat_id, kind): n for camat_id, kind, n in db.session.execute(stmt)}
