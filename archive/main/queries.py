"""Read-only queries behind the public pages: what a visitor may see, rankings, counts.

Visibility lives here once: visitors see published entries only; a camat also
sees their own drafts; an admin sees everything.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_login import current_user
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Camat, Entry, ScoreRecord, Topic, Trip, TripParticipant


def can_view(entry: Entry, user=None) -> bool:
    """Published entries for everyone; a draft for its author and admins."""
    user = current_user if user is None else user
    if entry.is_published:
        return True
    return bool(user.is_authenticated and user.can_edit(entry))


def visible_to_current_user(stmt: Select) -> Select:
    """Narrow an Entry query to what the current user may see."""
    if current_user.is_authenticated and current_user.is_admin:
        return stmt
    own = current_user.camat.id if current_user.is_authenticated and current_user.camat else None
    if own is None:
        return stmt.where(Entry.status == "published")
    return stmt.where(or_(Entry.status == "published", Entry.camat_id == own))


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


def ranked_participants(trip: Trip) -> list[RankedCamat]:
    """The trip's camat, best score of the trip's period first."""
    rows = db.session.execute(
        select(Camat, ScoreRecord)
        .join(TripParticipant, TripParticipant.camat_id == Camat.id)
        .outerjoin(ScoreRecord, and_(ScoreRecord.kecamatan_id == Camat.kecamatan_id,
                                     ScoreRecord.period == trip.score_period))
        .where(TripParticipant.trip_id == trip.id)
        .order_by(ScoreRecord.rank.asc().nulls_last(), Camat.name)
    ).all()
    return [RankedCamat(camat, record) for camat, record in rows]


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
