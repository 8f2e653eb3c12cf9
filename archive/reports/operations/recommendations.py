"""Recommendation cards: what a camat proposes Bandung should adopt, and what came of it."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...core.refusal import Refused
from ...core.rows import get_row
from ...extensions import db
from ...models import Camat, Kecamatan, Topic
from ..models import RECOMMENDATION_STATUSES, Recommendation, Report
from .common import clean_short, clean_text, clean_title, move_within, remove_within, renumber, topic_or_none
from .sections import own_entry


@dataclass
class RecommendationFields:
    title: str
    topic_id: int | None = None
    practice: str = ""
    problem: str = ""
    #: None: city-wide
    kecamatan_id: int | None = None
    executor: str = ""
    cost_effort: str = ""
    status: str = "proposed"
    status_note: str = ""
    entry_ids: list[int] = field(default_factory=list)


def _apply_recommendation(report: Report, rec: Recommendation, fields: RecommendationFields) -> None:
    rec.title = clean_title(fields.title, _("Judul rekomendasi"))
    rec.topic = topic_or_none(fields.topic_id)
    rec.practice = clean_text(fields.practice, _("Praktik di kota tujuan"))
    rec.problem = clean_text(fields.problem, _("Masalah di Bandung"))
    if fields.kecamatan_id is not None and get_row(Kecamatan, fields.kecamatan_id) is None:
        raise Refused(_("Kecamatan yang dipilih tidak ada."))
    rec.kecamatan_id = fields.kecamatan_id
    rec.executor = clean_short(fields.executor, _("Pelaksana"))
    rec.cost_effort = clean_short(fields.cost_effort, _("Perkiraan biaya atau upaya"))
    set_recommendation_status(rec, fields.status, fields.status_note)
    seen: list[int] = []
    for entry_id in fields.entry_ids:
        if entry_id not in seen:
            seen.append(entry_id)
    rec.entries = [own_entry(report, entry_id) for entry_id in seen]


def create_recommendation(report: Report, fields: RecommendationFields) -> Recommendation:
    rec = Recommendation(position=len(report.recommendations))
    _apply_recommendation(report, rec, fields)
    report.recommendations.append(rec)
    renumber(report.recommendations)
    db.session.flush()
    return rec


def update_recommendation(rec: Recommendation, fields: RecommendationFields) -> Recommendation:
    _apply_recommendation(rec.report, rec, fields)
    db.session.flush()
    return rec


def set_recommendation_status(rec: Recommendation, status: str, note: str | None = None) -> None:
    """Allowed at any time, also after the report is published: the card follows reality."""
    if status not in RECOMMENDATION_STATUSES:
        raise Refused(
            _("Status rekomendasi harus salah satu dari: %(choices)s.",
              choices=", ".join(RECOMMENDATION_STATUSES))
        )
    rec.status = status
    if note is not None:
        rec.status_note = clean_text(note, _("Catatan status"))
    db.session.flush()


def move_recommendation(rec: Recommendation, offset: int) -> None:
    move_within(rec.report, "recommendations", rec, offset)


def delete_recommendation(rec: Recommendation) -> None:
    remove_within(rec.report, "recommendations", rec)


# --- public lists ----------------------------------------------------------

@dataclass
class RecommendationFilters:
    topic: str | None = None  # topic slug
    status: str | None = None
    #: a kecamatan id, or "kota" for city-wide cards
    kecamatan: str | None = None
    trip: int | None = None


@dataclass
class RecommendationList:
    cards: list[Recommendation]
    #: cards per status under the other filters, so the counts read as "what came of it"
    counts: dict[str, int]
    total: int


def public_recommendations(filters: RecommendationFilters) -> RecommendationList:
    """All cards from published reports, filtered; counts per status ignore the status filter."""
    query = (
        select(Recommendation)
        .join(Report, Recommendation.report_id == Report.id)
        .where(Report.status == "published")
    )
    if filters.topic:
        query = query.join(Topic, Recommendation.topic_id == Topic.id).where(
            Topic.slug == filters.topic
        )
    if filters.kecamatan == "kota":
        query = query.where(Recommendation.kecamatan_id.is_(None))
    elif filters.kecamatan:
        try:
            query = query.where(Recommendation.kecamatan_id == int(filters.kecamatan))
        except ValueError:
            raise Refused(_("Filter kecamatan tidak sah."), 400) from None
    if filters.trip is not None:
        query = query.where(Report.trip_id == filters.trip)
    if filters.status and filters.status not in RECOMMENDATION_STATUSES:
        raise Refused(_("Filter status tidak sah."), 400)
    rows = db.session.scalars(
        query.options(
            selectinload(Recommendation.report).selectinload(Report.camat)
            .selectinload(Camat.kecamatan),
            selectinload(Recommendation.topic),
            selectinload(Recommendation.kecamatan),
            selectinload(Recommendation.entries),
        ).order_by(Report.trip_id, Recommendation.topic_id, Report.camat_id,
                   Recommendation.position)
    ).all()
    counted = Counter(r.status for r in rows)
    counts = {s: counted.get(s, 0) for s in RECOMMENDATION_STATUSES}
    # Counted from the same rows before the status filter: one query, and the
    # counts answer "of these cards, how many were adopted, piloted, ...".
    if filters.status:
        rows = [r for r in rows if r.status == filters.status]
    return RecommendationList(cards=list(rows), counts=counts, total=sum(counts.values()))
