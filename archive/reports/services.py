"""Report operations: who may do what, building defaults, ordering, recommendation cards.

The pages (views.py) and the JSON API (api/reports.py) both call these
functions, so every rule lives once. Everything here only flushes; the
request that called it commits. A refused action raises :class:`Refused`
with a user-facing message and the HTTP status that fits it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence, TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..core.labels import status_label  # noqa: F401 (the pages' and API's label)
from ..core.refusal import Refused
from ..core.rows import MAX_ID, get_row
from ..extensions import db
from ..models import Camat, Entry, Kecamatan, Topic, Trip, TripParticipant, User
from .visibility import can_edit_report, can_see_report, report_clause
from .models import (
    RECOMMENDATION_STATUSES,
    REPORT_STATUSES,
    Recommendation,
    Report,
    ReportItem,
    ReportSection,
)

#: Suggestions for a card's executor; the field stays free text.
EXECUTOR_SUGGESTIONS = (
    "Dinas Pekerjaan Umum",
    "Dinas Perumahan dan Kawasan Permukiman, Pertanahan dan Pertamanan (DPKP3)",
    "Dinas Lingkungan Hidup dan Kebersihan",
    "Dinas Perhubungan",
    "Bappelitbang",
    "Kecamatan",
)

TITLE_MAX = 300
TEXT_MAX = 50_000


# --- looking up ------------------------------------------------------------

def require_edit(who, report: Report) -> None:
    if not can_edit_report(who, report):
        raise Refused(_("Hanya penulis laporan dan admin yang dapat mengubah laporan ini."), 403)


def _with_contents():
    """Load options for showing a whole report: a few queries instead of one per item."""
    entry_parts = (selectinload(Entry.file), selectinload(Entry.topic), selectinload(Entry.tags))
    return (
        selectinload(Report.camat).selectinload(Camat.kecamatan),
        selectinload(Report.trip),
        selectinload(Report.sections).selectinload(ReportSection.topic),
        selectinload(Report.sections).selectinload(ReportSection.items)
        .selectinload(ReportItem.entry).options(*entry_parts),
        selectinload(Report.recommendations).options(
            selectinload(Recommendation.topic), selectinload(Recommendation.kecamatan),
            selectinload(Recommendation.entries),
        ),
    )


def get_visible_report(report_id: int, who=None, *, full: bool = False) -> Report:
    """The report if ``who`` (default: whoever asks) may see it; a draft is "not
    found" to others, not "forbidden".

    ``full`` loads sections, items, entries and cards up front, for pages and
    JSON that show all of it.
    """
    report = (db.session.scalar(select(Report).where(Report.id == report_id)
                                .options(*_with_contents()))
              if full and 0 < report_id <= MAX_ID else get_row(Report, report_id))
    if report is None or not can_see_report(who, report):
        raise Refused(_("Laporan tidak ditemukan."), 404)
    return report


def get_editable_report(report_id: int, who=None) -> Report:
    report = get_visible_report(report_id, who)  # someone else's draft: 404
    require_edit(who, report)
    return report


def get_section(report: Report, section_id: int) -> ReportSection:
    section = get_row(ReportSection, section_id)
    if section is None or section.report_id != report.id:
        raise Refused(_("Bagian laporan tidak ditemukan."), 404)
    return section


def get_item(section: ReportSection, item_id: int) -> ReportItem:
    item = get_row(ReportItem, item_id)
    if item is None or item.section_id != section.id:
        raise Refused(_("Entri di bagian ini tidak ditemukan."), 404)
    return item


def get_recommendation(report: Report, rec_id: int) -> Recommendation:
    rec = get_row(Recommendation, rec_id)
    if rec is None or rec.report_id != report.id:
        raise Refused(_("Kartu rekomendasi tidak ditemukan."), 404)
    return rec


# --- validation helpers ----------------------------------------------------

def _clean_title(title: str | None, what: str) -> str:
    title = (title or "").strip()
    if not title:
        raise Refused(_("%(what)s tidak boleh kosong.", what=what))
    if len(title) > TITLE_MAX:
        raise Refused(_("%(what)s paling panjang %(max)d karakter.", what=what, max=TITLE_MAX))
    return title


def _clean_text(text: str | None, what: str) -> str:
    text = (text or "").replace("\x00", "")
    if len(text) > TEXT_MAX:
        raise Refused(_("%(what)s paling panjang %(max)d karakter.", what=what, max=TEXT_MAX))
    return text


def _clean_short(text: str | None, what: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if len(text) > TITLE_MAX:
        raise Refused(_("%(what)s paling panjang %(max)d karakter.", what=what, max=TITLE_MAX))
    return text


def _topic(topic_id: int | None) -> Topic | None:
    if topic_id is None:
        return None
    topic = get_row(Topic, topic_id)
    if topic is None:
        raise Refused(_("Topik yang dipilih tidak ada."))
    return topic


# --- ordering --------------------------------------------------------------

T = TypeVar("T", ReportSection, ReportItem, Recommendation)


def _renumber(rows: Sequence[T]) -> None:
    """Positions 0..n-1 in list order: dense after any move or removal."""
    for position, row in enumerate(rows):
        row.position = position


def _move(rows: list[T], row: T, offset: int) -> None:
    rows = sorted(rows, key=lambda r: (r.position, r.id or 0))
    index = rows.index(row)
    target = max(0, min(len(rows) - 1, index + offset))
    rows.insert(target, rows.pop(index))
    _renumber(rows)


def _reorder(rows: list[T], ids: Sequence[int], what: str) -> None:
    by_id = {r.id: r for r in rows}
    if sorted(ids) != sorted(by_id):
        raise Refused(_("Urutan %(what)s harus memuat setiap %(what)s tepat sekali.", what=what))
    _renumber([by_id[i] for i in ids])


# --- reports ---------------------------------------------------------------

def trips_of(camat: Camat) -> list[Trip]:
    """The trips a camat took part in, newest first."""
    return list(db.session.scalars(
        select(Trip).join(TripParticipant).where(TripParticipant.camat_id == camat.id)
        .order_by(Trip.year.desc(), Trip.id.desc())
    ))


def author_for(user: User, camat_id: int | None) -> Camat:
    """Whose report ``user`` may open: their own; an admin may act for any camat."""
    if camat_id is None:
        if user.camat is None:
            raise Refused(_("Akun ini bukan akun camat: sebutkan 'camat_id'."), 422)
        return user.camat
    camat = get_row(Camat, camat_id)
    if camat is None:
        raise Refused(_("Camat tidak ditemukan."), 404)
    if not user.is_admin and (user.camat is None or user.camat.id != camat.id):
        raise Refused(_("Anda hanya dapat membuat laporan atas nama Anda sendiri."), 403)
    return camat


def report_of(camat: Camat, trip: Trip) -> Report | None:
    return db.session.scalar(
        select(Report).where(Report.camat_id == camat.id, Report.trip_id == trip.id)
    )


def default_title(camat: Camat, trip: Trip) -> str:
    return _("Laporan studi banding %(kecamatan)s ke %(city)s %(year)s",
             kecamatan=camat.kecamatan.name, city=trip.host_city, year=trip.year)


def create_report(camat: Camat, trip: Trip, title: str | None = None) -> Report:
    """A new draft with one section per assignment topic, titled with the topic's name."""
    took_part = db.session.scalar(
        select(TripParticipant.id).where(
            TripParticipant.trip_id == trip.id, TripParticipant.camat_id == camat.id
        )
    )
    if took_part is None:
        raise Refused(
            _("%(camat)s tidak tercatat sebagai peserta kunjungan ini.", camat=camat.name), 422
        )
    existing = report_of(camat, trip)
    if existing is not None:
        raise Refused(_("Laporan untuk kunjungan ini sudah ada."), 409)
    report = Report(
        camat=camat, trip=trip, status="draft", opening="", closing="",
        title=_clean_title(title, _("Judul")) if (title or "").strip()
        else default_title(camat, trip),
    )
    topics = db.session.scalars(select(Topic).order_by(Topic.position, Topic.id)).all()
    report.sections = [
        ReportSection(position=i, title=t.name_id, topic=t, narrative="", notes="")
        for i, t in enumerate(topics)
    ]
    try:
        # A savepoint, so that a second request racing this one for the same
        # camat and trip (the unique constraint) is a clear 409, not a 500.
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        raise Refused(_("Laporan untuk kunjungan ini sudah ada."), 409) from None
    return report


