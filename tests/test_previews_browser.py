"""Paper previews in headless Chromium: the first page is a real picture on the entry page,
in search results and on the paper's slide, in Indonesian and English."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots"


def _loaded(page, selector: str) -> None:
    """The image is in the page and decoded (not a broken image)."""
    page.wait_for_function(
        "(sel) => { const img = document.querySelector(sel);"
        " return img && img.complete && img.naturalWidth > 0; }", arg=selector)


def test_paper_first_page_on_entry_search_and_slide(browser, live_server, report):
    SHOTS.mkdir(exist_ok=True)
    base, paper = live_server.url, report.paper_id
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(f"{base}/entri/{paper}")
        _loaded(page, ".paper-page img.paper-preview")
        assert "Halaman pertama. Klik untuk membuka PDF." in page.inner_text(".paper-page")
        page.screenshot(path=str(SHOTS / "preview-entry-1366.png"))
        page.goto(f"{base}/entri/{paper}?lang=en")
        assert "First page. Click to open the PDF." in page.inner_text(".paper-page")

        page.goto(f"{base}/cari?q=bantaran")
        _loaded(page, ".search-hit img.paper-preview")
        assert page.locator(".search-hit .paper-icon").count() == 0
        page.screenshot(path=str(SHOTS / "preview-search-1366.png"))

        page.goto(f"{base}/laporan/{report.report_id}/slide#slide=6")
        _loaded(page, ".slide.is-current img.slide__page")
        assert "Paper sungai" in page.inner_text(".slide.is-current")
        page.screenshot(path=str(SHOTS / "preview-slide-1366.png"))
        page.set_viewport_size({"width": 390, "height": 844})
        box = page.locator(".slide.is-current img.slide__page").bounding_box()
        assert box["width"] <= 390 and box["height"] > 50
        page.screenshot(path=str(SHOTS / "preview-slide-390.png"))
    finally:
        page.close()
