"""The city-wide compilation of a trip and its coverage board."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from archive.extensions import db
from archive.models import Trip
from archive.reports.compilation import build_compilation
from support.files import jpeg_bytes
from support.reports import PHOTO_SIZE, build_report
from support.rows import camat_of, ingest, seoul, topic


@pytest.fixture
def material(app):
    """Cinambo: published report (3 photos + 1 paper on rivers, 1 draft photo);
    Batununggal: 2 published photos on parks and a draft report."""
    with app.test_request_context("/"):
        cinambo = build_report(photos=3)
        batununggal = camat_of("batununggal")
        parks = ingest(batununggal, [(f"p{n}.jpg", jpeg_bytes(200 + n, PHOTO_SIZE)) for n in range(2)],
                       topic_slug="parks", title="Taman Seoullo")
        draft = build_report("batununggal", photos=1, status="draft", with_paper=False,
                             with_draft_entry=False, seed=300)
        from archive.reports.models import Report

        report = db.session.get(Report, draft.report_id)
        report.sections[0].narrative = "RAHASIA: narasi draf yang belum terbit"
        report.recommendations[0].title = "Kartu draf rahasia"
        db.session.commit()
        return {"cinambo": cinambo, "parks": parks, "trip_id": seoul().id,
                "draft_report": draft.report_id}


def test_coverage_counts_published_photos_and_papers_with_gaps(app, material):
    with app.test_request_context("/"):
        compilation = build_compilation(db.session.get(Trip, material["trip_id"]))
        coverage = compilation.coverage
        assert [c.kecamatan.name for c in coverage.camats][:2] == ["Cinambo", "Batununggal"]
        assert len(coverage.camats) == 10
        cinambo, batununggal = coverage.camats[0], coverage.camats[1]
        rivers, parks = topic("rivers"), topic("parks")
        cell = coverage.cell(cinambo, rivers)
        assert (cell.photos, cell.papers, cell.draft_photos) == (3, 1, None)
        assert coverage.cell(batununggal, parks).photos == 2
        # Batununggal's report is a draft, but its one photo was published
        assert coverage.cell(batununggal, rivers).photos == 1
        assert [t.slug for t in coverage.gaps(cinambo)] == [
            "sidewalks", "trees", "signage", "parks", "street-furniture"]
        assert coverage.topic_total(rivers).photos == 4
        assert (coverage.grand_total.photos, coverage.grand_total.papers) == (6, 1)
        assert coverage.gap_count == 10 * 6 - 3


def test_admins_also_see_draft_counts(app, material):
    with app.test_request_context("/"):
        coverage = build_compilation(db.session.get(Trip, material["trip_id"]),
                                     with_drafts=True).coverage
        cell = coverage.cell(coverage.camats[0], topic("rivers"))
        assert (cell.photos, cell.draft_photos, cell.draft_papers) == (3, 1, 0)


def _cell(html: str, camat_id: int, slug: str) -> str:
    match = re.search(rf'<td class="(\w+)" data-camat="{camat_id}" data-topic="{slug}".*?</td>',
                      html, re.S)
    assert match, (camat_id, slug)
    return match.group(0)


def test_coverage_page_is_public_and_marks_gaps(client, auth, app, material):
    with app.test_request_context("/"):
        cinambo_id = camat_of("cinambo").id
    response = client.get(f"/kunjungan/{material['trip_id']}/cakupan")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rivers = _cell(html, cinambo_id, "rivers")
    assert 'class="ok"' in rivers and re.search(r">3</span> / <span[^>]*>1<", rivers)
    assert "draf" not in rivers
    sidewalks = _cell(html, cinambo_id, "sidewalks")
    assert 'class="gap"' in sidewalks and "belum ada" in sidewalks
    auth.login("admin")
    html = client.get(f"/kunjungan/{material['trip_id']}/cakupan").get_data(as_text=True)
    assert "draf: 1 / 0" in _cell(html, cinambo_id, "rivers")


def test_compiled_report_gathers_published_material_by_topic(client, material):
    response = client.get(f"/kunjungan/{material['trip_id']}/laporan")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="topik-rivers"' in html and 'id="topik-parks"' in html
    assert "Sungai <strong>Cheonggyecheon</strong> dipulihkan" in html
    assert "Taman Seoullo 1" in html
    assert "Restorasi Sungai Cikapundung" in html
    assert f'href="/laporan/{material["cinambo"].report_id}"' in html
    assert f'href="/laporan/{material["draft_report"]}"' not in html
    for secret in ("RAHASIA", "Kartu draf rahasia", "Foto draf rahasia"):
        assert secret not in html


def test_compiled_pdf_and_slides_hold_only_published_material(client, auth, material):
    auth.login("admin")  # even for admins the compilation is the public material
    response = client.get(f"/trips/{material['trip_id']}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Cakupan dokumentasi" in text and "Taman inovatif" in text
    assert "Restorasi Sungai Cikapundung" in text and "Camat Batununggal" in text
    assert f"dari {len(reader.pages)}" in text
    slides = client.get(f"/kunjungan/{material['trip_id']}/slide").get_data(as_text=True)
    for body in (text, slides):
        for secret in ("RAHASIA", "Kartu draf rahasia", "Foto draf rahasia"):
            assert secret not in body


def test_compiled_zip_opens_offline(client, material):
    response = client.get(f"/trips/{material['trip_id']}/report.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    names = archive.namelist()
    assert any(n.endswith("/slides.html") for n in names)
    assert any(n.endswith("/index.html") for n in names)
    # 4 published river photos and 2 park photos, each large and small
    assert len([n for n in names if "/images/" in n]) == 12


def test_unknown_trip_is_404(client):
    for url in ("/kunjungan/999/laporan", "/kunjungan/999/cakupan", "/kunjungan/999/slide",
                "/trips/999/report.pdf", "/trips/999/report.zip"):
        assert client.get(url).status_code == 404, url


def test_a_trip_with_nobody_yet_still_compiles(app, client):
    with app.test_request_context("/"):
        trip = Trip(slug="tokyo-2019", title="Studi banding ke Tokyo", host_city="東京", year=2019,
                    score_period="2019")
        db.session.add(trip)
        db.session.commit()
        trip_id = trip.id
    page = client.get(f"/kunjungan/{trip_id}/cakupan")
    assert page.status_code == 200 and "Belum ada camat" in page.get_data(as_text=True)
    assert client.get(f"/kunjungan/{trip_id}/laporan").status_code == 200
    response = client.get(f"/trips/{trip_id}/report.pdf")
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Studi banding ke Tokyo" in text and "東京" in text.replace("\x00", "")
