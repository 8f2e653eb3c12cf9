"""Admin edits that change what search finds: a camat's name, a topic's names.

The admin views only commit; the search part's session hooks carry the change
to the index after the commit. These tests hold the two parts to that contract.
"""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from archive.extensions import db
from archive.models import Camat, Entry, Kecamatan, StoredFile, Topic, Trip


@pytest.fixture
def entry_id(app) -> int:
    """A published photo of the camat of Cinambo on rivers, indexed."""
    with app.app_context():
        camat = db.session.scalar(select(Camat).join(Kecamatan).where(Kecamatan.name == "Cinambo"))
        entry = Entry(
            trip_id=db.session.scalar(select(Trip.id).where(Trip.slug == "seoul-2018")),
            camat_id=camat.id,
            topic_id=db.session.scalar(select(Topic.id).where(Topic.slug == "rivers")),
            file=StoredFile(sha256=hashlib.sha256(b"tepi").hexdigest(), kind="photo",
                            mime_type="image/jpeg", size_bytes=1, storage_path="t/e.jpg"),
            kind="photo", title="Tepian yang bersih", status="published",
        )
        db.session.add(entry)
        db.session.commit()
        return entry.id


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
