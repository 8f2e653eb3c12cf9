"""What a backup file holds and how values travel in it.

A backup is an uncompressed tar (the originals are JPEG and PDF, which do not
compress) with these members:

* ``database.jsonl.gz``: for every table, a header line
  ``{"table": name, "columns": [...], "types": [...]}`` and then one JSON list
  per row, in primary-key order; tables come in dependency order (parents
  first), so a restore can insert them as they come;
* ``originals/ab/cd/<sha256>.<ext>``: each original, under its storage path;
* ``manifest.json`` (last): the format, the schema revision, rows per table
  and the SHA-256 and size of every other member.

Values that JSON cannot carry (datetimes, dates, decimals, bytes) are written
as text and read back by the column's type code in the header.
"""
from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import os
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Column

FORMAT = "arsip-studi-banding-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.jsonl.gz"
CHUNK_BYTES = 1024 * 1024
#: an original's storage path as ``ingest.storage.original_relpath`` makes it
ORIGINAL_PATH = re.compile(r"originals/([0-9a-f]{2})/([0-9a-f]{2})/(\1\2[0-9a-f]{60})\.([a-z0-9]{1,8})")

Advance = Callable[[int], None]
#: given the bytes to copy, a context in which the returned function advances a progress bar
ProgressBar = Callable[[int], AbstractContextManager[Advance]]

_ENCODE: dict[str, Callable[[Any], Any]] = {
    "datetime": lambda v: v.isoformat(),
    "date": lambda v: v.isoformat(),
    "time": lambda v: v.isoformat(),
    "decimal": str,
    "bytes": lambda v: base64.b64encode(v).decode("ascii"),
}
_DECODE: dict[str, Callable[[Any], Any]] = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "decimal": decimal.Decimal,
    "bytes": base64.b64decode,
}


def type_code(column: Column) -> str:
    """How a column's values are written: a key of ``_ENCODE``, or "plain" for JSON's own."""
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return "plain"
    for code, kind in (("datetime", dt.datetime), ("date", dt.date), ("time", dt.time),
                       ("decimal", decimal.Decimal), ("bytes", bytes)):
        if issubclass(python_type, kind):
            return code
    return "plain"


def encoder(code: str) -> Callable[[Any], Any]:
    convert = _ENCODE.get(code)
    if convert is None:
        return lambda value: value
    return lambda value: None if value is None else convert(value)


def decoder(code: str) -> Callable[[Any], Any]:
    convert = _DECODE.get(code)
    if convert is None:
        return lambda value: value
    return lambda value: None if value is None else convert(value)


def is_original_path(relpath: str) -> bool:
    """True for a storage path of the content-hash layout (never ``..`` or an absolute path)."""
    return ORIGINAL_PATH.fullmatch(relpath) is not None


def copy_hashing(source: BinaryIO, target: BinaryIO,
                 progress: Callable[[int], None] | None = None) -> str:
    """Copy ``source`` to ``target`` in chunks; the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK_BYTES):
        digest.update(chunk)
        target.write(chunk)
        if progress is not None:
            progress(len(chunk))
    return digest.hexdigest()


class HashingReader:
    """A file read through ``read`` only, hashing and counting what passes."""

    def __init__(self, source: BinaryIO, progress: Callable[[int], None] | None = None) -> None:
        self.source = source
        self.progress = progress
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        if self.progress is not None and chunk:
            self.progress(len(chunk))
        return chunk

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def fsync(path: Path) -> None:
    """Flush a file's bytes, or a folder's entries (a rename), to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
