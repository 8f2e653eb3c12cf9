"""The slide deck (data), the slides page, and its keyboard navigation in Chromium."""
from __future__ import annotations

import pytest

from archive.extensions import db
from archive.reports.models import Report
from archive.reports.slides import report_deck
from support.reports import KOREAN_PLACE
from support.rows import seoul


def test_deck_order_cover_section_entries_cards_closing(app, report):
    with app.test_request_context("/"):
        deck = report_deck(db.session.get(Report, report.report_id))
        kinds = [s.kind for s in deck.slides]
        # the draft photo is left out for a visitor (no one is logged in here)
        assert kinds == ["cover", "section", "photo", "photo", "photo", "paper",
                         "recommendation", "closing"]
        cover = deck.slides[0]
        assert ("Nilai", "93,56") in cover.facts and ("Peringkat", "1") in cover.facts
        assert ("Zona", "hijau") in cover.facts
        assert deck.slides[1].notes == "Catatan pembicara: sebut biaya restorasi."
        photo = deck.slides[2]
        assert (photo.caption, photo.place) == (report.captions[0], KOREAN_PLACE)
        assert photo.notes == "Catatan item 1"
        paper = deck.slides[5]
        assert paper.page_count == 3 and "normalisasi bantaran" in paper.excerpt
        card = deck.slides[6]
        assert card.badge == "piloting" and card.badge_label == "Diujicobakan"
        # the pictures: the photos, then the paper's first page
        assert [e.id for e in deck.picture_entries] == report.photo_ids + [report.paper_id]


def test_reordering_sections_and_items_reorders_the_deck(app, report):
    with app.test_request_context("/"):
        r = db.session.get(Report, report.report_id)
        items = r.sections[0].items
        items[0].position, items[2].position = items[2].position, items[0].position
        db.session.commit()
        db.session.expire_all()
        deck = report_deck(db.session.get(Report, report.report_id))
        assert [s.entry.id for s in deck.slides if s.kind == "photo"] == list(
            reversed(report.photo_ids))


def test_slides_page_is_self_contained(client, report):
    response = client.get(f"/laporan/{report.report_id}/slide")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('class="slide slide--') == 8
    assert 'id="slide-counter">1 / 8<' in html
    assert "/static/js/slides.js" in html and "/static/css/slides.css" in html
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    # projector-sized pictures: the archive's large thumbnails
    assert f"/entri/{report.photo_ids[0]}/thumb/large.jpg" in html
    assert "Catatan pembicara: sebut biaya restorasi." in html


def test_markdown_in_slides_is_safe(app, client, report):
    with app.test_request_context("/"):
        r = db.session.get(Report, report.report_id)
        r.sections[0].narrative = "Aman <script>alert(1)</script> [x](javascript:alert(1))"
        db.session.commit()
    html = client.get(f"/laporan/{report.report_id}/slide").get_data(as_text=True)
    assert "<script>alert" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as text, not run


