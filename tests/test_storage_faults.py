"""A full disk or an upload folder that cannot be written: a clear 507/503 with a
message, and nothing half-written (no row, no original, no thumbnail, no temporary file)."""
from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive.extensions import db
from archive.ingest import storage, thumbnails
from archive.models import Entry, StoredFile
from support.api import assert_json_error, bearer, issue_token
from support.files import jpeg_bytes


def _upload(client, token: str, content: bytes):
    return client.post("/api/v1/entries", data={"file": (io.BytesIO(content), "foto.jpg")},
                       headers=bearer(token), content_type="multipart/form-data")


def _nothing_left(app) -> None:
    with app.app_context():
        assert db.session.scalar(select(func.count(Entry.id))) == 0
        assert db.session.scalar(select(func.count(StoredFile.id))) == 0
    folder = Path(app.config["UPLOAD_DIR"])
    assert [p for p in folder.rglob("*") if p.is_file()] == []


def _fail(err: int):
    def raising(*args, **kwargs):
        raise OSError(err, os.strerror(err))
    return raising


@pytest.mark.parametrize("where, err, status, words", [
    # the folder cannot be written at all: not even the temporary file
    ("receive", errno.EROFS, 503, "tidak dapat ditulis"),
    ("receive", errno.EACCES, 503, "tidak dapat ditulis"),
    # the disk fills while the file is made durable (worker thread)
    ("fsync", errno.ENOSPC, 507, "penuh"),
])
def test_storage_faults_are_clear_and_leave_nothing(app, client, monkeypatch, where, err, status,
                                                    words):
    token = issue_token(app, "cinambo")
    if where == "receive":
        monkeypatch.setattr(storage.tempfile, "mkstemp", _fail(err))
    else:
        monkeypatch.setattr(storage.os, "fsync", _fail(err))
    body = assert_json_error(_upload(client, token, jpeg_bytes(31)), status)
    assert words in body["message"] and "Tidak ada data yang hilang" in body["message"]
    _nothing_left(app)
    # Once the disk is back, the same photo goes in.
    monkeypatch.undo()
    assert _upload(client, token, jpeg_bytes(31)).status_code == 201


def test_a_full_disk_for_a_batchs_thumbnails_refuses_each_file_and_leaves_nothing(
        app, client, auth, monkeypatch):
    """In a batch the thumbnails are stored before the rows: the disk filling then,
    after the originals were placed, is a 507 for the file, and its original goes."""
    auth.login("cinambo")
    monkeypatch.setattr(thumbnails, "store", _fail(errno.ENOSPC))
    response = client.post("/entri/unggah", data={
        "files": [(io.BytesIO(jpeg_bytes(33)), "a.jpg"), (io.BytesIO(jpeg_bytes(34)), "b.jpg")],
        "trip": "1", "status": "draft"}, content_type="multipart/form-data")
    assert response.status_code == 507
    assert response.get_data(as_text=True).count("Penyimpanan arsip penuh") == 2
    _nothing_left(app)


def test_a_full_disk_after_a_single_photos_answer_costs_only_its_thumbnails(app, client, auth,
                                                                          monkeypatch):
    """One photo is answered once its original and rows are durable; the disk
    filling while its thumbnails are stored after the answer loses nothing of it:
    they are made from the original when first asked for, once there is room."""
    token = issue_token(app, "cinambo")
    monkeypatch.setattr(thumbnails, "store", _fail(errno.ENOSPC))
    response = _upload(client, token, jpeg_bytes(35))
    assert response.status_code == 201
    response.close()  # the work after the answer runs, and fails
    entry = response.get_json()
    with app.app_context():
        stored = db.session.get(Entry, entry["id"]).file
        assert storage.original_path(stored).read_bytes() == jpeg_bytes(35)
        assert not thumbnails.thumbnail_path(stored, "small").exists()
    monkeypatch.undo()
    auth.login("cinambo")  # a draft: its camat sees it
    with client.get(entry["thumbnail_url"]) as thumb:
        assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"


def test_the_upload_page_says_so_too(app, client, auth, monkeypatch):
    auth.login("cinambo")
    monkeypatch.setattr(storage.tempfile, "mkstemp", _fail(errno.ENOSPC))
    response = client.post("/entri/unggah", data={
        "files": [(io.BytesIO(jpeg_bytes(32)), "foto.jpg")], "trip": "1", "status": "draft"},
        content_type="multipart/form-data")
    assert response.status_code == 507
    assert "Penyimpanan arsip penuh" in response.get_data(as_text=True)
    _nothing_left(app)


def test_other_os_errors_are_not_dressed_up_as_storage_errors():
    assert storage.storage_refusal(OSError(errno.EIO, "I/O error")) is None
    assert storage.storage_refusal(OSError(errno.ENOSPC, "full")).status == 507
    assert storage.storage_refusal(OSError(errno.EROFS, "read-only")).status == 503
