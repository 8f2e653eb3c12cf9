"""Bilingual content in headless Chromium: the home page's introduction in English,
the Indonesian text with its note where no English is given, and back to Indonesian."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive.extensions import db
from support.rows import seoul

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots"


def test_home_in_both_languages_with_the_untranslated_note(app, live_server, browser):
    with app.app_context():
        trip = seoul()
        trip.description_en = ""
        db.session.commit()
        title_id, title_en = trip.title, trip.title_en
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(live_server.url + "/?lang=en")
        hero = page.locator(".hero")
        assert hero.locator("h1").inner_text() == title_en
        note = hero.locator(".lead .untranslated")
        assert note.inner_text() == "(not yet translated)" and note.is_visible()
        assert hero.locator(".lead span[lang=id]").count() == 1
        page.screenshot(path=str(SHOTS / "bilingual-home-en-390.png"))
        page.set_viewport_size({"width": 1366, "height": 768})
        page.get_by_role("link", name="ID", exact=True).click()
        page.wait_for_url("**lang=id**")
        assert hero.locator("h1").inner_text() == title_id
        assert hero.locator(".untranslated").count() == 0
        page.screenshot(path=str(SHOTS / "bilingual-home-id-1366.png"))
    finally:
        page.close()
