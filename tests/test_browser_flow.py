"""End to end in headless Chromium: a camat logs in, uploads a photo, finds it
by search and opens its entry page, where the author card shows the score
record that earned the trip."""
from __future__ import annotations

import io

import pytest
from PIL import Image

pytestmark = pytest.mark.browser


def _photo_with_exif(path) -> None:
    image = Image.new("RGB", (1200, 800), (40, 120, 70))
    for x in range(0, 1200, 40):  # some texture, so the JPEG is not trivially small
        image.paste((200, 200, 60), (x, 0, x + 20, 800))
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    exif[0x0110] = "Galaxy S9"  # Model
    exif.get_ifd(0x8769)[0x9003] = "2018:07:10 14:32:05"  # DateTimeOriginal
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif, quality=85)
    path.write_bytes(buf.getvalue())


def test_camat_uploads_then_anyone_finds_it(live_server, browser, tmp_path):
    photo = tmp_path / "trotoar-gangnam.jpg"
    _photo_with_exif(photo)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    base = live_server.url

    page.goto(f"{base}/masuk")
    page.fill("input[name=username]", "cinambo")
    page.fill("input[name=password]", "cinambo-demo")
    page.click("form.stack-form button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/entri/unggah")
    page.set_input_files("input[name=files]", str(photo))
    page.select_option("select[name=topic]", label="Trotoar")
    page.fill("textarea[name=description]", "Ubin pemandu untuk penyandang disabilitas di Gangnam")
    page.check("input[name=status][value=published]")
    page.click("form.upload-form button[type=submit]")
    page.wait_for_load_state()
    assert "trotoar-gangnam" in page.content()

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
