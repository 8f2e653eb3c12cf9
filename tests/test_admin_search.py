"""Admin edits that change what search finds: a camat's name, a topic's names.

The admin views only commit; the search part's session hooks carry the change
to the index after the commit. These tests hold the two parts to that contract.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from archive.extensions import db
from archive.models import Camat, Kecamatan, Topic
from support.rows import add_entry


@pytest.fixture
def entry_id(app) -> int:
    """A published photo of the camat of Cinambo on rivers, indexed."""
    return add_entry(app, "Cinambo", topic="rivers", title="Tepian yang bersih")


def _found(app, query: str) -> list[int]:
    from archive.search import SearchParams, search_entries, sync_pending

    with app.test_request_context():  # hits carry links
        sync_pending()  # whatever the hooks left for later (a lock held) is applied now
        return [hit.entry.id for hit in search_entries(SearchParams(q=query)).hits]


def test_renamed_camat_is_found_by_the_new_name(app, client, auth, entry_id):
    assert entry_id not in _found(app, "Kusumawati")
    auth.login("admin")
    with app.app_context():
        camat = db.session.scalar(select(Camat).join(Kecamatan).where(Kecamatan.name == "Cinambo"))
        form = {"name": "Ratna Kusumawati", "kecamatan_id": camat.kecamatan_id,
                "user_id": camat.user_id, "bio": ""}
        camat_id = camat.id
    assert client.post(f"/admin/camat/{camat_id}", data=form).status_code == 302
    assert entry_id in _found(app, "Kusumawati")


def test_renamed_topic_is_found_by_its_new_names(app, client, auth, entry_id):
    assert entry_id not in _found(app, "bantaran")
    auth.login("admin")
    with app.app_context():
        rivers = db.session.scalar(select(Topic).where(Topic.slug == "rivers"))
        rivers_id = rivers.id
    form = {"slug": "rivers", "name_id": "Sungai dan bantaran", "name_en": "Rivers and embankments",
            "description": "", "position": "2"}
    assert client.post(f"/admin/topik/{rivers_id}", data=form).status_code == 302
    assert entry_id in _found(app, "bantaran")
    assert entry_id in _found(app, "embankments")


def test_renamed_kecamatan_is_found_by_its_new_name(app, client, auth, entry_id):
    assert entry_id not in _found(app, "Cinambowetan")
    auth.login("admin")
    with app.app_context():
        kecamatan_id = db.session.scalar(select(Kecamatan.id).where(Kecamatan.name == "Cinambo"))
    response = client.post(f"/admin/kecamatan/{kecamatan_id}",
                           data={"name": "Cinambowetan", "city": "Bandung"})
    assert response.status_code == 302
    assert entry_id in _found(app, "Cinambowetan")