@dataclass
class ReportChanges:
    """Fields to change on a report; None means "leave as it is"."""

    title: str | None = None
    opening: str | None = None
    closing: str | None = None
    status: str | None = None


def update_report(report: Report, changes: ReportChanges) -> Report:
    if changes.title is not None:
        report.title = _clean_title(changes.title, _("Judul"))
    if changes.opening is not None:
        report.opening = _clean_text(changes.opening, _("Pembuka"))
    if changes.closing is not None:
        report.closing = _clean_text(changes.closing, _("Penutup"))
    if changes.status is not None:
        set_report_status(report, changes.status)
    db.session.flush()
    return report


def set_report_status(report: Report, status: str) -> None:
    if status not in REPORT_STATUSES:
        raise Refused(_("Status laporan harus draft atau published."))
    report.status = status


def delete_report(report: Report) -> None:
    db.session.delete(report)
    db.session.flush()


# --- sections --------------------------------------------------------------

def add_section(report: Report, title: str, topic_id: int | None = None) -> ReportSection:
    section = ReportSection(
        title=_clean_title(title, _("Judul bagian")), topic=_topic(topic_id),
        narrative="", notes="", position=len(report.sections),
    )
    report.sections.append(section)
    _renumber(report.sections)
    db.session.flush()
    return section


