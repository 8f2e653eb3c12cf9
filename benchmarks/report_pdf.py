"""Benchmark: the PDF of a 60-photo report (target: under 5 seconds).

Builds a throw-away archive (SQLite in a temp folder), ingests N generated
photos through the real pipeline (``ingest_batch``), puts them in a report of
six sections with captions, Korean place names and recommendation cards, then
times ``GET /reports/<id>.pdf`` through the app, several runs, and prints the
best and median time, the page count and the size. The offline zip is timed
too, for reference.

    .venv/bin/python benchmarks/report_pdf.py [--photos 60] [--runs 3]
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive import create_app  # noqa: E402
from archive.extensions import db  # noqa: E402
from archive.ingest.pipeline import EntryFields, Upload, ingest_batch  # noqa: E402
from archive.models import Camat, Kecamatan, Topic, Trip  # noqa: E402
from archive.reports.models import Recommendation, Report, ReportItem, ReportSection  # noqa: E402

PLACES = ("청계천, 서울", "Gwanghwamun, 서울", "Seoullo 7017", "Yeouido Hangang Park", "Namsan")


def photo(seed: int, size: tuple[int, int] = (2400, 1600)) -> bytes:
    """A photo-like JPEG: noise over a gradient, so it compresses like a real one."""
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    noise = Image.effect_noise(size, 40 + seed % 20).convert("RGB")
    img = Image.blend(base, noise, 0.5)
    img.paste(((seed * 37) % 256, 90, 160), (seed * 13 % 2000, 200, seed * 13 % 2000 + 600, 900))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88)
    return out.getvalue()


def build(app, photos: int) -> int:
    with app.test_request_context("/"):
        from archive.cli import upgrade_schema
        from archive.seed import seed_demo

        upgrade_schema()
        seed_demo()
        db.session.commit()
        camat = db.session.scalar(select(Camat).join(Kecamatan).where(Kecamatan.name == "Cinambo"))
        trip = db.session.scalar(select(Trip))
        topics = list(db.session.scalars(select(Topic).order_by(Topic.position)))
        started = time.perf_counter()
        entry_ids: list[int] = []
        for n in range(photos):
            topic = topics[n % len(topics)]
            fields = EntryFields(title=f"Foto {n + 1}: {topic.name_id} di Seoul", topic_id=topic.id,
                                 place_name=PLACES[n % len(PLACES)], status="published")
            [result] = ingest_batch([Upload(f"IMG_{n:04d}.jpg", io.BytesIO(photo(n)))], fields,
                                    camat=camat, trip=trip)
            assert result.status == "added", result.message
            entry_ids.append(result.entry.id)
        print(f"ingested {photos} photos in {time.perf_counter() - started:.1f} s")
        camat = db.session.get(Camat, camat.id)
        report = Report(trip_id=trip.id, camat_id=camat.id, status="published",
                        title="Laporan Studi Banding Kecamatan Cinambo ke Seoul 2018",
                        opening="Laporan ini merangkum **temuan** kunjungan.\n\n" * 3,
                        closing="Kesimpulan dan langkah berikutnya.\n\n- satu\n- dua")
        db.session.add(report)
        sections = []
        for position, topic in enumerate(topics):
            section = ReportSection(report=report, position=position, title=topic.name_id,
                                    topic_id=topic.id, notes="Catatan pembicara.",
                                    narrative=("Di Seoul kami melihat **praktik baik** untuk "
                                               f"{topic.name_id.lower()}. " * 8))
            db.session.add(section)
            sections.append(section)
        for n, entry_id in enumerate(entry_ids):
            caption = f"Keterangan foto {n + 1} di {PLACES[n % len(PLACES)]}"
            db.session.add(ReportItem(section=sections[n % len(sections)], entry_id=entry_id,
                                      position=n, caption=caption))
        for n, topic in enumerate(topics):
            db.session.add(Recommendation(report=report, position=n, topic_id=topic.id,
                                          title=f"Rekomendasi {topic.name_id}",
                                          practice="Praktik yang dilihat di Seoul.",
                                          problem="Masalah yang ada di Bandung.",
                                          executor="Dinas terkait", cost_effort="sedang"))
        db.session.commit()
        return report.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--save", metavar="PATH", help="also write the PDF here, to look at it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-pdf-bench-") as tmp:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
            "UPLOAD_DIR": f"{tmp}/uploads", "INDEX_DIR": f"{tmp}/index",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        })
        report_id = build(app, args.photos)
        client = app.test_client()
        pdf_times, pdf_cpu, zip_times = [], [], []
        data = b""
        for _ in range(args.runs):
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(f"/reports/{report_id}.pdf")
            data = response.get_data()
            pdf_times.append(time.perf_counter() - started)
            # CPU time too: on a shared machine the wall clock includes others' work
            pdf_cpu.append(time.process_time() - cpu)
            assert response.status_code == 200, response.status_code
            started = time.perf_counter()
            response = client.get(f"/reports/{report_id}.zip")
            zip_size = len(response.get_data())
            response.close()
            zip_times.append(time.perf_counter() - started)
        pages = len(PdfReader(io.BytesIO(data)).pages)
        if args.save:
            Path(args.save).write_bytes(data)
        print(f"PDF of a {args.photos}-photo report: best {min(pdf_times):.2f} s, "
              f"median {statistics.median(pdf_times):.2f} s over {args.runs} runs "
              f"(target < 5 s), CPU {min(pdf_cpu):.2f} s; {pages} pages, {len(data) / 1e6:.1f} MB")
        print(f"offline zip: best {min(zip_times):.2f} s, {zip_size / 1e6:.1f} MB")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
