"""The admin pages in headless Chromium, with CSRF protection on as in production:
every form carries its token, and no page is wider than a phone."""
from __future__ import annotations

import pytest

from support.browser import assert_pages_fit, log_in

pytestmark = pytest.mark.browser

ADMIN_PAGES = ["/admin/", "/admin/pengguna", "/admin/pengguna/baru", "/admin/pengguna/2",
               "/admin/kecamatan", "/admin/kecamatan/1", "/admin/camat", "/admin/camat/1",
               "/admin/kunjungan", "/admin/kunjungan/1", "/admin/topik", "/admin/topik/baru",
               "/admin/nilai", "/admin/nilai/1", "/admin/kunjungan/baru", "/admin/topik/1",
               "/admin/periode-nilai", "/admin/periode-nilai/1", "/admin/nilai/impor",
               "/admin/penghargaan", "/admin/sinonim/", "/admin/audit", "/admin/?lang=en"]


@pytest.fixture
def app(csrf_app):
    """The live server serves the app with CSRF protection on."""
    return csrf_app


@pytest.mark.parametrize("width, height", [(390, 844), (1366, 768)])
def test_admin_pages_fit_the_screen(browser, live_server, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        log_in(page, live_server.url, "admin")
        assert_pages_fit(page, live_server.url, ADMIN_PAGES)
    finally:
        page.close()


def test_admin_adds_a_topic_and_a_user_then_issues_and_revokes_a_token(browser, live_server):
    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.on("dialog", lambda dialog: dialog.accept())  # "Cabut token ini?"
    try:
        log_in(page, base, "admin")
        page.goto(base + "/admin/topik/baru")
        page.fill("#name_id", "Lampu jalan")
        page.fill("#name_en", "Street lighting")
        page.fill("#slug", "lampu jalan")  # a space: refused, nothing saved
        page.click(".admin-form button[type=submit]")
        assert "huruf kecil, angka dan tanda hubung" in page.inner_text(".admin-form")
        page.fill("#slug", "lampu-jalan")
        page.click(".admin-form button[type=submit]")
        page.wait_for_url(base + "/admin/topik")
        assert "Topik Lampu jalan disimpan." in page.inner_text(".flashes")
        page.goto(base + "/")
        assert "Lampu jalan" in page.inner_text("main")

        page.goto(base + "/admin/pengguna/baru")
        page.fill("#username", "budi")
        page.select_option("#kecamatan_id", label="Andir")
        page.fill("#password", "Trotoar-Sungai-Taman-9")
        page.fill("#confirm", "Trotoar-Sungai-Taman-9")
        page.click(".admin-form button[type=submit]")
        page.wait_for_url(base + "/admin/pengguna")
        page.click("td a:text-is('budi')")
        page.click("text=Buat token baru")
        token = page.input_value("#api-token")
        assert len(token) >= 32
        page.click("text=Selesai, kembali ke pengguna")
        assert token not in page.content()
        page.click("td button:text-is('Cabut')")
        assert "Token dicabut" in page.inner_text(".flashes")
        assert "Belum ada token." in page.inner_text("main")
    finally:
        page.close()
