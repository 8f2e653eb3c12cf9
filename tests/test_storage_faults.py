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
    # the disk fills while the thumbnails are stored, after the original was placed
    ("thumbnails", errno.ENOSPC, 507, "penuh"),
])
def test_storage_faults_are_clear_and_leave_nothing(app, client, monkeypatch, where, err, status,
                                                    words):
    token = issue_token(app, "cinambo")
    if where == "receive":
        monkeypatch.setattr(storage.tempfile, "mkstemp", _fail(err))
    elif where == "fsync":
        monkeypatch.setattr(storage.os, "fsync", _fail(err))
    else:
        monkeypatch.setattr(thumbnails, "store", _fail(err))
    body = assert_json_error(_upload(client, token, jpeg_bytes(31)), status)
    assert words in body["message"] and "Tidak ada data yang hilang" in body["message"]
    _nothing_left(app)
    # Once the disk is back, the same photo goes in.
    monkeypatch.undo()
    assert _upload(client, token, jpeg_bytes(31)).status_code == 201


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
