"""The award: the camat of the top N kecamatan of a period (a tie at place N brings
everyone tied in), added to a trip in one step with the period and rank that earned
each place."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import select

from ...core.refusal import Refused
from ...extensions import db
from ...trips.models import Trip, TripParticipant
from ..models import Camat, ScorePeriod, ScoreRecord
from ..scoring import top


@dataclass
class Qualifier:
    record: ScoreRecord
    camat: list[Camat]
    #: the rank is shared with another kecamatan
    tied: bool
    #: already on the trip
    on_trip: bool = False


def qualifiers(period: ScorePeriod, n: int, trip: Optional[Trip] = None) -> list[Qualifier]:
    if not 1 <= n <= 1000:
        raise Refused(_("Jumlah peringkat teratas harus antara 1 dan 1000."), field="top_n")
    records = {r.id: r for r in db.session.scalars(
        select(ScoreRecord).where(ScoreRecord.period == period.code,
                                  ScoreRecord.rank.is_not(None)))}
    ranks = {rid: r.rank for rid, r in records.items()}
    chosen = top(ranks, n)
    counts: dict[int, int] = {}
    for rid in chosen:
        counts[ranks[rid]] = counts.get(ranks[rid], 0) + 1
    on_trip = {p.camat_id for p in trip.participants} if trip is not None else set()
    result = []
    for rid in chosen:
        record = records[rid]
        people = list(db.session.scalars(select(Camat).where(
            Camat.kecamatan_id == record.kecamatan_id).order_by(Camat.name)))
        result.append(Qualifier(record=record, camat=people, tied=counts[record.rank] > 1,
                                on_trip=bool(people) and all(c.id in on_trip for c in people)))
    return result


def award(trip: Trip, period: ScorePeriod, n: int) -> int:
    """Add the qualifying camat to the trip; those already on it get the award noted.
    Returns how many were added."""
    added = 0
    current = {p.camat_id: p for p in trip.participants}
    for qualifier in qualifiers(period, n, trip):
        for camat in qualifier.camat:
            participant = current.get(camat.id)
            if participant is None:
                participant = TripParticipant(camat=camat)
                trip.participants.append(participant)
                added += 1
            participant.award_period = period.code
            participant.award_rank = qualifier.record.rank
    db.session.flush()
    return added
