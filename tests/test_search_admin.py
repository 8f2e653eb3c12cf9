"""The synonym admin page: admins only, CSRF-protected, and new groups change search at once."""
from __future__ import annotations

import re

from sqlalchemy import select

from archive.extensions import db
from archive.search.models import SearchSynonym

from support.rows import make_entry


def test_only_admins(search_ctx, client, auth):
    assert client.get("/admin/sinonim/").status_code in (302, 401)
    auth.login("cinambo")
    assert client.get("/admin/sinonim/").status_code == 403
    assert client.post("/admin/sinonim/", data={"terms": "a, b"}).status_code == 403


def test_admin_adds_edits_and_deletes_a_group(search_ctx, client, auth):
    make_entry("Tempat sampah terpilah")
    auth.login("admin")
    page = client.get("/admin/sinonim/")
    assert page.status_code == 200 and "sungai" in page.get_data(as_text=True)
    r = client.post("/admin/sinonim/", data={"terms": " Bin ,tempat sampah,, trash can "})
    assert r.status_code == 302
    group = db.session.scalar(select(SearchSynonym).where(SearchSynonym.terms.like("bin%")))
    assert group.terms == "bin, tempat sampah, trash can"
    assert client.get("/api/v1/search?q=bin").get_json()["total"] == 1
    assert client.post(f"/admin/sinonim/{group.id}", data={"terms": "dustbin, tempat sampah"}).status_code == 302
    assert client.get("/api/v1/search?q=dustbin").get_json()["total"] == 1
    assert client.post(f"/admin/sinonim/{group.id}/hapus").status_code == 302
    assert db.session.get(SearchSynonym, group.id) is None
    assert client.get("/api/v1/search?q=dustbin").get_json()["total"] == 0


def test_a_single_word_is_refused_with_a_message(search_ctx, client, auth):
    auth.login("admin")
    r = client.post("/admin/sinonim/", data={"terms": "sendirian"})
    assert r.status_code == 422
    assert "minimal dua" in r.get_data(as_text=True)
    assert client.post("/admin/sinonim/99999", data={"terms": "a, b"}).status_code == 404


def test_csrf_is_required(csrf_app):
    client = csrf_app.test_client()
    login = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
    client.post("/masuk", data={"username": "admin", "password": "admin-demo", "csrf_token": token})
    assert client.post("/admin/sinonim/", data={"terms": "a, b"}).status_code == 400
    page = client.get("/admin/sinonim/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post("/admin/sinonim/", data={"terms": "a1, b1", "csrf_token": token}).status_code == 302
