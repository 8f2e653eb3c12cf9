"""End to end in headless Chromium: a camat logs in, uploads a photo, finds it
by search and opens its entry page, where the author card shows the score
record that earned the trip."""
from __future__ import annotations

import pytest

from support.browser import log_in
from support.files import camera_exif, jpeg_bytes

pytestmark = pytest.mark.browser


def test_camat_uploads_then_anyone_finds_it(live_server, browser, tmp_path):
    photo = tmp_path / "trotoar-gangnam.jpg"
    photo.write_bytes(jpeg_bytes(size=(1200, 800), exif=camera_exif(
        make="Samsung", model="Galaxy S9", taken="2018:07:10 14:32:05", gps=None)))
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    base = live_server.url

    log_in(page, base, "cinambo")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/entri/unggah")
    page.set_input_files("input[name=files]", str(photo))
    page.select_option("select[name=topic]", label="Trotoar")
    page.fill("textarea[name=description]", "Ubin pemandu untuk penyandang disabilitas di Gangnam")
    page.check("input[name=status][value=published]")
    page.click("form.upload-form button[type=submit]")
    # The page sends it as a resumable upload and shows its line when the server has it.
    page.wait_for_selector(".queue-item[data-phase=added]")
    assert "trotoar-gangnam" in page.inner_text(".queue-item")

    # A visitor (new context, no login) searches with a word from the description.
    visitor = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    visitor.goto(f"{base}/cari?q=disabilitas")
    result = visitor.locator("a[href*='/entri/']").filter(has_text="trotoar").first
    result.click()
    visitor.wait_for_url("**/entri/*")
    body = visitor.content()
    assert "Camat Cinambo" in body
    assert "93,56" in body or "93.56" in body
    assert "Galaxy S9" in body
    score_link = visitor.locator("a[href*='/nilai/']").first
    score_link.click()
    visitor.wait_for_url("**/nilai/*")
    assert "Cinambo" in visitor.content()
