"""The bytes of partial uploads on disk: ``tmp/tus/<id>.part`` under UPLOAD_DIR.

The file's size is the upload's offset, so what HEAD reports is exactly what
is on disk. A PATCH holds an exclusive ``flock`` on the file while it writes
(a second PATCH of the same upload, from a retry whose first attempt the
server is still reading, gets 423 Locked and tries again). Bytes are fsynced
before the new offset is reported: an offset once answered is never lost.
"""
from __future__ import annotations

import errno
import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from flask_babel import gettext as _
from werkzeug.exceptions import ClientDisconnected

from ..core.refusal import Refused
from ..ingest import storage

CHUNK_BYTES = 256 * 1024


def folder() -> Path:
    # Inside UPLOAD_DIR, beside the pipeline's own temporary files: one file system.
    path = storage.upload_dir() / "tmp" / "tus"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(upload_id: str) -> Path:
    return folder() / f"{upload_id}.part"


def create(upload_id: str) -> None:
    with open(path_of(upload_id), "xb"):
        pass


def size_of(upload_id: str) -> int | None:
    try:
        return path_of(upload_id).stat().st_size
    except FileNotFoundError:
        return None


@contextmanager
def locked(upload_id: str) -> Iterator[BinaryIO]:
    """The partial file opened for writing under an exclusive lock; 423 while another
    request holds it, 404 when it is gone (terminated, expired, finished)."""
    try:
        handle = open(path_of(upload_id), "r+b")
    except FileNotFoundError:
        raise Refused(_("Unggahan ini tidak ditemukan atau sudah kedaluwarsa."), 404) from None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise Refused(_("Bagian lain unggahan ini sedang diterima; coba lagi sebentar."),
                              423) from None
            raise
        yield handle


def append(handle: BinaryIO, offset: int, stream: BinaryIO, room: int, checksum=None) -> int:
    """Write ``stream`` at ``offset``; return the new offset.

    More than ``room`` bytes is refused (413), a checksum that does not match is
    refused (460), and both leave the file as it was. A client that goes away
    mid-way keeps what arrived (without a checksum to check it against).
    """
    handle.seek(offset)
    written = 0
    try:
        while True:
            chunk = stream.read(min(CHUNK_BYTES, room - written + 1))
            if not chunk:
                break
            written += len(chunk)
            if written > room:
                raise Refused(_("Bagian ini melebihi ukuran berkas yang diumumkan (Upload-Length)."),
                              413)
            if checksum is not None:
                checksum[0].update(chunk)
            handle.write(chunk)
        if checksum is not None and checksum[0].digest() != checksum[1]:
            raise Refused(_("Checksum bagian ini tidak cocok dengan isinya; kirim ulang bagian ini."),
                          460, "Upload-Checksum")
    except ClientDisconnected:
        if checksum is not None:
            _cut(handle, offset)
        else:
            _sync(handle)
        raise
    except BaseException:
        _cut(handle, offset)
        raise
    _sync(handle)
    return offset + written


def _cut(handle: BinaryIO, offset: int) -> None:
    handle.flush()
    handle.truncate(offset)
    _sync(handle)


def _sync(handle: BinaryIO) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def remove(upload_id: str) -> None:
    storage.discard(path_of(upload_id))
