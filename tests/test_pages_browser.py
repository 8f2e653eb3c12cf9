"""The pages in headless Chromium: no page kind overflows a phone's width or a laptop's
(public, search with results, scores, reports, slides, the camat's editors; the admin pages
in test_admin_browser.py), the phone header and slide toolbar fold into menus, drag and
drop adds files."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.browser import assert_pages_fit, log_in
from support.files import SEOUL, camera_jpeg
from support.uploads import upload

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots"

PAGES = ["/", "/topik", "/topik/rivers", "/camat", "/camat/1", "/nilai/1", "/kunjungan/seoul-2018",
         "/peta", "/masuk", "/entri/1", "/cari?q=sungai", "/cari?q=sungai&lang=en", "/nilai",
         "/nilai/periode/2018", "/kecamatan/1", "/laporan", "/rekomendasi",
         "/kunjungan/1/laporan", "/kunjungan/1/cakupan", "/kunjungan/1/slide", "/?lang=en"]


CAMAT_PAGES = ["/entri/saya", "/entri/unggah", "/entri/1", "/entri/1/ubah", "/entri/1/hapus", "/camat/1",
               "/laporan/saya", "/entri/tinjau?ids=1"]


def report_pages(app, report_id: int) -> tuple[list[str], list[str]]:
    """The report's public pages (reading, slides) and its editors (report, section, card)."""
    from archive.extensions import db
    from archive.reports.models import Report

    with app.app_context():
        report = db.session.get(Report, report_id)
        section_id, card_id = report.sections[0].id, report.recommendations[0].id
    base = f"/laporan/{report_id}"
    return ([base, f"{base}/slide"],
            [f"{base}/ubah", f"{base}/bagian/{section_id}", f"{base}/rekomendasi/baru",
             f"{base}/rekomendasi/{card_id}"])


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
def test_pages_fit_the_screen_without_sideways_scrolling(app, browser, live_server, published, report,
                                                         width, height):
    public, editors = report_pages(app, report.report_id)
    page = browser.new_page(viewport={"width": width, "height": height})
    _no_offline_tiles(page)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        assert_pages_fit(page, live_server.url, PAGES + public)
        log_in(page, live_server.url, "cinambo")
        assert_pages_fit(page, live_server.url, CAMAT_PAGES + editors, who=" (as camat)")
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


def _inside(page, selector: str) -> None:
    """Every element matched is shown and lies within the window's width."""
    boxes = page.locator(selector)
    assert boxes.count() > 0, selector
    for n in range(boxes.count()):
        box = boxes.nth(n).bounding_box()
        assert box and box["width"] > 0, f"{selector} #{n} is not shown"
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"{selector} #{n} is cut off: {box}"


def _drawn(page, selector: str) -> None:
    """The image is shown and decoded (the city's mark is an SVG served by the archive)."""
    assert page.locator(selector).first.evaluate("i => i.complete && i.naturalWidth > 0"), selector


@pytest.mark.parametrize("lang, full_screen, city", [
    ("id", "Layar penuh", "Pemerintah Kota Bandung"), ("en", "Full screen", "Bandung City Government")])
def test_phone_header_and_slide_toolbar_fold_into_menus(browser, live_server, report, lang, full_screen,
                                                        city):
    base = live_server.url
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{base}/cari?q=sungai&lang={lang}")
        # the city's name and mark, in the header and the footer
        assert page.inner_text(".brand-city") == city and city in page.inner_text(".site-footer")
        _drawn(page, "img.brand-mark")
        _drawn(page, ".footer-city img")
        # one search box on the search page, the menu folded to one button
        assert page.locator("input[type=search]:visible").count() == 1
        assert not page.locator("#main-nav").is_visible()
        assert page.locator(".site-header").bounding_box()["height"] < 140
        page.click(".nav-toggle")
        assert page.locator("#main-nav").is_visible()
        _inside(page, "#main-nav a")
        page.screenshot(path=str(SHOTS / f"phone-menu-open-{lang}-390.png"))
        page.keyboard.press("Escape")
        assert not page.locator("#main-nav").is_visible()

        page.goto(f"{base}/laporan/{report.report_id}/slide?lang={lang}")
        assert city in page.text_content(".slide.is-current .slide__city")  # shown in capitals
        _drawn(page, ".slide.is-current .slide__mark")
        _inside(page, ".deck__bar > :visible")
        assert not page.get_by_role("button", name=full_screen).is_visible()
        page.click(".deck__more")
        _inside(page, "#deck-tools > :visible")
        assert page.get_by_role("button", name=full_screen).is_visible()
        assert page.locator(".deck__help").is_visible()
        page.screenshot(path=str(SHOTS / f"slides-menu-open-{lang}-390.png"))
        page.get_by_role("button", name=full_screen).click()  # an action closes the menu
        assert not page.locator("#deck-tools").is_visible()
        page.keyboard.press("ArrowRight")
        assert page.locator("#slide-counter").text_content().startswith("2 /")
    finally:
        page.close()
