"""Public pages: home, topics, camat profiles, score records, trips and the map."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from ..districts.queries import history
from ..districts.visibility import can_see as can_see_period
from ..extensions import db
from ..models import Camat, Entry, Kecamatan, ScoreRecord, Topic, Trip, TripParticipant
from . import helpers
from .queries import (
    current_trip,
    entry_counts,
    published_entries,
    ranked_participants,
    topics_with_counts,
    with_card_data,
)

bp = Blueprint("main", __name__)
bp.record_once(lambda state: helpers.init_app(state.app))

LATEST_ON_HOME = 8


def _page_arg() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.route("/")
def home():
    trip = current_trip()
    latest = db.session.scalars(
        published_entries().order_by(Entry.created_at.desc(), Entry.id.desc()).limit(LATEST_ON_HOME)
    ).all()
    return render_template(
        "main/home.html",
        trip=trip,
        ranked=ranked_participants(trip) if trip else [],
        topics=topics_with_counts(),
        latest=latest,
    )


@bp.route("/topik")
def topics():
    return render_template("main/topics.html", topics=topics_with_counts())


@bp.route("/topik/<slug>")
def topic(slug: str):
    topic = db.first_or_404(select(Topic).where(Topic.slug == slug))
    camat_id = request.args.get("camat", type=int)
    stmt = published_entries().where(Entry.topic_id == topic.id)
    if camat_id is not None:
        stmt = stmt.where(Entry.camat_id == camat_id)
    pagination = db.paginate(
        stmt.order_by(Entry.created_at.desc(), Entry.id.desc()),
        page=_page_arg(), per_page=current_app.config["ENTRIES_PER_PAGE"], error_out=False,
    )
    camat_choices = db.session.scalars(
        select(Camat).join(Kecamatan).order_by(Kecamatan.name)
    ).all()
    return render_template("main/topic.html", topic=topic, pagination=pagination,
                           camat_choices=camat_choices, camat_id=camat_id)


@bp.route("/camat")
def camat_list():
    trip = current_trip()
    ranked = ranked_participants(trip) if trip else []
    listed = {r.camat.id for r in ranked}
    others = [c for c in db.session.scalars(select(Camat).join(Kecamatan).order_by(Kecamatan.name))
              if c.id not in listed]
    counts = entry_counts()
    return render_template("main/camat_list.html", trip=trip, ranked=ranked, others=others,
                           counts=counts)


@bp.route("/camat/<int:camat_id>")
def camat(camat_id: int):
    camat = db.get_or_404(Camat, camat_id)
    is_self = current_user.is_authenticated and (
        current_user.is_admin or (current_user.camat is not None and current_user.camat.id == camat.id))
    entries = db.session.scalars(
        published_entries().where(Entry.camat_id == camat.id)
        .order_by(Entry.created_at.desc(), Entry.id.desc())
    ).unique().all()
    drafts = db.session.scalars(
        with_card_data(select(Entry)).where(Entry.camat_id == camat.id, Entry.status == "draft")
        .order_by(Entry.created_at.desc(), Entry.id.desc())
    ).unique().all() if is_self else []
    by_topic: dict[Topic | None, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (e.topic is None, e.topic.position if e.topic else 0)):
        by_topic.setdefault(entry.topic, []).append(entry)
    trips = db.session.scalars(
        select(Trip).join(TripParticipant).where(TripParticipant.camat_id == camat.id)
        .order_by(Trip.year.desc())
    ).all()
    return render_template("main/camat.html", camat=camat, records=history(camat.kecamatan)[::-1],
                           by_topic=by_topic, drafts=drafts, trips=trips,
                           published_count=len(entries))


@bp.route("/nilai/<int:record_id>")
def score_record(record_id: int):
    record = db.get_or_404(ScoreRecord, record_id)
    if not can_see_period(record.scoring_period):
        abort(404)
    camats = db.session.scalars(
        select(Camat).where(Camat.kecamatan_id == record.kecamatan_id).order_by(Camat.name)
    ).all()
    return render_template("main/score_record.html", record=record, camats=camats,
                           period=record.scoring_period)


@bp.route("/kunjungan/<slug>")
def trip(slug: str):
    trip = db.first_or_404(select(Trip).where(Trip.slug == slug))
    ranked = ranked_participants(trip)
    counts = entry_counts([r.camat.id for r in ranked], trip_id=trip.id)
    totals = {
        "photo": sum(n for (_c, kind), n in counts.items() if kind == "photo"),
        "paper": sum(n for (_c, kind), n in counts.items() if kind == "paper"),
    }
    return render_template("main/trip.html", trip=trip, ranked=ranked, counts=counts,
                           totals=totals)


@bp.route("/peta")
def map():
    entries = db.session.scalars(
        published_entries()
        .where(Entry.latitude.is_not(None), Entry.longitude.is_not(None))
        .order_by(Entry.place_name, Entry.id)
    ).all()
    return render_template("main/map.html", entries=entries)
