"""The city's identity (archive/identity): name and mark on pages, slides, the report PDF
and the offline zip, configurable for another city."""
from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader

from conftest import make_app
from archive.extensions import db


def test_pages_name_the_city_and_show_its_mark_in_both_languages(client):
    html = client.get("/").get_data(as_text=True)
    assert "Pemerintah Kota Bandung" in html and 'src="/identitas/lambang.svg"' in html
    assert "camat berprestasi Kota Bandung." in html
    assert ">AS<" not in html
    # the browser's tab shows the mark too (no request for a missing /favicon.ico)
    assert '<link rel="icon" href="/identitas/lambang.svg" type="image/svg+xml">' in html
    english = client.get("/?lang=en").get_data(as_text=True)
    assert "Bandung City Government" in english and "Bandung's best-performing camat" in english


def test_the_mark_is_an_svg_that_cannot_run_script(client):
    with client.get("/identitas/lambang.svg") as response:
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        body = response.get_data(as_text=True)
        assert body.lstrip().startswith("<svg") and "<script" not in body
        assert "sandbox" in response.headers["Content-Security-Policy"]


def test_another_city_is_a_matter_of_configuration(database_template, tmp_path):
    mark = tmp_path / "cimahi.svg"
    mark.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                    '<rect width="10" height="10" fill="#a00"/></svg>')
    app = make_app(database_template, tmp_path, CITY_NAME="Pemerintah Kota Cimahi",
                   CITY_NAME_EN="Cimahi City Government", CITY_SHORT_NAME="Kota Cimahi",
                   CITY_SHORT_NAME_EN="Cimahi", CITY_MARK=str(mark))
    try:
        client = app.test_client()
        html = client.get("/").get_data(as_text=True)
        assert "Pemerintah Kota Cimahi" in html and "Bandung</small>" not in html
        assert "Cimahi City Government" in client.get("/?lang=en").get_data(as_text=True)
        with client.get("/identitas/lambang.svg") as response:
            assert 'fill="#a00"' in response.get_data(as_text=True)
    finally:
        with app.app_context():
            db.engine.dispose()


def test_slides_pdf_and_zip_carry_the_name_and_the_mark(client, report):
    slides = client.get(f"/laporan/{report.report_id}/slide").get_data(as_text=True)
    assert 'class="slide__mark"' in slides and "Pemerintah Kota Bandung" in slides
    response = client.get(f"/reports/{report.report_id}.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    assert "Pemerintah Kota Bandung" in reader.pages[0].extract_text()
    assert "Pemerintah Kota Bandung" in reader.pages[1].extract_text()  # the running header
    assert reader.metadata.author == "Pemerintah Kota Bandung"
    # the mark is drawn as vector paths: the cover's content holds its colour (#0f5a7a)
    assert b"0.0588 0.3529 0.4784 rg" in reader.pages[0].get_contents().get_data()
    response = client.get(f"/reports/{report.report_id}.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    [folder] = {n.split("/")[0] for n in archive.namelist()}
    assert archive.read(f"{folder}/assets/city-mark.svg").startswith(b"<svg")
    for page in ("index.html", "slides.html"):
        html = archive.read(f"{folder}/{page}").decode()
        assert 'src="assets/city-mark.svg"' in html and "Pemerintah Kota Bandung" in html
