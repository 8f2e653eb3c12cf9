"""The report's map slide: where the report's photos were taken, a pin each with
its place name; on paper the list of places; in the offline zip with Leaflet and
the Natural Earth outlines, so it draws from file:// without the internet."""
from __future__ import annotations

import io
import zipfile

import pytest

from archive.extensions import db
from archive.models import Entry
from archive.reports.models import Report
from archive.reports.slides import report_deck
from support.reports import pdf_text

#: Cheonggyecheon (Seoul) and the alun-alun of Bandung
POSITIONS = [(37.5704, 126.9910), (-6.9218, 107.6070)]


@pytest.fixture
def mapped_report(app, report):
    with app.test_request_context("/"):
        for entry_id, (lat, lon) in zip(report.photo_ids, POSITIONS):
            entry = db.session.get(Entry, entry_id)
            entry.latitude, entry.longitude = lat, lon
        db.session.commit()
    return report


def _zip(client, report_id: int) -> zipfile.ZipFile:
    response = client.get(f"/reports/{report_id}.zip")
    try:
        return zipfile.ZipFile(io.BytesIO(response.data))
    finally:
        response.close()


def test_the_deck_has_a_map_slide_of_its_positioned_photos(app, mapped_report):
    with app.test_request_context("/"):
        deck = report_deck(db.session.get(Report, mapped_report.report_id))
        [slide] = [s for s in deck.slides if s.kind == "map"]
        assert [(p["lat"], p["lon"]) for p in slide.points] == POSITIONS
        assert all(p["place"] for p in slide.points)
        assert deck.slides[deck.slides.index(slide) + 1].kind in ("recommendation", "closing")


def test_no_map_slide_without_positions(app, report):
    with app.test_request_context("/"):
        deck = report_deck(db.session.get(Report, report.report_id))
        assert not deck.has_map


def test_map_slide_on_the_site_in_the_pdf_and_in_the_zip(client, mapped_report):
    slides = client.get(f"/laporan/{mapped_report.report_id}/slide").get_data(as_text=True)
    assert 'class="slide__map"' in slides and "&#34;lat&#34;: 37.5704" in slides
    for script in ("vendor/leaflet/leaflet.js", "js/offline-base.js", "js/slide-map.js"):
        assert f"/static/{script}" in slides
    _, pages = pdf_text(client.get(f"/reports/{mapped_report.report_id}.pdf"))
    assert any("Peta temuan" in page for page in pages)
    archive = _zip(client, mapped_report.report_id)
    names = set(archive.namelist())
    folder = next(iter(names)).split("/")[0]
    for asset in ("countries-10m.js", "leaflet.js", "slide-map.js", "offline-base.js"):
        assert f"{folder}/assets/{asset}" in names
    bundled = archive.read(f"{folder}/slides.html").decode()
    assert 'src="assets/countries-10m.js"' not in bundled  # loaded only when the tiles fail
    assert 'data-outlines="assets/countries-10m.js"' in bundled


def test_a_zip_without_a_map_carries_no_map_assets(client, report):
    archive = _zip(client, report.report_id)
    assert not any(name.endswith("countries-10m.js") for name in archive.namelist())


def _map_slide_number(app, report_id: int) -> int:
    with app.test_request_context("/"):
        deck = report_deck(db.session.get(Report, report_id))
        return next(n for n, s in enumerate(deck.slides, start=1) if s.kind == "map")


def _assert_offline_map(page) -> None:
    page.wait_for_selector(".slide.is-current .slide__map[data-base=vector]")
    assert page.locator(".slide.is-current .slide__map svg path").count() > 100
    assert page.locator(".slide.is-current .map-place-label").count() == 2


@pytest.mark.browser
def test_map_slide_draws_offline_on_the_site_and_from_the_zip(app, client, mapped_report,
                                                              live_server, browser, tmp_path):
    from pathlib import Path

    number = _map_slide_number(app, mapped_report.report_id)
    archive = _zip(client, mapped_report.report_id)
    archive.extractall(tmp_path)
    bundled = next(Path(tmp_path).glob("*/slides.html"))
    shots = Path(__file__).parent / "screenshots"
    shots.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    try:
        page.goto(f"{live_server.url}/laporan/{mapped_report.report_id}/slide#slide={number}")
        _assert_offline_map(page)
        page.screenshot(path=str(shots / "map-slide-1366.png"))
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_function("() => document.querySelector('.slide.is-current .slide__map').clientWidth < 390")
        page.screenshot(path=str(shots / "map-slide-390.png"))
        page.goto(f"{bundled.as_uri()}#slide={number}")
        _assert_offline_map(page)
    finally:
        page.close()
