"""Reports for the report and presentation tests.

``build_report`` makes a whole report of real ingested files (generated JPEGs
and PDFs through the upload pipeline, so the thumbnails on disk are the
archive's own); ``report_entry`` is a bare entry row to put in a report.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from archive.extensions import db
from archive.models import Entry
from archive.reports.models import Recommendation, Report, ReportItem, ReportSection

from .files import jpeg_bytes, pdf_bytes
from .rows import camat_of, ingest, make_entry, seoul, topic

KOREAN_PLACE = "청계천, 서울"
#: the size of a report's photos: large enough for the slides' projector-sized pictures
PHOTO_SIZE = (640, 480)


def report_entry(username: str, title: str, topic_slug: str | None = "sidewalks", *,
                 place: str = "", **fields) -> Entry:
    """An entry row of ``username``'s, described "Keterangan <title>", flushed
    and not committed: the test commits it with the report."""
    return make_entry(title, f"Keterangan {title}", camat=username, topic=topic_slug,
                      place_name=place, commit=False, **fields)


def report_of(username: str) -> Report | None:
    return db.session.scalar(select(Report).where(Report.camat_id == camat_of(username).id))


@dataclass
class ReportIds:
    report_id: int
    photo_ids: list[int]
    paper_id: int | None
    draft_photo_id: int | None
    captions: list[str] = field(default_factory=list)


def build_report(username: str = "cinambo", *, photos: int = 3, status: str = "published",
                 with_paper: bool = True, with_draft_entry: bool = True, seed: int = 0) -> ReportIds:
    """A report with one river section of ``photos`` photos (+ a paper, + a
    draft photo), a card, opening and closing. Commits (tests are the request here)."""
    camat = camat_of(username)
    photo_ids = ingest(camat, [(f"foto{n}.jpg", jpeg_bytes(seed + n, PHOTO_SIZE)) for n in range(photos)],
                       title="Sungai Cheonggyecheon", place=KOREAN_PLACE)
    paper_id = None
    if with_paper:
        [paper_id] = ingest(camat, [("paper.pdf", pdf_bytes(
            f"Pengelolaan sungai di Seoul {seed}: normalisasi bantaran dan ruang publik", 3))],
            title="Paper sungai")
    draft_id = None
    if with_draft_entry:
        [draft_id] = ingest(camat, [("draft.jpg", jpeg_bytes(seed + 900, PHOTO_SIZE))], status="draft",
                            title="Foto draf rahasia")
    camat = camat_of(username)
    report = Report(trip_id=seoul().id, camat_id=camat.id, status=status,
                    title=f"Laporan Studi Banding {camat.kecamatan.name}",
                    opening="Pembukaan: kami belajar **banyak** di Seoul.",
                    closing="Kesimpulan: terapkan di Bandung.")
    db.session.add(report)
    section = ReportSection(report=report, position=0, title="Sungai yang hidup kembali",
                            topic_id=topic("rivers").id,
                            narrative="Sungai **Cheonggyecheon** dipulihkan pada 2005.\n\n- bersih\n- terbuka",
                            notes="Catatan pembicara: sebut biaya restorasi.")
    db.session.add(section)
    captions = [f"Keterangan foto nomor {n + 1} di tepi sungai" for n in range(photos)]
    ordered = photo_ids + ([paper_id] if paper_id else []) + ([draft_id] if draft_id else [])
    for position, entry_id in enumerate(ordered):
        caption = captions[position] if position < len(captions) else ""
        db.session.add(ReportItem(section=section, entry_id=entry_id, position=position,
                                  caption=caption, notes=f"Catatan item {position + 1}"))
    db.session.add(Recommendation(report=report, position=0, topic_id=topic("rivers").id,
                                  title="Restorasi Sungai Cikapundung",
                                  practice="Pemulihan sungai di tengah kota", problem="Sungai tertutup",
                                  executor="Dinas Sumber Daya Air", cost_effort="tinggi",
                                  status="piloting"))
    db.session.commit()
    return ReportIds(report.id, photo_ids, paper_id, draft_id, captions)


def pdf_text(response):
    """The PDF answered, read: (the reader, each page's text)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.data))
    return reader, [page.extract_text() for page in reader.pages]
