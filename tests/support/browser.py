"""Steps the browser tests share (Playwright pages on the live server)."""
from __future__ import annotations

import os
import re
from pathlib import Path

from .rows import password_of

#: set ARCHIVE_SCREENSHOTS=1 to keep a picture of every page assert_pages_fit visits
SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"


def log_in(page, base_url: str, username: str = "cinambo", password: str | None = None) -> None:
    """Log in on the login page; back once the page the form leads to has loaded."""
    page.goto(base_url + "/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password if password is not None else password_of(username))
    with page.expect_navigation():
        page.click("form:has(input[name=password]) button[type=submit]")


def assert_pages_fit(page, base_url: str, paths: list[str], who: str = "") -> None:
    """Each page answers 200 and is no wider than the window (no sideways scrolling).

    With ARCHIVE_SCREENSHOTS=1 each page is also saved to tests/screenshots/ to be looked at.
    """
    width = page.viewport_size["width"]
    for path in paths:
        response = page.goto(base_url + path)
        assert response.status == 200, path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path}{who} is {overflow}px wider than {width}px"
        if os.environ.get("ARCHIVE_SCREENSHOTS"):
            SCREENSHOTS.mkdir(exist_ok=True)
            name = re.sub(r"[^a-z0-9]+", "-", f"{path} {width} {who}".lower()).strip("-")
            page.screenshot(path=str(SCREENSHOTS / f"page-{name}.png"), full_page=True)


def start_report(page, base_url: str, username: str = "cinambo") -> None:
    """Log in and create the user's report from the reports page; on its builder afterwards."""
    log_in(page, base_url, username)
    page.goto(f"{base_url}/laporan")
    page.get_by_role("button", name="Buat laporan").click()
    page.wait_for_url("**/ubah")
