"""Where a picture's own data ends, walked from its structure, so that nothing
hides after it.

A file with data after the picture (an HTML page, a script) would be served
back byte for byte as the original, so it is refused; checking only the last
bytes for the end marker is not enough, since the appended data can end with
one. Each format is walked by its own framing, through ``mmap`` (never read
into memory whole):

- JPEG: marker segments by their lengths, entropy-coded data up to the next
  marker, until EOI; the frames of a multi-picture JPEG (MPO) follow one
  another. NUL padding after the end, which some cameras write, is allowed.
- PNG: chunks by their lengths up to IEND.
- HEIF/HEIC: the top-level boxes by their sizes, which must tile the file;
  a box that runs past the end means the file was cut short, which libheif
  does not always notice (a grid image decodes with its missing tiles grey).
"""
from __future__ import annotations

import mmap
import re
from pathlib import Path

_SOI, _EOI = b"\xff\xd8", 0xD9
_SOS = 0xDA
#: a marker inside entropy-coded data: 0xFF not followed by a stuffed 0x00, a
#: restart marker (which has no length) or another 0xFF fill byte (the match
#: then starts at the last fill byte). One byte then a class, not ``\xff+``:
#: a pattern that starts with a literal lets the regex engine scan for it at C
#: speed (0.9 ms instead of 21 ms for a 1.8 MB photo's data).
_NEXT_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")
_STANDALONE = set(range(0xD0, 0xD8)) | {0x01}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Trailing(Exception):
    """The file goes on after the picture ends."""


class CutShort(Exception):
    """The file ends before its structure says it does."""


class Unwalkable(Exception):
    """The structure is not what the walker expects (the decoder may still manage)."""


def check_end(path: Path, mime_type: str) -> None:
    """Raise ``Trailing``, ``CutShort`` or ``Unwalkable``; return if the picture fills the file."""
    with open(path, "rb") as fh:
        size = fh.seek(0, 2)
        if size == 0:
            raise CutShort()
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if mime_type == "image/jpeg":
                _check_jpeg(data, size)
            elif mime_type == "image/png":
                _check_png(data, size)
            elif mime_type in ("image/heic", "image/heif"):
                _check_boxes(data, size)


def _check_jpeg(data, size: int) -> None:
    pos = _jpeg_end(data, 0, size)
    while True:
        while pos < size and data[pos] == 0:
            pos += 1
        if pos == size:
            return
        if data[pos:pos + 2] != _SOI:
            raise Trailing()
        pos = _jpeg_end(data, pos, size)  # the next frame of an MPO


def _jpeg_end(data, pos: int, size: int) -> int:
    """The offset just after the EOI of the JPEG starting at ``pos``."""
    if data[pos:pos + 2] != _SOI:
        raise Unwalkable()
    pos += 2
    while True:
        if pos >= size:
            raise CutShort()
        if data[pos] != 0xFF:
            raise Unwalkable()
        while pos < size and data[pos] == 0xFF:
            pos += 1
        if pos >= size:
            raise CutShort()
        marker = data[pos]
        pos += 1
        if marker == _EOI:
            return pos
        if marker in _STANDALONE:
            continue
        if pos + 2 > size:
            raise CutShort()
        pos += int.from_bytes(data[pos:pos + 2], "big")
        if marker == _SOS:
            found = _NEXT_MARKER.search(data, pos)
            if found is None:
                raise CutShort()
            pos = found.start()


def _check_png(data, size: int) -> None:
    if data[:8] != _PNG_SIGNATURE:
        raise Unwalkable()
    pos = 8
    while True:
        if pos + 8 > size:
            raise CutShort()
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        pos += 12 + length
        if pos > size:
            raise CutShort()
        if kind == b"IEND":
            break
    if pos != size:
        raise Trailing()


def _check_boxes(data, size: int) -> None:
    pos = 0
    while pos < size:
        if pos + 8 > size:
            raise Trailing()
        box = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        if not all(32 <= c < 127 for c in kind):
            raise Trailing()
        if box == 0:  # the last box, to the end of the file
            return
        if box == 1:
            if pos + 16 > size:
                raise CutShort()
            box = int.from_bytes(data[pos + 8:pos + 16], "big")
        if box < 8:
            raise Trailing()
        pos += box
    if pos > size:
        raise CutShort()
