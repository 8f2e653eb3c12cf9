"""The name an entry's file is saved under: the uploader's own name for browsers
that read ``filename*`` (RFC 6266, UTF-8), and a readable ASCII name for those
that only read ``filename`` (never just ``.jpg`` for a name in another script)."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response

from .models import Entry

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/heic": "heic",
               "image/heif": "heif", "application/pdf": "pdf"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def download_name(entry: Entry) -> str:
    """The original file name (folders and quotes taken out), or ``entri-<id>.<ext>``."""
    name = (entry.file.original_name or "").replace("/", "_").replace("\\", "_")
    name = name.replace('"', "").replace("\r", "").replace("\n", "").strip()
    return name or _generated_name(entry)


def ascii_name(entry: Entry, name: str) -> str:
    """``name`` in ASCII; ``entri-<id>.<ext>`` when nothing readable is left of its stem."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    folded = _UNSAFE.sub("", folded).strip()
    stem = folded.rsplit(".", 1)[0] if "." in folded else folded
    if not any(c.isalnum() for c in stem):
        return _generated_name(entry)
    return folded


def set_content_disposition(response: Response, entry: Entry, *, attachment: bool) -> Response:
    name = download_name(entry)
    kind = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = (
        f'{kind}; filename="{ascii_name(entry, name)}"; filename*=UTF-8\'\'{quote(name, safe="")}')
    return response


def _generated_name(entry: Entry) -> str:
    return f"entri-{entry.id}.{_EXTENSIONS.get(entry.file.mime_type, 'bin')}"
