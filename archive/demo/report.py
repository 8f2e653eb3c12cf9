"""The demo's sample report: camat Cinambo's report built from the sample entries
filed under Cinambo, so that a fresh ``./run.sh`` shows a report, its slides, its
PDF and its zip working. It says in its title and opening that it is a sample
made from openly licensed files, not a report of the visit.

Built through the same report operations as the pages (sections by topic, items
with their proposed captions); flush only, the command commits.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select

from ..extensions import db
from ..models import Camat, Entry, Kecamatan, Trip
from ..reports.models import Report
from ..reports.operations.lookup import report_of
from ..reports.operations.reports import ReportChanges, create_report, update_report
from ..reports.operations.sections import add_item, add_section, delete_section

TITLE = "Contoh laporan dari berkas contoh (bukan hasil kunjungan)"
TITLE_EN = "Sample report from sample files (not from the visit)"
OPENING = (
    "Laporan ini adalah **contoh**: disusun otomatis oleh data demo dari foto dan makalah "
    "berlisensi terbuka yang dimuat bersama arsip (sumber dan lisensi ada di halaman tiap "
    "entri), agar laporan, slide, PDF dan arsip zip dapat dicoba. Isinya bukan temuan "
    "kunjungan ke Seoul.")
CLOSING = "Laporan yang sebenarnya disusun camat dari entri hasil kunjungannya sendiri."
OTHER_SECTION = "Contoh lain"


def seed_sample_report(kecamatan_name: str = "Cinambo", trip_slug: str = "seoul-2018"
                       ) -> Optional[Report]:
    """The sample report, published; None when it exists already or there is nothing
    to put in it (a second run changes nothing)."""
    camat = db.session.scalar(select(Camat).join(Kecamatan).where(Kecamatan.name == kecamatan_name))
    trip = db.session.scalar(select(Trip).where(Trip.slug == trip_slug))
    if camat is None or trip is None or report_of(camat, trip) is not None:
        return None
    samples = db.session.scalars(
        select(Entry).where(Entry.camat_id == camat.id, Entry.trip_id == trip.id,
                            Entry.sample_source.is_not(None), Entry.status == "published")
        .order_by(Entry.id)).all()
    if not samples:
        return None
    report = create_report(camat, trip, TITLE)
    by_topic = {section.topic_id: section for section in report.sections}
    other = None
    for entry in samples:
        section = by_topic.get(entry.topic_id)
        if section is None:
            other = other or add_section(report, OTHER_SECTION)
            section = other
        add_item(section, entry.id)
    for section in list(report.sections):
        if not section.items:
            delete_section(section)
    update_report(report, ReportChanges(title_en=TITLE_EN, opening=OPENING, closing=CLOSING,
                                        status="published"))
    return report
