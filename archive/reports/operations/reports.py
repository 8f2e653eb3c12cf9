"""Creating, changing and deleting a report."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...core.refusal import Refused
from ...extensions import db
from ...models import Camat, Topic, Trip, TripParticipant
from ..models import REPORT_STATUSES, Report, ReportSection
from .common import clean_text, clean_title
from .lookup import default_title, report_of


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
        title=clean_title(title, _("Judul")) if (title or "").strip()
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
    #: the title in English; "" clears it (pages then show the Indonesian one, with a note)
    title_en: str | None = None
    opening: str | None = None
    closing: str | None = None
    status: str | None = None


def update_report(report: Report, changes: ReportChanges) -> Report:
    if changes.title is not None:
        report.title = clean_title(changes.title, _("Judul"))
    if changes.title_en is not None:
        report.title_en = clean_title(changes.title_en, _("Judul (English)")) \
            if changes.title_en.strip() else ""
    if changes.opening is not None:
        report.opening = clean_text(changes.opening, _("Pembuka"))
    if changes.closing is not None:
        report.closing = clean_text(changes.closing, _("Penutup"))
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
