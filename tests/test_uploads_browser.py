"""The upload page in Chromium: resumable uploads through a dropped connection,
and the phone's queue (files picked without signal, the page closed and opened
again) that goes up when the connection returns."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from archive.extensions import db
from archive.models import Entry, Tag
from support.browser import log_in
from support.tus import photo

pytestmark = pytest.mark.browser

#: small pieces, so that a photo of a few dozen kilobytes takes several requests
CHUNK = 8 * 1024


def entry_tagged(app, tag: str) -> Entry | None:
    with app.app_context():
        entry = db.session.scalar(select(Entry).where(Entry.tags.any(Tag.name == tag)))
        if entry is not None:
            db.session.expunge(entry.file)
            db.session.expunge(entry)
        return entry


def stored_bytes(app, entry: Entry) -> bytes:
    return (Path(app.config["UPLOAD_DIR"]) / entry.file.storage_path).read_bytes()


def pick_and_send(page, path: Path, tag: str) -> None:
    page.set_input_files("#files", str(path))
    page.fill("input[name=tags]", tag)
    page.click("form.upload-form button[type=submit]")


def queue_without_signal(page, base: str, path: Path, tag: str) -> None:
    """Cinambo opens the upload page (its service worker in charge), loses the
    signal, and picks a file: it waits in the queue."""
    log_in(page, base, "cinambo")
    page.goto(base + "/entri/unggah")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    pick_and_send(page, path, tag)
    page.wait_for_selector(".queue-item[data-phase=offline]")


def test_offline_in_the_middle_of_a_file_then_back_finishes(app, live_server, browser, tmp_path):
    app.config["UPLOAD_CHUNK_BYTES"] = CHUNK
    content = photo(7, (240, 180))
    assert len(content) > 4 * CHUNK
    path = tmp_path / "jalan-di-tengah.jpg"
    path.write_bytes(content)
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    state = {"patches": 0, "offline": False, "held": []}

    def route(request_route):
        if request_route.request.method == "PATCH":
            state["patches"] += 1
            if state["patches"] == 4 and not state["offline"]:
                state["held"].append(request_route)  # a later piece hangs on a weak signal
                return
        request_route.continue_()

    try:
        log_in(page, base, "cinambo")
        page.goto(base + "/entri/unggah")
        page.route("**/entri/unggah/tus/**", route)
        pick_and_send(page, path, "sinyal")
        # Paused after its first piece, then resumed from where the server has it.
        page.wait_for_function(f"() => +document.querySelector('.queue-item').dataset.sent >= {CHUNK}")
        page.click(".queue-item button[data-action=pause]")
        page.wait_for_selector(".queue-item[data-phase=paused]")
        page.click(".queue-item button[data-action=resume]")
        page.wait_for_function(f"() => +document.querySelector('.queue-item').dataset.sent >= {2 * CHUNK}")
        context.set_offline(True)
        state["offline"] = True
        for held in state["held"]:
            held.abort("internetdisconnected")
        page.wait_for_selector(".queue-item[data-phase=offline]")
        sent = int(page.get_attribute(".queue-item", "data-sent"))
        assert 0 < sent < len(content)
        assert entry_tagged(app, "sinyal") is None
        context.set_offline(False)
        page.wait_for_selector(".queue-item[data-phase=added]", timeout=20000)
        entry = entry_tagged(app, "sinyal")
        assert entry is not None and stored_bytes(app, entry) == content
        review = page.get_attribute(".queue-summary a.button-primary", "href")
        assert review == f"/entri/tinjau?ids={entry.id}"
        assert state["patches"] > 4
    finally:
        context.close()


def test_picked_without_signal_waits_across_a_reopened_page(app, live_server, browser, tmp_path):
    app.config["UPLOAD_CHUNK_BYTES"] = CHUNK
    content = photo(8, (160, 120))
    path = tmp_path / "antre.jpg"
    path.write_bytes(content)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        queue_without_signal(page, base, path, "antrean")
        page.close()
        # Opened again without signal: the service worker serves the page, IndexedDB the file.
        page = context.new_page()
        page.goto(base + "/entri/unggah")
        page.wait_for_selector(".queue-item[data-phase=offline]")
        assert "antre.jpg" in page.inner_text(".queue-item")
        assert entry_tagged(app, "antrean") is None
        context.set_offline(False)
        page.wait_for_selector(".queue-item[data-phase=added]", timeout=20000)
        entry = entry_tagged(app, "antrean")
        assert entry is not None and stored_bytes(app, entry) == content
        assert page.is_visible("text=Tinjau unggahan ini")
    finally:
        context.close()


def test_a_shared_phone_sends_each_login_only_its_own_queue(app, live_server, browser, tmp_path):
    path = tmp_path / "milik-cinambo.jpg"
    path.write_bytes(photo(9, (120, 90)))
    base = live_server.url
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        queue_without_signal(page, base, path, "ponselbersama")
        page.close()
        context.clear_cookies()  # cinambo's login ends; another camat logs in on the phone
        context.set_offline(False)
        page = context.new_page()
        log_in(page, base, "batununggal")
        page.goto(base + "/entri/unggah")
        page.wait_for_selector("[data-queue][data-loaded]", state="attached")
        assert page.locator(".queue-item").count() == 0
        # Back to cinambo: the file was kept for them and goes up as theirs.
        context.clear_cookies()
        log_in(page, base, "cinambo")
        page.goto(base + "/entri/unggah")
        page.wait_for_selector(".queue-item[data-phase=added]")
        with app.app_context():
            entry = db.session.scalar(select(Entry).where(Entry.tags.any(Tag.name == "ponselbersama")))
            assert entry is not None and entry.camat.user.username == "cinambo"
    finally:
        context.close()
