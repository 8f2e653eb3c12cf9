"""``flask seed-demo`` loads the shipped openly licensed samples: published, marked as
samples with source and licence, searchable, on the map, and only once."""
from __future__ import annotations

from sqlalchemy import func, select

from archive.demo import SAMPLES, SAMPLES_DIR
from archive.extensions import db
from archive.models import Entry
from archive.reports.models import Report


def test_seed_demo_gives_searchable_published_samples(app, runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert f"Contoh berlisensi terbuka: {len(SAMPLES)} ditambahkan, 0 sudah ada" in result.output
    with app.app_context():
        samples = list(db.session.scalars(select(Entry).where(Entry.sample_source.is_not(None))))
        assert len(samples) == len(SAMPLES)
        assert all(e.is_published and e.sample_licence == "CC BY-SA 4.0" for e in samples)
        heic = next(e for e in samples if e.file.mime_type == "image/heic")
        assert heic.latitude is not None and heic.place_name.startswith("Blue Springs")
        arezzo = [e for e in samples if e.place_name.startswith("Arezzo")]
        assert len(arezzo) == 4 and all(43.4 < e.latitude < 43.5 for e in arezzo)
        entry_id = arezzo[0].id
    # A visitor finds them: words of a description, a paper's full text, the place.
    for query, title in (("pohon", "Jalan setapak berpohon"), ("beautiful", "ekspor Google Docs"),
                         ("Arezzo", "Alun-alun berbata")):
        hits = client.get("/api/v1/search", query_string={"q": query}).get_json()
        assert any(title in hit["title"] for hit in hits["hits"]), (query, hits)
    page = client.get(f"/entri/{entry_id}").get_data(as_text=True)
    assert "Contoh berlisensi terbuka." in page and "CC BY-SA 4.0" in page
    assert "https://github.com/ianare/exif-samples" in page
    # A second run adds nothing.
    again = runner.invoke(args=["seed-demo"])
    assert f"0 ditambahkan, {len(SAMPLES)} sudah ada" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Report.id))) == 1


def test_seed_demo_gives_a_published_sample_report_a_visitor_can_present(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.status == "published" and report.camat.kecamatan.name == "Cinambo"
        items = [item.entry for section in report.sections for item in section.items]
        # every Cinambo sample, each once, and no empty section
        assert sorted(e.id for e in items) == sorted(db.session.scalars(
            select(Entry.id).where(Entry.sample_source.is_not(None), Entry.camat_id == report.camat_id)))
        assert all(section.items for section in report.sections)
        assert all("DSCN" not in item.caption for s in report.sections for item in s.items)
        report_id = report.id
    page = client.get(f"/laporan/{report_id}").get_data(as_text=True)
    assert "bukan hasil kunjungan" in page and "berlisensi terbuka" in page
    assert client.get(f"/laporan/{report_id}/slide").status_code == 200
    pdf = client.get(f"/reports/{report_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_samples_are_small_and_credited():
    files = [SAMPLES_DIR / s.file for s in SAMPLES]
    assert sum(f.stat().st_size for f in files) < 5 * 1024 * 1024
    readme = (SAMPLES_DIR / "README.md").read_text()
    assert all(f.name in readme for f in files) and "CC BY-SA 4.0" in readme
