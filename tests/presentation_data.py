"""Test data for the presentation tests: a report made of real ingested files.

Photos are small generated JPEGs and papers generated PDFs, pushed through
the real ingest pipeline so the thumbnails on disk are the archive's own.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from fpdf import FPDF
from PIL import Image
from sqlalchemy import select

from archive.extensions import db
from archive.ingest.pipeline import EntryFields, Upload, ingest_batch
from archive.models import Camat, Kecamatan, Topic, Trip
from archive.reports.models import Recommendation, Report, ReportItem, ReportSection

KOREAN_PLACE = "청계천, 서울"


def jpeg_bytes(seed: int, size: tuple[int, int] = (640, 480)) -> bytes:
    """A distinct small JPEG (distinct content, so no duplicates)."""
    img = Image.new("RGB", size, ((seed * 47) % 256, (seed * 91) % 256, (seed * 13) % 256))
    for x in range(0, size[0], 40):
        img.paste((255 - (seed % 256), 120, x % 256), (x, (seed * 7) % size[1], x + 20, size[1]))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def pdf_bytes(text: str, pages: int = 2) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for n in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{text} (halaman {n + 1})")
    return bytes(pdf.output())


def camat_of(username: str) -> Camat:
    return db.session.scalar(
        select(Camat).join(Kecamatan).where(
            db.func.lower(db.func.replace(Kecamatan.name, " ", "")) == username))


def trip() -> Trip:
    return db.session.scalar(select(Trip).where(Trip.slug == "seoul-2018"))


def topic(slug: str) -> Topic:
    return db.session.scalar(select(Topic).where(Topic.slug == slug))


def ingest(camat: Camat, files: list[tuple[str, bytes]], *, topic_slug: str = "rivers",
           status: str = "published", title: str = "", place: str = "", start: int = 0) -> list[int]:
    """Ingest ``files`` and return the new entry ids (in order)."""
    ids = []
    for n, (name, data) in enumerate(files):
        fields = EntryFields(title=f"{title} {start + n + 1}".strip() if title else "",
                             topic_id=topic(topic_slug).id, place_name=place, status=status)
        [result] = ingest_batch([Upload(name, io.BytesIO(data))], fields, camat=camat, trip=trip())
        assert result.status == "added", result.message
        ids.append(result.entry.id)
    return ids


@dataclass
class ReportIds:
    report_id: int
    photo_ids: list[int]
    paper_id: int | None
    draft_photo_id: int | None
    captions: list[str] = field(default_factory=list)


def build_report(username: str = "cinambo", *, photos: int = 3, status: str = "published",
                 with_paper: bool = True, with_draft_entry: bool = True, seed: int = 0) -> ReportIds:
    """A report with one river section of ``photos`` photos (+ a paper), a card,
    opening and closing. Commits (tests are the request here)."""
    camat = camat_of(username)
    photo_ids = ingest(camat, [(f"foto{n}.jpg", jpeg_bytes(seed + n)) for n in range(photos)],
                       title="Sungai Cheonggyecheon", place=KOREAN_PLACE)
    paper_id = None
    if with_paper:
        [paper_id] = ingest(camat, [("paper.pdf", pdf_bytes(
            f"Pengelolaan sungai di Seoul {seed}: normalisasi bantaran dan ruang publik", 3))],
            title="Paper sungai")
    draft_id = None
    if with_draft_entry:
        [draft_id] = ingest(camat, [("draft.jpg", jpeg_bytes(seed + 900))], status="draft",
                            title="Foto draf rahasia")
    camat = camat_of(username)
    report = Report(trip_id=trip().id, camat_id=camat.id, status=status,
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
