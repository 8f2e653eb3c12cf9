"""Under the Content-Security-Policy (archive/security.py), in headless
Chromium: the slides, the presenter window, the map, the confirmations and
the offline zip keep working, and the browser reports no violation.

Screenshots of the slides and the map at a laptop's and a phone's size go to
``ARCHIVE_SCREENSHOT_DIR`` when it is set (to look at), else to the test's
temporary folder.
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from archive.extensions import db
from archive.models import Entry
from support.browser import log_in
from support.files import jpeg_bytes
from support.reports import PHOTO_SIZE
from support.rows import camat_of, ingest

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (390, 844)]
#: records what the page itself sees, besides the console
# Waits below are functions ("() => ..."), not expressions: Playwright evaluates a
# polled expression with eval(), which this very policy refuses ('unsafe-eval').
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def watch(page) -> list[str]:
    """Every CSP or Permissions-Policy complaint and script error of ``page``."""
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)

    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            problems.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"error: {error}"))
    return problems


def assert_clean(page, problems: list[str]) -> None:
    assert problems == []
    assert page.evaluate("window.__violations") == []


def screenshot_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ARCHIVE_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _tile() -> bytes:
    """A stand-in map tile (the tests run without the internet): a light grid."""
    image = Image.new("RGB", (256, 256), (232, 236, 228))
    draw = ImageDraw.Draw(image)
    for x in range(0, 256, 64):
        draw.line([(x, 0), (x, 255)], fill=(200, 206, 196))
        draw.line([(0, x), (255, x)], fill=(200, 206, 196))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def mapped(app):
    """A published photo at Cheonggyecheon, so the map has a pin."""
    with app.test_request_context("/"):
        [entry_id] = ingest(camat_of("cinambo"), [("peta.jpg", jpeg_bytes(71, PHOTO_SIZE))],
                            title="Cheonggyecheon", place="Cheonggyecheon")
        entry = db.session.get(Entry, entry_id)
        entry.latitude, entry.longitude = 37.5704, 126.9910
        db.session.commit()
    return entry_id


def test_slides_move_by_keyboard_under_the_policy(report, live_server, browser, tmp_path):
    url = f"{live_server.url}/laporan/{report.report_id}/slide"
    for width, height in SIZES:
        page = browser.new_page(viewport={"width": width, "height": height})
        problems = watch(page)
        try:
            response = page.goto(url)
            assert "script-src 'self'" in response.headers["content-security-policy"]
            counter = page.locator("#slide-counter")
            assert counter.text_content() == "1 / 8"
            page.keyboard.press("ArrowRight")
            page.keyboard.press("PageDown")
            assert counter.text_content() == "3 / 8"
            page.wait_for_function("() => document.querySelector('.slide.is-current img').complete")
            page.screenshot(path=str(screenshot_dir(tmp_path) / f"slides-{width}x{height}.png"))
            page.keyboard.press("n")
            assert page.locator("#notes-panel").is_visible()
            page.keyboard.press("End")
            assert counter.text_content() == "8 / 8"
            page.keyboard.press("Home")
            assert counter.text_content() == "1 / 8"
            assert_clean(page, problems)
        finally:
            page.close()


def test_the_presenter_window_follows_under_the_policy(report, live_server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    problems = watch(page)
    try:
        page.goto(f"{live_server.url}/laporan/{report.report_id}/slide#slide=2")
        with context.expect_page() as opened:
            page.keyboard.press("s")
        presenter = opened.value
        presenter_problems = watch(presenter)
        presenter.wait_for_function("() => document.body.classList.contains('js-ready')")
        assert presenter.locator("#slide-counter").text_content() == "2 / 8"
        page.bring_to_front()
        page.keyboard.press("ArrowRight")
        presenter.wait_for_function(
            "() => document.getElementById('slide-counter').textContent === '3 / 8'")
        presenter.keyboard.press("PageDown")
        page.wait_for_function("() => document.getElementById('slide-counter').textContent === '4 / 8'")
        assert_clean(page, problems)
        assert presenter_problems == []
    finally:
        context.close()


def test_the_map_shows_its_tiles_and_pins_under_the_policy(mapped, live_server, browser, tmp_path):
    tile = _tile()
    for width, height in SIZES:
        page = browser.new_page(viewport={"width": width, "height": height})
        problems = watch(page)
        # The tile server, answered here: if the policy refused its origin, no
        # request would reach this route and the browser would log a violation.
        page.route("https://tile.openstreetmap.org/**",
                   lambda route: route.fulfill(body=tile, content_type="image/png"))
        try:
            page.goto(f"{live_server.url}/peta")
            page.wait_for_selector(".leaflet-marker-icon")
            page.wait_for_selector("img.leaflet-tile-loaded")
            assert page.locator("[data-tile-error]").is_hidden()
            page.locator(".leaflet-marker-icon").click()
            popup_image = page.locator(".leaflet-popup-content img")
            popup_image.wait_for()
            page.wait_for_function(
                "() => document.querySelector('.leaflet-popup-content img').naturalWidth > 0"
                " && getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
            page.screenshot(path=str(screenshot_dir(tmp_path) / f"map-{width}x{height}.png"),
                            full_page=True)
            assert_clean(page, problems)
        finally:
            page.close()


def test_delete_asks_first_and_the_small_behaviours_work(report, live_server, browser):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    problems = watch(page)
    answers: list[bool] = []
    page.on("dialog", lambda dialog: dialog.accept() if answers.pop(0) else dialog.dismiss())
    try:
        log_in(page, base, "admin")
        page.goto(base + "/admin/topik")
        rows = page.locator("table.admin-table tbody tr")
        before = rows.count()
        delete = page.locator("table.admin-table tbody tr button:text-is('Hapus')").last
        answers.append(False)  # "Hapus topik ini?" -> Cancel: nothing is sent
        page.evaluate("() => { window.__submits = [];"
                      " window.addEventListener('submit', (e) => window.__submits.push(e), true); }")
        delete.click()
        # the form's submit event has run its course, the question answered: it was
        # cancelled, so no request can follow (no fixed wait for one not to come)
        page.wait_for_function("() => window.__submits.length === 1")
        assert answers == [] and page.evaluate("() => window.__submits[0].defaultPrevented")
        assert page.url == base + "/admin/topik" and rows.count() == before
        answers.append(True)  # -> OK: the form is sent
        with page.expect_navigation():
            delete.click()
        assert page.locator(".flashes").count() == 1
        assert answers == []

        # the search's sort choice submits itself
        page.goto(base + "/cari?q=sungai")
        with page.expect_navigation():
            page.select_option("#sort", index=1)
        assert "sort=" in page.url
        assert_clean(page, problems)
    finally:
        page.close()


def test_the_offline_zip_slides_work_from_disk(client, report, browser, tmp_path):
    response = client.get(f"/reports/{report.report_id}.zip")
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(tmp_path / "unpacked")
    response.close()
    [folder] = list((tmp_path / "unpacked").iterdir())
    context = browser.new_context(viewport={"width": 1366, "height": 768}, offline=True)
    page = context.new_page()
    problems = watch(page)
    try:
        page.goto((folder / "slides.html").as_uri())
        assert page.locator("#slide-counter").text_content() == "1 / 8"
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
        assert page.locator("#slide-counter").text_content() == "3 / 8"
        assert page.locator(".slide.is-current img").evaluate("i => i.naturalWidth") > 0
        assert_clean(page, problems)
    finally:
        context.close()
