"""The section's photo picker in headless Chromium: search, tick three, add them in
one step, reorder by drag and by the up button; the page fits a phone."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive.extensions import db
from archive.reports.models import ReportSection
from support.browser import start_report
from support.files import jpeg_bytes
from support.reports import report_of
from support.rows import camat_of, ingest

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots"


def _chosen(page) -> list[str]:
    return [t.split(". ", 1)[1] for t in page.locator("#pilihan ol.builder-list > li strong").all_inner_texts()]


def test_pick_three_at_once_then_reorder(app, live_server, browser):
    with app.test_request_context():
        ingest(camat_of("cinambo"), [(f"DSCN00{n}.jpg", jpeg_bytes(n)) for n in range(4)],
               topic_slug="sidewalks", title="Trotoar", place="Gangnam")
        ingest(camat_of("cinambo"), [("DSCN0099.jpg", jpeg_bytes(9))], topic_slug="rivers",
               title="Sungai", place="Jongno")
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        start_report(page, live_server.url, "cinambo")
        with app.test_request_context():
            report = report_of("cinambo")
            section_id = next(s.id for s in report.sections if s.topic and s.topic.slug == "sidewalks")
            url = f"{live_server.url}/laporan/{report.id}/bagian/{section_id}"
        page.goto(url)
        assert page.locator(".picker input[name=entry_ids]").count() == 4  # the section's topic
        page.fill("#picker-place", "jongno")
        page.select_option("#picker-topic", value="")
        page.get_by_role("button", name="Cari", exact=True).last.click()
        page.wait_for_url("**tempat=jongno**")
        assert page.locator(".picker strong").all_inner_texts() == ["Sungai 1"]
        page.goto(url)
        for title in ("Trotoar 1", "Trotoar 3", "Trotoar 4"):
            page.get_by_label(title).check()
        button = page.locator("[data-pick-submit]")
        assert button.inner_text() == "Tambahkan yang dipilih (3)"
        page.screenshot(path=str(SHOTS / "picker-1366.png"), full_page=True)
        with page.expect_navigation():
            button.click()
        assert _chosen(page) == ["Trotoar 4", "Trotoar 3", "Trotoar 1"]  # as listed, newest first
        assert "3 entri ditambahkan" in page.locator(".flashes").inner_text()
        items = page.locator("#pilihan ol.builder-list > li")
        page.set_viewport_size({"width": 1366, "height": 1600})  # both ends in view while dragging
        with page.expect_navigation():
            # by the handle: the middle of an item is its caption's text field
            items.last.locator(".drag-handle").drag_to(items.first.locator(".drag-handle"))
        assert _chosen(page) == ["Trotoar 1", "Trotoar 4", "Trotoar 3"]
        page.set_viewport_size({"width": 390, "height": 844})
        page.get_by_role("button", name="Naikkan Trotoar 3").click()
        page.wait_for_load_state()
        assert _chosen(page) == ["Trotoar 1", "Trotoar 3", "Trotoar 4"]
        page.screenshot(path=str(SHOTS / "picker-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        page.close()
    with app.test_request_context():
        items = db.session.get(ReportSection, section_id).items
        assert [i.caption for i in items] == ["Trotoar 1.", "Trotoar 3.", "Trotoar 4."]
