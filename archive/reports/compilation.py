"""The city-wide compilation of a trip: every camat's published findings by
topic, all recommendation cards, and the coverage board (who still owes what).

Only published reports and entries go in, whoever asks, because the
compilation is what the city hands to every other district. Admins may in
addition see draft counts on the coverage board.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Camat, Entry, ScoreRecord, Topic, Trip, TripParticipant
from .models import Recommendation, Report, ReportItem, ReportSection


@dataclass
class CoverageCell:
    photos: int = 0
    papers: int = 0
    #: unpublished entries, filled only for admins
    draft_photos: int | None = None
    draft_papers: int | None = None

    @property
    def total(self) -> int:
        return self.photos + self.papers

    @property
    def is_gap(self) -> bool:
        return self.total == 0


@dataclass
class Coverage:
    camats: list[Camat]
    topics: list[Topic]
    #: (camat_id, topic_id) -> counts
    cells: dict[tuple[int, int], CoverageCell]
    with_drafts: bool = False

    def cell(self, camat: Camat, topic: Topic) -> CoverageCell:
        return self.cells.get((camat.id, topic.id)) or CoverageCell()

    def camat_total(self, camat: Camat) -> CoverageCell:
        return _sum(self.cell(camat, t) for t in self.topics)

    def topic_total(self, topic: Topic) -> CoverageCell:
        return _sum(self.cell(c, topic) for c in self.camats)

    @property
    def grand_total(self) -> CoverageCell:
        return _sum(self.camat_total(c) for c in self.camats)

    def gaps(self, camat: Camat) -> list[Topic]:
        """The topics on which this camat has published nothing yet."""
        return [t for t in self.topics if self.cell(camat, t).is_gap]

    @property
    def gap_count(self) -> int:
        return sum(len(self.gaps(c)) for c in self.camats)


def _sum(cells) -> CoverageCell:
    total = CoverageCell()
    for c in cells:
        total.photos += c.photos
        total.papers += c.papers
        if c.draft_photos is not None:
            total.draft_photos = (total.draft_photos or 0) + c.draft_photos
            total.draft_papers = (total.draft_papers or 0) + (c.draft_papers or 0)
    return total


@dataclass
class CamatFindings:
    """One camat's published material on one topic."""

    camat: Camat
    sections: list[ReportSection] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    @property
    def photo_count(self) -> int:
        return sum(1 for e in self.entries if e.kind == "photo")

    @property
    def paper_count(self) -> int:
        return sum(1 for e in self.entries if e.kind == "paper")

    @property
    def has_material(self) -> bool:
        return bool(self.entries or any(s.narrative.strip() or s.items for s in self.sections))


@dataclass
class TopicBlock:
    topic: Topic
    findings: list[CamatFindings]


@dataclass
class Compilation:
    trip: Trip
    camats: list[Camat]
    topics: list[TopicBlock]
    recommendations: list[Recommendation]
    coverage: Coverage


def trip_camats(trip: Trip) -> list[Camat]:
    """The trip's camat, best score first (then by name); authors who are not
    listed as participants still count, so nobody's material is left out."""
    ids = set(db.session.scalars(
        select(TripParticipant.camat_id).where(TripParticipant.trip_id == trip.id)))
    ids |= set(db.session.scalars(select(Entry.camat_id).where(Entry.trip_id == trip.id)))
    ids |= set(db.session.scalars(select(Report.camat_id).where(Report.trip_id == trip.id)))
    if not ids:
        return []
    rows = db.session.execute(
        select(Camat, ScoreRecord.rank)
        .outerjoin(ScoreRecord, (ScoreRecord.kecamatan_id == Camat.kecamatan_id)
                   & (ScoreRecord.period == trip.score_period))
        .where(Camat.id.in_(ids))
        .options(selectinload(Camat.kecamatan))
    ).all()
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.Camat.name))
    return [r.Camat for r in rows]


def build_coverage(trip: Trip, camats: list[Camat], topics: list[Topic],
                   with_drafts: bool = False) -> Coverage:
    rows = db.session.execute(
        select(Entry.camat_id, Entry.topic_id, Entry.kind, Entry.status, func.count(Entry.id))
        .where(Entry.trip_id == trip.id, Entry.topic_id.is_not(None))
        .group_by(Entry.camat_id, Entry.topic_id, Entry.kind, Entry.status)
    ).all()
    cells: dict[tuple[int, int], CoverageCell] = defaultdict(
        lambda: CoverageCell(draft_photos=0 if with_drafts else None,
                             draft_papers=0 if with_drafts else None))
    for camat_id, topic_id, kind, status, count in rows:
        cell = cells[(camat_id, topic_id)]
        if status == "published":
            if kind == "photo":
                cell.photos += count
            else:
                cell.papers += count
        elif with_drafts:
            if kind == "photo":
                cell.draft_photos += count
            else:
                cell.draft_papers += count
    return Coverage(camats=camats, topics=topics, cells=dict(cells), with_drafts=with_drafts)


def build_compilation(trip: Trip, with_drafts: bool = False) -> Compilation:
    """Gather the trip's published material; ``with_drafts`` only adds draft counts
    to the coverage board (for admins), never draft content."""
    topics = list(db.session.scalars(select(Topic).order_by(Topic.position, Topic.id)))
    camats = trip_camats(trip)
    entries = db.session.scalars(
        select(Entry)
        .where(Entry.trip_id == trip.id, Entry.status == "published")
        .options(selectinload(Entry.file))
        .order_by(Entry.taken_at.is_(None), Entry.taken_at, Entry.id)
    ).all()
    sections = db.session.scalars(
        select(ReportSection).join(Report)
        .where(Report.trip_id == trip.id, Report.status == "published")
        .options(selectinload(ReportSection.items).selectinload(ReportItem.entry))
        .order_by(ReportSection.position, ReportSection.id)
    ).all()
    by_key_entries: dict[tuple[int, int], list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.topic_id is not None:
            by_key_entries[(entry.camat_id, entry.topic_id)].append(entry)
    by_key_sections: dict[tuple[int, int], list[ReportSection]] = defaultdict(list)
    for section in sections:
        if section.topic_id is not None:
            by_key_sections[(section.report.camat_id, section.topic_id)].append(section)
    blocks = [
        TopicBlock(topic=topic, findings=[
            CamatFindings(camat=camat, sections=by_key_sections[(camat.id, topic.id)],
                          entries=by_key_entries[(camat.id, topic.id)])
            for camat in camats
        ])
        for topic in topics
    ]
    cards = db.session.scalars(
        select(Recommendation).join(Report)
        .where(Report.trip_id == trip.id, Report.status == "published")
        .order_by(Recommendation.topic_id.is_(None), Recommendation.topic_id,
                  Report.camat_id, Recommendation.position, Recommendation.id)
    ).all()
    return Compilation(
        trip=trip, camats=camats, topics=blocks, recommendations=list(cards),
        coverage=build_coverage(trip, camats, topics, with_drafts=with_drafts),
    )

