"""The report builder in headless Chromium: create, reorder by button and by drag-and-drop, publish."""
from __future__ import annotations

import pytest

from archive.extensions import db
from archive.reports.models import Report
from support.browser import start_report
from support.reports import report_entry, report_of

pytestmark = pytest.mark.browser


def _titles(page) -> list[str]:
    return [t.strip() for t in page.locator("#bagian ol.builder-list > li .title strong").all_inner_texts()]


def test_build_reorder_and_publish_in_the_browser(app, live_server, browser):
    with app.test_request_context():
        report_entry("cinambo", "Trotoar Gwanghwamun", "sidewalks")
        db.session.commit()
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        start_report(page, live_server.url, "cinambo")
        assert _titles(page)[:2] == ["1. Trotoar", "2. Perlakuan pohon"]

        # without JavaScript's help: the down button of the first section
        page.locator("#bagian ol.builder-list > li").first.get_by_role("button", name="Turunkan Trotoar").click()
        page.wait_for_load_state()
        assert _titles(page)[:2] == ["1. Perlakuan pohon", "2. Trotoar"]

        # the enhancement: drag the last section onto the second one
        items = page.locator("#bagian ol.builder-list > li")
        with page.expect_navigation():
            items.last.drag_to(items.nth(1))
        assert _titles(page)[:3] == ["1. Perlakuan pohon", "2. Aksesoris perkotaan", "3. Trotoar"]
        assert len(_titles(page)) == 6

        # choose an entry for the sidewalks section, then publish
        page.get_by_role("link", name="Trotoar", exact=False).first.click()
        page.get_by_label("Trotoar Gwanghwamun").check()
        page.get_by_role("button", name="Tambahkan yang dipilih").click()
        page.wait_for_load_state()
        assert "Trotoar Gwanghwamun" in page.locator("#pilihan").inner_text()
        page.goto(f"{live_server.url}/laporan")
        page.get_by_role("link", name="Laporan saya").click()
        page.get_by_role("link", name="Susun laporan").click()
        page.get_by_role("button", name="Terbitkan laporan").click()
        page.wait_for_load_state()
        assert "diterbitkan" in page.locator(".flashes").inner_text()
    finally:
        page.close()
    with app.test_request_context():
        report = report_of("cinambo")
        assert report.status == "published"
        assert [s.position for s in report.sections] == list(range(6))
        assert [s.title for s in report.sections][:3] == [
            "Perlakuan pohon", "Aksesoris perkotaan", "Trotoar"]
        sidewalks = next(s for s in report.sections if s.title == "Trotoar")
        assert [i.entry.title for i in sidewalks.items] == ["Trotoar Gwanghwamun"]
        assert db.session.get(Report, report.id) is not None
