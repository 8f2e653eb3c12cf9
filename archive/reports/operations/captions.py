"""The caption proposed for an entry chosen for a report: from its title and
description, never from its file name or a camera's counter ("gps DSCN0010")."""
from __future__ import annotations

from ...ingest.titles import shorten, title_from_filename
from ...models import Entry

#: a proposed caption's length; the camat can write a longer one
CAPTION_CHARS = 280


def _meaningful_title(entry: Entry) -> str:
    """The title, unless it is only a camera's counter or the file's own name."""
    title = (entry.title or "").strip()
    if not title or not title_from_filename(title):
        return ""
    original = entry.file.original_name if entry.file is not None else ""
    stem = original.rsplit(".", 1)[0] if "." in original else original
    return "" if stem and title.lower() == stem.lower() else title


def propose_caption(entry: Entry) -> str:
    """A caption from the entry's title and description, never its file name:
    "Title. First words of the description…" (either alone when the other says nothing)."""
    title = _meaningful_title(entry)
    description = " ".join((entry.description or "").split())
    if description and title and description.lower().startswith(title.lower()):
        title = ""
    parts = [p.rstrip(".") + "." if not p.endswith((".", "!", "?", "\u2026")) else p
             for p in (title, description) if p]
    if not parts:
        # Nothing but a file name a person chose ("trotoar-gangnam"): better than nothing.
        return shorten(title_from_filename(entry.title or ""), CAPTION_CHARS)
    return shorten(" ".join(parts), CAPTION_CHARS)
