"""Text from files, made safe to store: no NULs, valid UTF-8, trimmed and capped."""
from __future__ import annotations

import re
from typing import Any

_SPACES = re.compile(r"\s+")


def clean_text(value: Any, limit: int = 300) -> str:
    """No NULs (PostgreSQL refuses them), no lone surrogates (not UTF-8), trimmed, capped."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).replace("\x00", "")
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text.strip()[:limit].strip()


def one_line(value: Any, limit: int = 300) -> str:
    """``clean_text`` with every run of white space folded to one space."""
    return clean_text(_SPACES.sub(" ", clean_text(value, limit * 4)), limit)
