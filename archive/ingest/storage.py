"""Content-hash storage of originals and thumbnails under UPLOAD_DIR.

An upload is streamed once into a temporary file inside UPLOAD_DIR while it
is hashed (sha256) and counted against MAX_FILE_BYTES, then fsynced and
linked (or renamed) atomically to ``originals/ab/cd/<sha256>.<ext>``. The uploader's file
name never reaches the disk. The same content always lands on the same path,
so two uploads of it cannot leave two files behind.
"""
from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.refusal import Refused
from .sniff import HEAD_BYTES

CHUNK_BYTES = 1024 * 1024


@dataclass
class ReceivedFile:
    """An upload written to a temporary file, not yet under its final name."""

    temp_path: Path
    sha256: str
    size_bytes: int
    head: bytes


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _temp_dir() -> Path:
    # Inside UPLOAD_DIR so that the final rename stays on one file system.
    path = upload_dir() / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


#: errors of the upload folder itself, not of the file: the disk is full, or
#: the folder cannot be written (mounted read-only, wrong owner)
_FULL = {errno.ENOSPC, errno.EDQUOT}
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}


def storage_refusal(err: OSError) -> Refused | None:
    """A clear 507 (full) or 503 (not writable) for an error of the upload folder;
    None for any other error. Nothing is kept of the file either way."""
    if err.errno in _FULL:
        return Refused(_l("Penyimpanan arsip penuh, jadi berkas tidak disimpan. Tidak ada data "
                          "yang hilang; beri tahu admin, lalu coba lagi nanti."), 507)
    if err.errno in _NOT_WRITABLE:
        return Refused(_l("Penyimpanan arsip sedang tidak dapat ditulis, jadi berkas tidak "
                          "disimpan. Tidak ada data yang hilang; coba lagi nanti."), 503)
    return None


def receive(stream: BinaryIO, filename: str, max_bytes: int) -> ReceivedFile:
    """Copy ``stream`` to a temporary file, hashing and counting as it goes, or raise
    ``Refused`` (see ``_receive``; a full or read-only folder is a 507/503)."""
    try:
        return _receive(stream, filename, max_bytes)
    except OSError as err:
        refusal = storage_refusal(err)
        if refusal is None:
            raise
        raise refusal from err


def _receive(stream: BinaryIO, filename: str, max_bytes: int) -> ReceivedFile:
    """Copy ``stream`` to a temporary file, hashing and counting as it goes.

    Raises ``Refused`` (400 empty, 413 too large) and then leaves nothing behind.
    The copy is not yet durable: ``make_durable`` must run before its row commits.
    """
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=_temp_dir())
    temp_path = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(CHUNK_BYTES)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(filename, max_bytes)
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise _empty(filename)
    except BaseException:
        discard(temp_path)
        raise
    return ReceivedFile(temp_path, digest.hexdigest(), size, head)


def _too_large(filename: str, max_bytes: int) -> Refused:
    return Refused(_("Berkas %(name)s terlalu besar: batasnya %(limit)s per berkas.",
                     name=filename, limit=_human_size(max_bytes)), 413)


def _empty(filename: str) -> Refused:
    return Refused(_("Berkas %(name)s kosong (0 bita).", name=filename), 400)


def adopt(path: Path, filename: str, max_bytes: int) -> ReceivedFile:
    """A complete file already under UPLOAD_DIR (a finished resumable upload, fsynced
    piece by piece) taken as received: hashed where it lies and renamed into the
    temporary area instead of copied. Refused (400, 413) like ``receive``; the
    file is then left where it was."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(filename, max_bytes)
        if size == 0:
            raise _empty(filename)
        with open(path, "rb") as source:
            head = source.read(HEAD_BYTES)
            source.seek(0)
            digest = hashlib.file_digest(source, "sha256")
        fd, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=_temp_dir())
        os.close(fd)
        os.replace(path, name)
    except OSError as err:
        refusal = storage_refusal(err)
        if refusal is None:
            raise
        raise refusal from err
    return ReceivedFile(Path(name), digest.hexdigest(), size, head)


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{max(1, round(n / 1024))} KB"


def make_durable(path: Path) -> None:
    """fsync a received file: its row may only commit once its bytes are on disk.

    Kept apart from ``receive`` so that the pipeline's worker thread waits for
    the disk while the request thread goes on with the previous file.
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def original_relpath(sha256: str, extension: str) -> str:
    return f"originals/{sha256[:2]}/{sha256[2:4]}/{sha256}.{extension}"


def thumbnail_folder(sha256: str) -> str:
    """Where the thumbnails (and a paper's page previews) of this content are kept."""
    return f"thumbs/{sha256[:2]}/{sha256[2:4]}"


def thumbnail_relpath(sha256: str, size: str) -> str:
    return f"{thumbnail_folder(sha256)}/{sha256}-{size}.jpg"


def preview_relpath(sha256: str, size: str, page: int = 1) -> str:
    """A paper's page preview: the first page is the paper's thumbnail, other pages beside it."""
    if page == 1:
        return thumbnail_relpath(sha256, size)
    return f"{thumbnail_folder(sha256)}/{sha256}-p{page}-{size}.jpg"


def original_path(stored_file) -> Path:
    """Where the original of ``stored_file`` (a StoredFile row) is on disk."""
    return upload_dir() / stored_file.storage_path


def place(received: ReceivedFile, relpath: str) -> bool:
    """Move the temporary file to ``relpath``; True if this call created the final file.

    If the same content is already stored there (an earlier upload, or a
    concurrent one that won), False is returned and the temporary file is
    kept for ``ensure_placed``: the caller must never delete the existing file.
    """
    target = upload_dir() / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return False
    try:
        # link() fails if the target appeared meanwhile, unlike rename(), so a
        # concurrent writer of the same content is never overwritten.
        os.link(received.temp_path, target)
    except FileExistsError:
        return False
    except OSError:
        # File systems without hard links: rename is atomic too.
        os.replace(received.temp_path, target)
        _fsync_dir(target.parent)
        return True
    discard(received.temp_path)
    _fsync_dir(target.parent)
    return True


def ensure_placed(received: ReceivedFile, relpath: str) -> None:
    """After the row is committed: put the original back if it vanished meanwhile.

    The file that ``place`` found may belong to an entry being deleted at the
    same moment, whose clean-up removes it after our check; the new row must
    not be left without its file.
    """
    target = upload_dir() / relpath
    if not target.exists() and received.temp_path.exists():
        os.replace(received.temp_path, target)
        _fsync_dir(target.parent)


def write_atomic(relpath: str, data: bytes) -> Path:
    """Write ``data`` to ``relpath`` via a temporary file and a rename (no fsync: rebuildable)."""
    target = upload_dir() / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".thumb-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(name, target)
    except BaseException:
        discard(Path(name))
        raise
    return target


def sweep_temporary(older_than_seconds: float = 3600) -> int:
    """Delete temporary files left by uploads that died mid-way (a killed worker); returns how many."""
    import time

    cutoff = time.time() - older_than_seconds
    removed = 0
    root = upload_dir()
    for pattern in ("tmp/upload-*.part", "thumbs/**/.thumb-*.part"):
        for path in root.glob(pattern):
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                pass
    return removed


def discard(path: Path | None) -> None:
    if path is None:
        return
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def _fsync_dir(path: Path) -> None:
    # The rename is only durable once the directory entry is on disk.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
