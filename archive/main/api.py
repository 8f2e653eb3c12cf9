"""``/api/v1/camat``, ``/api/v1/topics`` and ``/api/v1/trips``: the archive's reference data.

Counts are of published entries only: these endpoints are public and the
same for every caller.
"""
from __future__ import annotations

from collections import defaultdict

from flask import abort
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import Camat, Entry, Kecamatan, Topic, Trip, TripParticipant
from ..api import bp
from ..api import validation as v
from ..api.serializers import camat_to_json, score_record_to_json, topic_to_json, trip_to_json


def _published_counts(column) -> dict[int, int]:
    """{value of ``column``: number of published entries with it}."""
    rows = db.session.execute(
        select(column, func.count(Entry.id)).where(Entry.status == "published")
        .group_by(column)).all()
    return {key: n for key, n in rows}


def _best_rank(camat: Camat) -> tuple:
    # The newest period's rank first; camat without a score record last.
    records = camat.kecamatan.score_records
    rank = records[0].rank if records and records[0].rank is not None else 10**6
    return (rank, camat.kecamatan.name)


@bp.get("/camat")
def camat_list() -> ResponseReturnValue:
    camat = db.session.scalars(select(Camat).options(
        joinedload(Camat.kecamatan).selectinload(Kecamatan.score_records))).unique().all()
    counts = _published_counts(Entry.camat_id)
    items = []
    for person in sorted(camat, key=_best_rank):
        data = camat_to_json(person)
        data["entry_count"] = counts.get(person.id, 0)
        items.append(data)
    return {"items": items, "total": len(items)}


@bp.get("/camat/<int:camat_id>")
def camat_detail(camat_id: int) -> ResponseReturnValue:
    camat = v.get_row(Camat, camat_id)
    if camat is None:
        abort(404, description=_("Camat %(id)d tidak ditemukan.", id=camat_id))
    rows = db.session.execute(
        select(Entry.trip_id, Entry.kind, Topic.slug, func.count(Entry.id))
        .outerjoin(Topic, Entry.topic_id == Topic.id)
        .where(Entry.camat_id == camat.id, Entry.status == "published")
        .group_by(Entry.trip_id, Entry.kind, Topic.slug)).all()
    counts: dict[int, dict] = defaultdict(
        lambda: {"total": 0, "photo": 0, "paper": 0, "by_topic": {}})
    for trip_id, kind, slug, n in rows:
        bucket = counts[trip_id]
        bucket["total"] += n
        bucket[kind] = bucket.get(kind, 0) + n
        key = slug or "none"
        bucket["by_topic"][key] = bucket["by_topic"].get(key, 0) + n
    trips = db.session.scalars(
        select(Trip).join(TripParticipant).where(TripParticipant.camat_id == camat.id)
        .order_by(Trip.year.desc(), Trip.id.desc())).all()
    # Entries of a trip the camat is no longer listed on still count somewhere.
    trips += [t for t in (db.session.get(Trip, i) for i in counts) if t not in trips]
    data = camat_to_json(camat)
    data["trips"] = [
        {"trip": trip_to_json(trip),
         "score_record": score_record_to_json(camat.score_record(trip.score_period)),
         "entry_counts": counts[trip.id]}
        for trip in trips
    ]
    data["entry_count"] = sum(c["total"] for c in counts.values())
    return data


@bp.get("/topics")
def topic_list() -> ResponseReturnValue:
    topics = db.session.scalars(select(Topic).order_by(Topic.position, Topic.slug)).all()
    counts = _published_counts(Entry.topic_id)
    items = [topic_to_json(t, entry_count=counts.get(t.id, 0)) for t in topics]
    return {"items": items, "total": len(items)}


@bp.get("/trips")
def trip_list() -> ResponseReturnValue:
    trips = db.session.scalars(select(Trip).options(selectinload(Trip.participants))
                               .order_by(Trip.year.desc(), Trip.id.desc())).all()
    counts = _published_counts(Entry.trip_id)
    items = []
    for trip in trips:
        data = trip_to_json(trip)
        data["participant_ids"] = sorted(p.camat_id for p in trip.participants)
        data["entry_count"] = counts.get(trip.id, 0)
        items.append(data)
    return {"items": items, "total": len(items)}
