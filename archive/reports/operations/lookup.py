"""Finding reports and their parts for a viewer, and whose report is whose."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...core.refusal import Refused
from ...core.rows import MAX_ID, get_row
from ...extensions import db
from ...models import Camat, Entry, Trip, User
from ..models import REPORT_STATUSES, Recommendation, Report, ReportItem, ReportSection
from ..visibility import can_edit_report, can_see_report, report_clause


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
