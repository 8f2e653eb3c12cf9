"""The derived place in Chromium: the entry page shows it and the disagreement
with the typed place, one click takes it; the search facet lists it. Phone and
desktop widths, with screenshots under tests/screenshots/."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.browser import log_in
from support.rows import latest_entry_id
from support.uploads import upload

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots"
AREZZO_PHOTO = Path("/work/shared/realdata/photos/gps_DSCN0010.jpg")


def test_the_entry_page_shows_the_gps_place_and_takes_it_in_one_click(
        app, client, auth, browser, live_server):
    auth.login("cinambo")
    assert upload(client, [(AREZZO_PHOTO.read_bytes(), "gps_DSCN0010.jpg")], status="published",
                  place_name="Cheonggyecheon, Seoul", title="Air mancur").status_code == 201
    entry_id = latest_entry_id(app)
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        log_in(page, live_server.url, "cinambo")
        page.goto(f"{live_server.url}/entri/{entry_id}")
        notice = page.locator(".place-mismatch")
        assert "Cheonggyecheon, Seoul" in notice.inner_text()
        assert "Arezzo, Italy" in notice.inner_text()
        assert "Arezzo" in page.inner_text(".gps-place") and "Tuscany" in page.inner_text(".gps-place")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.screenshot(path=str(SHOTS / "places-entry-390.png"), full_page=True)
        page.set_viewport_size({"width": 1366, "height": 768})
        page.screenshot(path=str(SHOTS / "places-entry-1366.png"), full_page=True)
        with page.expect_navigation():
            page.click(".place-mismatch button[type=submit]")
        page.wait_for_selector(".flash-success")
        assert "Arezzo, Italy" in page.inner_text(".flash-success")
        assert page.locator(".place-mismatch").count() == 0
        assert "Arezzo, Italy" in page.inner_text(".entry-head")
        page.goto(f"{live_server.url}/cari?q=Arezzo")
        facet = page.locator("aside.facets")
        assert "Tempat (GPS)" in facet.inner_text() and "Arezzo, Italy" in facet.inner_text()
        page.screenshot(path=str(SHOTS / "places-search-1366.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.screenshot(path=str(SHOTS / "places-search-390.png"), full_page=True)
        assert errors == []
    finally:
        page.close()
