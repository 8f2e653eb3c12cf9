"""The pages in headless Chromium: nothing overflows a phone's width, drag and drop adds files."""
from __future__ import annotations

import pytest

from support.browser import assert_pages_fit, log_in
from support.files import SEOUL, camera_jpeg
from support.uploads import upload

pytestmark = pytest.mark.browser

PAGES = ["/", "/topik", "/topik/rivers", "/camat", "/camat/1", "/nilai/1", "/kunjungan/seoul-2018",
         "/peta", "/masuk", "/entri/1"]


CAMAT_PAGES = ["/entri/saya", "/entri/unggah", "/entri/1", "/entri/1/ubah", "/entri/1/hapus", "/camat/1"]


@pytest.fixture
def published(app, client, auth):
    auth.login("cinambo")
    result = upload(client, [(camera_jpeg(60, size=(1200, 800), gps=SEOUL), "sungai_seoul.jpg")],
                    status="published", place_name="Cheonggyecheon")
    assert result.status_code == 201
    auth.logout()


def _no_offline_tiles(page):
    # The map's tiles come from the internet; the tests must pass without it.
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())


@pytest.mark.parametrize("width, height", [(390, 844), (1366, 768)])
def test_pages_fit_the_screen_without_sideways_scrolling(browser, live_server, published, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    _no_offline_tiles(page)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        assert_pages_fit(page, live_server.url, PAGES)
        log_in(page, live_server.url, "cinambo")
        assert_pages_fit(page, live_server.url, CAMAT_PAGES, who=" (as camat)")
        assert errors == []
    finally:
        page.close()


def test_map_shows_pins_and_the_list_when_tiles_fail(browser, live_server, published):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    _no_offline_tiles(page)
    try:
        page.goto(live_server.url + "/peta")
        page.wait_for_selector(".leaflet-marker-icon")
        assert page.locator(".leaflet-marker-icon").count() == 1
        assert "Cheonggyecheon" in page.inner_text(".place-list")
        page.wait_for_selector("[data-tile-error]:not([hidden])", timeout=5000)
    finally:
        page.close()


def test_drag_and_drop_adds_files_to_the_upload(browser, live_server, tmp_path):
    first = tmp_path / "dipilih.jpg"
    first.write_bytes(camera_jpeg(61))
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        log_in(page, live_server.url, "cinambo")
        page.goto(live_server.url + "/entri/unggah")
        page.set_input_files("#files", [str(first)])
        data = list(camera_jpeg(62))
        transfer = page.evaluate_handle(
            """(bytes) => { const dt = new DataTransfer();
                 dt.items.add(new File([new Uint8Array(bytes)], "diseret.jpg", {type: "image/jpeg"}));
                 return dt; }""", data)
        page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": transfer})
        listed = page.inner_text("[data-file-list]")
        assert "dipilih.jpg" in listed and "diseret.jpg" in listed
        page.click("form.upload-form button[type=submit]")
        page.wait_for_selector(".queue-summary a.button-primary")
        assert page.locator(".queue-item[data-phase=added]").count() == 2
        assert "2 dari 2 berkas selesai." in page.inner_text(".queue-summary")
    finally:
        page.close()
