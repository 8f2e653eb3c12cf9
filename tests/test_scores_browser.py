"""The score pages in headless Chromium at a laptop's and a phone's size: nothing wider
than the screen; screenshots kept under tests/screenshots/ (not committed) to look at."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from archive.extensions import db
from archive.models import Kecamatan
from support.browser import log_in

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "screenshots"
CSV = b"kecamatan,total,zona\nAndir,80,hijau\nAndr,70,\nCinambo,93.56,hijau\nRegol,101,\n"


def _check(page, name: str, width: int) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"scores-{name}-{width}.png"), full_page=False)
    assert overflow <= 0, f"{name} is {overflow}px wider than {width}px"


@pytest.mark.parametrize("width, height", [(390, 844), (1366, 768)])
def test_score_pages_fit_and_are_photographed(app, browser, live_server, width, height, tmp_path):
    with app.app_context():
        cinambo = db.session.scalar(select(Kecamatan.id).where(Kecamatan.name == "Cinambo"))
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for name, path in [("table", "/nilai/periode/2018"), ("table-en", "/nilai/periode/2018?lang=en"),
                           ("kecamatan", f"/kecamatan/{cinambo}"), ("record", "/nilai/1"),
                           ("trip", "/kunjungan/seoul-2018")]:
            assert page.goto(live_server.url + path).status == 200
            _check(page, name, width)
        log_in(page, live_server.url, "admin")
        page.goto(live_server.url + "/admin/nilai/impor?periode=2018&lang=id")
        upload = tmp_path / "nilai.csv"
        upload.write_bytes(CSV)
        page.set_input_files("#file", str(upload))
        with page.expect_navigation():
            page.click("form.admin-form button[type=submit]")
        assert "Maksudnya Andir?" in page.content()
        _check(page, "import-preview", width)
        page.goto(live_server.url + "/admin/penghargaan?period=2018&top_n=10&trip_id=1")
        _check(page, "award", width)
        assert errors == []
    finally:
        page.close()
