"""The tus 1.0 protocol's headers: reading what the client sends, writing what it expects.

https://tus.io/protocols/resumable-upload (core, creation, termination,
expiration, checksum with sha1). Nothing here touches the database or the disk.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Mapping
from urllib.parse import quote

from flask import Response
from flask_babel import gettext as _

from ..core.refusal import Refused

VERSION = "1.0.0"
EXTENSIONS = "creation,termination,expiration,checksum"
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1}
#: the status tus gives a checksum that does not match the bytes sent
CHECKSUM_MISMATCH = 460
OFFSET_CONTENT_TYPE = "application/offset+octet-stream"
#: a sane ceiling on Upload-Metadata (names, tags, a description)
MAX_METADATA_CHARS = 16 * 1024
_DIGITS = re.compile(r"[0-9]{1,18}")


def check_version(headers: Mapping[str, str]) -> None:
    """Every request but OPTIONS names the protocol version it speaks: 412 otherwise."""
    sent = headers.get("Tus-Resumable")
    if sent != VERSION:
        raise Refused(_("Versi protokol tus %(sent)s tidak didukung; server ini memakai %(version)s "
                        "(header Tus-Resumable).", sent=sent or "-", version=VERSION), 412)


def non_negative(raw: str | None, header: str) -> int:
    """A header holding a byte count: 400 when missing or not a plain number."""
    if raw is None or not _DIGITS.fullmatch(raw.strip()):
        raise Refused(_("Header %(header)s wajib berisi bilangan bulat tidak negatif.",
                        header=header), 400, header)
    return int(raw.strip())


def parse_metadata(raw: str | None) -> dict[str, str]:
    """Upload-Metadata: ``key base64value`` pairs separated by commas (a value may be absent)."""
    if not raw:
        return {}
    if len(raw) > MAX_METADATA_CHARS:
        raise Refused(_("Header Upload-Metadata terlalu panjang."), 400, "Upload-Metadata")
    result: dict[str, str] = {}
    for pair in raw.split(","):
        key, _sep, value = pair.strip().partition(" ")
        if not key or " " in value.strip() or key in result:
            raise Refused(_("Header Upload-Metadata tidak sah: pasangan '%(pair)s'.",
                            pair=pair.strip()[:60]), 400, "Upload-Metadata")
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise Refused(_("Nilai '%(key)s' di Upload-Metadata bukan base64 UTF-8 yang sah.",
                            key=key[:40]), 400, "Upload-Metadata") from None
        if "\x00" in decoded:
            raise Refused(_("Nilai '%(key)s' di Upload-Metadata mengandung karakter NUL.",
                            key=key[:40]), 400, "Upload-Metadata")
        result[key] = decoded
    return result


def encode_metadata(values: Mapping[str, str]) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}"
                    for key, value in values.items())


def parse_checksum(raw: str | None):
    """Upload-Checksum ``<algorithm> <base64 digest>``: (a new hash object, the digest), or None."""
    if raw is None:
        return None
    name, _sep, value = raw.strip().partition(" ")
    if name not in CHECKSUM_ALGORITHMS:
        raise Refused(_("Algoritma checksum '%(name)s' tidak didukung; gunakan sha1.",
                        name=name[:20]), 400, "Upload-Checksum")
    try:
        digest = base64.b64decode(value.strip(), validate=True)
    except binascii.Error:
        raise Refused(_("Header Upload-Checksum tidak sah."), 400, "Upload-Checksum") from None
    return CHECKSUM_ALGORITHMS[name](), digest


def http_date(moment: datetime) -> str:
    """Upload-Expires: an RFC 7231 date (``Wed, 03 Dec 2026 21:00:00 GMT``)."""
    return format_datetime(moment.replace(tzinfo=timezone.utc), usegmt=True)


def header_text(text: str) -> str:
    """A message as a header value (headers are Latin-1): percent-encoded UTF-8."""
    return quote(text, safe=" .,;:!?'()/-_#\"")


def options_response(max_size: int) -> Response:
    response = Response(status=204)
    response.headers.update({
        "Tus-Resumable": VERSION, "Tus-Version": VERSION, "Tus-Extension": EXTENSIONS,
        "Tus-Max-Size": str(max_size), "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS),
    })
    return response


def finish_headers(response: Response) -> Response:
    """Every tus answer names the version; none may be cached (the offset changes)."""
    response.headers["Tus-Resumable"] = VERSION
    response.headers.setdefault("Cache-Control", "no-store")
    if response.status_code == 412:
        response.headers["Tus-Version"] = VERSION
    return response