@dataclass
class SectionChanges:
    title: str | None = None
    narrative: str | None = None
    notes: str | None = None
    #: the topic to set; ``clear_topic`` removes it
    topic_id: int | None = None
    clear_topic: bool = False


def update_section(section: ReportSection, changes: SectionChanges) -> ReportSection:
    if changes.title is not None:
        section.title = _clean_title(changes.title, _("Judul bagian"))
    if changes.narrative is not None:
        section.narrative = _clean_text(changes.narrative, _("Narasi"))
    if changes.notes is not None:
        section.notes = _clean_text(changes.notes, _("Catatan pembicara"))
    if changes.clear_topic:
        section.topic = None
    elif changes.topic_id is not None:
        section.topic = _topic(changes.topic_id)
    db.session.flush()
    return section


def move_section(section: ReportSection, offset: int) -> None:
    _move(list(section.report.sections), section, offset)
    _resort(section.report, "sections")
    db.session.flush()


def move_section_to(section: ReportSection, position: int) -> None:
    """Move to an absolute position (0 first): the same dense renumbering as the buttons."""
    report = section.report
    ids = [s.id for s in report.sections if s.id != section.id]
    ids.insert(max(0, min(len(ids), position)), section.id)
    reorder_sections(report, ids)


def reorder_sections(report: Report, section_ids: Sequence[int]) -> None:
    _reorder(list(report.sections), section_ids, _("bagian"))
    _resort(report, "sections")
    db.session.flush()


def delete_section(section: ReportSection) -> None:
    report = section.report
    report.sections.remove(section)  # delete-orphan removes the row and its items
    _renumber(report.sections)
    db.session.flush()


def _resort(parent, attr: str) -> None:
    """Keep the loaded relationship list in position order after a change."""
    getattr(parent, attr).sort(key=lambda r: r.position)


# --- items (entries chosen for a section) ---------------------------------

def eligible_entries(report: Report, topic_id: int | None = None) -> list[Entry]:
    """The author's own entries of the report's trip, optionally of one topic."""
    query = (
        select(Entry)
        .where(Entry.camat_id == report.camat_id, Entry.trip_id == report.trip_id)
        .options(selectinload(Entry.topic))
        .order_by(Entry.taken_at.desc().nulls_last(), Entry.id.desc())
    )
    if topic_id is not None:
        query = query.where(Entry.topic_id == topic_id)
    return list(db.session.scalars(query))


def _own_entry(report: Report, entry_id: int) -> Entry:
    entry = get_row(Entry, entry_id)
    if entry is None:
        raise Refused(_("Entri %(id)s tidak ditemukan.", id=entry_id), 422)
    if entry.camat_id != report.camat_id or entry.trip_id != report.trip_id:
        raise Refused(
            _("Entri %(id)s bukan milik penulis laporan pada kunjungan ini, sehingga tidak dapat "
              "dipilih.", id=entry_id),
            422,
        )
    return entry


def default_caption(entry: Entry) -> str:
    return (entry.title or entry.description or "").strip()


def add_item(section: ReportSection, entry_id: int, caption: str | None = None,
             notes: str = "") -> ReportItem:
    entry = _own_entry(section.report, entry_id)
    if any(item.entry_id == entry.id for item in section.items):
        raise Refused(_("Entri ini sudah ada di bagian ini."), 409)
    item = ReportItem(
        entry=entry, caption=_clean_text(caption, _("Keterangan")) if caption
        else default_caption(entry),
        notes=_clean_text(notes, _("Catatan")), position=len(section.items),
    )
    section.items.append(item)
    _renumber(section.items)
    db.session.flush()
    return item


@dataclass
class ItemSpec:
    """One chosen entry as a script sends it: the entry, its caption and notes."""

    entry_id: int
    caption: str | None = None
    notes: str = ""