@pytest.mark.browser
def test_keyboard_moves_the_slides_forward_and_back(app, report, live_server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{live_server.url}/laporan/{report.report_id}/slide")
        counter = page.locator("#slide-counter")
        current = page.locator(".slide.is-current")

        def at(n: int) -> None:
            assert counter.text_content() == f"{n} / 8"
            assert current.count() == 1 and current.get_attribute("id") == f"slide-{n}"
            assert current.is_visible()
            assert page.evaluate("location.hash") == f"#slide={n}"

        at(1)
        assert "Laporan Studi Banding Cinambo" in current.inner_text()
        page.keyboard.press("ArrowRight")
        at(2)
        assert "Sungai yang hidup kembali" in current.inner_text()
        page.keyboard.press("Space")
        at(3)
        assert current.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
        page.keyboard.press("PageDown")
        at(4)
        page.keyboard.press("ArrowLeft")
        at(3)
        page.keyboard.press("Shift+Space")
        page.keyboard.press("PageUp")
        at(1)
        page.keyboard.press("ArrowLeft")  # stays on the first slide
        at(1)
        page.keyboard.press("End")
        at(8)
        page.keyboard.press("ArrowRight")  # and on the last
        at(8)
        page.keyboard.press("Home")
        at(1)
        # speaker notes below the slide on "n"
        page.keyboard.press("ArrowRight")
        page.keyboard.press("n")
        assert page.locator("#notes-panel").is_visible()
        assert page.locator("#notes-text").text_content() == "Catatan pembicara: sebut biaya restorasi."
        # a deep link opens on its slide
        page.goto(f"{live_server.url}/laporan/{report.report_id}/slide#slide=6")
        page.reload()
        at(6)
        assert "Paper sungai 1" in current.inner_text()
        assert errors == []
    finally:
        page.close()


@pytest.mark.browser
def test_presenter_window_follows_the_main_window(app, report, live_server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/laporan/{report.report_id}/slide#slide=2")
        with context.expect_page() as opened:
            page.keyboard.press("s")
        presenter = opened.value
        presenter.wait_for_load_state()
        presenter.wait_for_function("document.body.classList.contains('js-ready')")
        assert presenter.locator("#slide-counter").text_content() == "2 / 8"
        assert presenter.locator("#notes-panel").is_visible()
        assert presenter.locator("#presenter-next").text_content() == "Sungai Cheonggyecheon 1"
        page.bring_to_front()
        page.keyboard.press("ArrowRight")
        presenter.wait_for_function(
            "document.getElementById('slide-counter').textContent === '3 / 8'")
        assert presenter.locator("#notes-text").text_content() == "Catatan item 1"
        # and the other way: the presenter's clicker drives the main window
        presenter.keyboard.press("PageDown")
        page.wait_for_function("document.getElementById('slide-counter').textContent === '4 / 8'")
    finally:
        context.close()


ALL_IMAGES_LOADED = "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"


@pytest.mark.browser
def test_slides_keep_working_offline_once_loaded(app, report, live_server, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/laporan/{report.report_id}/slide")
        # every picture is fetched up front, not when its slide comes up
        page.wait_for_function(ALL_IMAGES_LOADED)
        # three photos, the paper's page and the city's mark on the cover
        assert page.evaluate("document.images.length") == 5
        context.set_offline(True)
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        assert page.locator("#slide-counter").text_content() == "5 / 8"
        img = page.locator(".slide.is-current img")
        assert img.evaluate("i => i.complete && i.naturalWidth > 0")
        assert img.bounding_box()["height"] > 500  # sized for the projector
    finally:
        context.close()


@pytest.mark.browser
def test_bundle_slides_open_from_disk_without_network(client, report, browser, tmp_path):
    import io
    import zipfile

    response = client.get(f"/reports/{report.report_id}.zip")
    unpacked = tmp_path / "unpacked"
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(unpacked)
    response.close()
    [folder] = list(unpacked.iterdir())
    context = browser.new_context(viewport={"width": 1366, "height": 768}, offline=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((folder / "slides.html").as_uri())
        page.wait_for_function(ALL_IMAGES_LOADED)
        assert page.locator("#slide-counter").text_content() == "1 / 8"
        page.keyboard.press("PageDown")
        page.keyboard.press("Space")
        assert page.locator("#slide-counter").text_content() == "3 / 8"
        assert page.locator(".slide.is-current img").evaluate("i => i.naturalWidth") > 0
        page.goto((folder / "index.html").as_uri())
        page.wait_for_function(ALL_IMAGES_LOADED)
        assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"  # CSS applied
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_a_long_narrative_shrinks_to_fit_the_screen(app, report, live_server, browser):
    with app.test_request_context("/"):
        r = db.session.get(Report, report.report_id)
        r.sections[0].narrative = "\n\n".join(
            f"Paragraf {n}: " + "trotoar lebar dan pohon peneduh di tepi sungai " * 6
            for n in range(1, 9))
        db.session.commit()
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(f"{live_server.url}/laporan/{report.report_id}/slide#slide=2")
        inner = page.locator(".slide.is-current .slide__inner")
        assert "Paragraf 8" in inner.inner_text()
        assert inner.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
        assert inner.evaluate("el => el.style.fontSize !== ''")  # it did shrink
        # the title stays in view at the top
        assert page.locator(".slide.is-current .slide__title").bounding_box()["y"] >= 0
        page.keyboard.press("b")  # a clicker's blank-screen button
        assert not page.locator(".slide.is-current .slide__title").is_visible()
        page.keyboard.press("b")
        assert page.locator(".slide.is-current .slide__title").is_visible()
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_every_slide_fits_the_screen(app, report, live_server, browser, size):
    with app.test_request_context("/"):
        trip_id = seoul().id
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    overflowing = []
    try:
        for url in (f"/laporan/{report.report_id}/slide", f"/kunjungan/{trip_id}/slide"):
            page.goto(live_server.url + url)
            total = int(page.locator("#slide-counter").text_content().split("/")[1])
            for n in range(1, total + 1):
                inner = page.locator(".slide.is-current .slide__inner")
                if not inner.evaluate("el => el.scrollHeight <= el.clientHeight + 1"):
                    overflowing.append((url, n))
                page.keyboard.press("ArrowRight")
    finally:
        page.close()
    assert overflowing == []
