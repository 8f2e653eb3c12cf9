"""The review grid in headless Chromium: tick two rows, set their topic at once,
saved without a reload, still there after one; errors by their row; a phone's width."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive.extensions import db
from archive.models import Entry
from support.browser import log_in
from support.files import camera_jpeg, pdf_bytes
from support.rows import camat_of, ingest

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots"


def test_review_grid_bulk_topic_enter_and_errors(app, live_server, browser):
    with app.app_context():
        ids = ingest(camat_of("cinambo"), [("DSCN0010.jpg", camera_jpeg(1)),
                                           ("DSCN0011.jpg", camera_jpeg(2)),
                                           ("kajian.pdf", pdf_bytes("Kajian trotoar"))],
                     status="draft", title="gps DSCN")
    grid = f"{live_server.url}/entri/tinjau?ids={','.join(map(str, ids))}"
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        log_in(page, live_server.url, "cinambo")
        page.goto(grid)
        page.screenshot(path=str(SHOTS / "review-1366.png"), full_page=True)
        page.evaluate("() => { window.__sameDocument = true; }")
        # two rows ticked, one topic for both
        page.get_by_label("Pilih gps DSCN 1").check()
        page.get_by_label("Pilih gps DSCN 2").check()
        page.select_option("#bulk_topic_id", label="Taman inovatif")
        page.get_by_role("button", name="Terapkan ke yang dicentang").click()
        for entry_id in ids[:2]:
            page.wait_for_selector(f"#baris-{entry_id} [data-state]:text('Tersimpan')")
            assert page.input_value(f"#topic_id-{entry_id}") != ""
        # a title typed and Enter: only that row saved, no reload
        page.fill(f"#title-{ids[2]}", "Kajian trotoar Seoul")
        page.press(f"#title-{ids[2]}", "Enter")
        page.wait_for_selector(f"#baris-{ids[2]} [data-state]:text('Tersimpan')")
        # an empty title: the error next to its row, nothing saved
        page.fill(f"#title-{ids[0]}", "")
        page.fill(f"#place_name-{ids[1]}", "Seoullo 7017")
        page.get_by_role("button", name="Simpan semua").click()
        page.wait_for_selector(f"#title-{ids[0]}-error:text('Judul wajib diisi.')")
        assert page.get_attribute(f"#title-{ids[0]}", "aria-invalid") == "true"
        assert page.evaluate("() => document.activeElement.id") == f"title-{ids[0]}"
        assert page.evaluate("() => window.__sameDocument") is True
        page.reload()
        assert page.input_value(f"#title-{ids[2]}") == "Kajian trotoar Seoul"
        assert page.input_value(f"#place_name-{ids[1]}") == ""  # the failed save kept nothing
        topics = [page.locator(f"#topic_id-{i} option:checked").inner_text() for i in ids[:2]]
        assert topics == ["Taman inovatif"] * 2
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(grid)
        page.screenshot(path=str(SHOTS / "review-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        page.close()
    with app.app_context():
        assert [db.session.get(Entry, i).topic.slug for i in ids[:2]] == ["parks", "parks"]