def set_items(section: ReportSection, specs: Sequence[ItemSpec]) -> list[ReportItem]:
    """Replace a section's items with ``specs`` in that order (the API's "set items")."""
    seen: set[int] = set()
    for spec in specs:
        if spec.entry_id in seen:
            raise Refused(_("Entri %(id)s disebut lebih dari sekali.", id=spec.entry_id))
        seen.add(spec.entry_id)
        _own_entry(section.report, spec.entry_id)
    existing = {item.entry_id: item for item in section.items}
    items = []
    for spec in specs:
        item = existing.pop(spec.entry_id, None)
        if item is None:
            item = ReportItem(entry=db.session.get(Entry, spec.entry_id))
        item.caption = (_clean_text(spec.caption, _("Keterangan")) if spec.caption is not None
                        else (item.caption or default_caption(item.entry)))
        item.notes = _clean_text(spec.notes, _("Catatan"))
        items.append(item)
    section.items = items  # items no longer listed are deleted as orphans
    _renumber(section.items)
    db.session.flush()
    return section.items


def update_item(item: ReportItem, caption: str | None = None, notes: str | None = None) -> None:
    if caption is not None:
        item.caption = _clean_text(caption, _("Keterangan"))
    if notes is not None:
        item.notes = _clean_text(notes, _("Catatan"))
    db.session.flush()


def move_item(item: ReportItem, offset: int) -> None:
    _move(list(item.section.items), item, offset)
    _resort(item.section, "items")
    db.session.flush()


def reorder_items(section: ReportSection, item_ids: Sequence[int]) -> None:
    _reorder(list(section.items), item_ids, _("entri"))
    _resort(section, "items")
    db.session.flush()


def remove_item(item: ReportItem) -> None:
    section = item.section
    section.items.remove(item)
    _renumber(section.items)
    db.session.flush()


def draft_items(report: Report) -> list[ReportItem]:
    """Chosen entries still in draft: the builder warns the author about them."""
    return [i for s in report.sections for i in s.items if not i.entry.is_published]


# --- recommendation cards --------------------------------------------------

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
    rec.title = _clean_title(fields.title, _("Judul rekomendasi"))
    rec.topic = _topic(fields.topic_id)
    rec.practice = _clean_text(fields.practice, _("Praktik di kota tujuan"))
    rec.problem = _clean_text(fields.problem, _("Masalah di Bandung"))
    if fields.kecamatan_id is not None and get_row(Kecamatan, fields.kecamatan_id) is None:
        raise Refused(_("Kecamatan yang dipilih tidak ada."))
    rec.kecamatan_id = fields.kecamatan_id
    rec.executor = _clean_short(fields.executor, _("Pelaksana"))
    rec.cost_effort = _clean_short(fields.cost_effort, _("Perkiraan biaya atau upaya"))
    set_recommendation_status(rec, fields.status, fields.status_note)
    seen: list[int] = []
    for entry_id in fields.entry_ids:
        if entry_id not in seen:
            seen.append(entry_id)
    rec.entries = [_own_entry(report, entry_id) for entry_id in seen]


def create_recommendation(report: Report, fields: RecommendationFields) -> Recommendation:
    rec = Recommendation(position=len(report.recommendations))
    _apply_recommendation(report, rec, fields)
    report.recommendations.append(rec)
    _renumber(report.recommendations)
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
        rec.status_note = _clean_text(note, _("Catatan status"))
    db.session.flush()


def move_recommendation(rec: Recommendation, offset: int) -> None:
    _move(list(rec.report.recommendations), rec, offset)
    _resort(rec.report, "recommendations")
    db.session.flush()


def delete_recommendation(rec: Recommendation) -> None:
    report = rec.report
    report.recommendations.remove(rec)
    _renumber(report.recommendations)
    db.session.flush()


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


def reports_for_index(user) -> list[tuple[Trip, list[Report]]]:
    """Per trip: the published reports, plus the viewer's own drafts (all drafts for admins)."""
    query = select(Report).where(report_clause(user)).options(
        selectinload(Report.camat).selectinload(Camat.kecamatan), selectinload(Report.trip),
        selectinload(Report.recommendations),
    )
    reports = db.session.scalars(query.order_by(Report.trip_id, Report.camat_id)).all()
    grouped: dict[int, tuple[Trip, list[Report]]] = {}
    for report in reports:
        grouped.setdefault(report.trip_id, (report.trip, []))[1].append(report)
    return sorted(grouped.values(), key=lambda pair: (-pair[0].year, pair[0].id))


def list_reports(user, trip_id: int | None = None, camat_id: int | None = None,
                 status: str | None = None) -> list[Report]:
    """Reports the user may see, filtered (for the API)."""
    query = select(Report).where(report_clause(user)).order_by(Report.trip_id, Report.camat_id)
    if trip_id is not None:
        query = query.where(Report.trip_id == trip_id)
    if camat_id is not None:
        query = query.where(Report.camat_id == camat_id)
    if status is not None:
        if status not in REPORT_STATUSES:
            raise Refused(_("Filter status tidak sah."), 400)
        query = query.where(Report.status == status)
    return list(db.session.scalars(query))


def author_user(report: Report) -> User | None:
    return report.camat.user
