"""The trip-date check in headless Chromium: a photo whose camera says 2008 is flagged on the
upload results (the form's own answer, as without JavaScript) and on its entry page, in
Indonesian and English."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.browser import log_in
from support.files import camera_jpeg

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots"


def test_old_camera_date_is_flagged_after_upload_and_on_the_entry(browser, live_server, tmp_path):
    SHOTS.mkdir(exist_ok=True)
    old, july, older = (tmp_path / name for name in ("kamera_2008.jpg", "juli_2018.jpg", "old_2008.jpg"))
    old.write_bytes(camera_jpeg(71, taken="2008:10:22 16:28:39"))
    july.write_bytes(camera_jpeg(72))
    older.write_bytes(camera_jpeg(73, taken="2008:10:22 09:00:00"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "cinambo")
        for lang, files, heading, line in (
                ("id", [old, july], "1 foto bertanggal di luar kunjungan", "Foto ini diambil 22 Oktober 2008"),
                ("en", [older], "1 photo dated outside the visit", "This photo was taken on October 22, 2008")):
            page.goto(f"{live_server.url}/entri/unggah?lang={lang}")
            page.set_input_files("#files", [str(path) for path in files])
            with page.expect_navigation():
                page.click("form.upload-form button[type=submit]")
            flags = page.locator(".date-flags")
            assert heading in flags.inner_text() and line in flags.inner_text()
            assert "juli_2018.jpg" not in flags.inner_text()
            page.screenshot(path=str(SHOTS / f"date-flag-results-{lang}-390.png"), full_page=True)
        entry_id = flags.locator("a").first.get_attribute("href").split("/")[2]
        page.goto(f"{live_server.url}/entri/{entry_id}?lang=en")
        assert "This photo was taken on October 22, 2008" in page.inner_text(".date-flag")
        page.goto(f"{live_server.url}/entri/{entry_id}?lang=id")
        assert "di luar tahun kunjungan (2018)" in page.inner_text(".date-flag")
        page.set_viewport_size({"width": 1366, "height": 768})
        page.screenshot(path=str(SHOTS / "date-flag-entry-1366.png"))
    finally:
        context.close()
