"""The map without its tile server (offline, in a meeting room): Chromium with the
tile host blocked still shows a base map, the country outlines from the shipped
Natural Earth data as SVG paths, with the pins and their place names."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive.extensions import db
from archive.models import Entry
from support.files import jpeg_bytes
from support.rows import camat_of, ingest

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots"
PLACES = [("Cheonggyecheon", 37.5704, 126.9910), ("Alun-alun Bandung", -6.9218, 107.6070)]


def test_blocked_tiles_give_way_to_the_vector_outlines(app, live_server, browser):
    with app.test_request_context("/"):
        for n, (place, lat, lon) in enumerate(PLACES):
            [entry_id] = ingest(camat_of("cinambo"), [(f"peta{n}.jpg", jpeg_bytes(80 + n))],
                                title=place, place=place)
            entry = db.session.get(Entry, entry_id)
            entry.latitude, entry.longitude = lat, lon
        db.session.commit()
    SHOTS.mkdir(exist_ok=True)
    for width, height in ((1366, 768), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        blocked: list[str] = []
        page.route("https://tile.openstreetmap.org/**",
                   lambda route: (blocked.append(route.request.url), route.abort()))
        try:
            page.goto(f"{live_server.url}/peta")
            page.wait_for_selector("#map[data-base=vector]")
            assert blocked, "the page never asked for a tile"
            paths = page.locator("#map .leaflet-overlay-pane svg path")
            assert paths.count() > 100  # the countries of the world
            assert page.locator(".leaflet-marker-icon").count() == 2
            labels = page.locator(".map-place-label").all_inner_texts()
            assert sorted(labels) == sorted(p for p, _lat, _lon in PLACES)
            assert page.locator("[data-tile-error]").is_visible()
            assert page.locator("img.leaflet-tile").count() == 0
            assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()
            page.screenshot(path=str(SHOTS / f"map-offline-{width}.png"))
        finally:
            page.close()
