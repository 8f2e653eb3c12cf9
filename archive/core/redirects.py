"""The one safe-redirect rule: only a path on this site, never another host.

Browsers read ``//host``, ``/\\host`` and (after decoding) ``/%5Chost`` as
another host, so a target with a backslash in any form, a scheme or a host
is refused and the default is used instead.
"""
from __future__ import annotations

from urllib.parse import unquote, urlsplit


def is_safe_path(target: str | None) -> bool:
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    decoded = unquote(target)
    if "\\" in decoded or any(ord(c) < 32 for c in decoded) or decoded.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_path(target: str | None, default: str) -> str:
    """``target`` when it is a same-site path, else ``default``."""
    return target if is_safe_path(target) else default
