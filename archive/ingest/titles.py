"""The title proposed for an entry nobody gave a title: one rule for every way in.

From the best the file offers: its own description (the EXIF ImageDescription,
a PDF's title), cut at a word boundary with an ellipsis; else the file name
when a person chose it ("trotoar-gangnam.jpg"), never a camera's counter
("DSCN0010", "IMG_5195", "gps DSCN0010"); else when and where it was taken
("Cheonggyecheon, 10 Juli 2018 09:30"; the place is the one typed or, where
known, derived from the GPS); else "Foto tanpa judul" / "Makalah tanpa judul".
"""
from __future__ import annotations

import re
from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _

from .text import one_line

#: longest proposed title; a longer description is cut at a word before it
MAX_TITLE_CHARS = 120
ELLIPSIS = "\u2026"
# Descriptions cameras write by themselves, which describe nothing.
_CAMERA_DEFAULTS = {
    "", "olympus digital camera", "sony dsc", "digital camera", "sanyo digital camera",
    "minolta digital camera", "kodak digital still camera", "default", "image", "picture",
    "samsung", "lg digital camera", "exif_jpeg_picture", "exif jpeg picture", "camera",
}
# Words of camera and phone file names that carry no meaning of their own.
_COUNTER_WORDS = {
    "img", "dsc", "dscn", "dscf", "dcim", "pxl", "mvimg", "gps", "photo", "image", "foto",
    "picture", "pic", "scan", "screenshot", "heic", "jpg", "jpeg", "png", "pdf", "vid",
    "portrait", "burst", "cover", "edited", "copy", "salinan", "orientation", "landscape",
}


def propose_title(description: str | None, taken_at: datetime | None, place: str | None,
                  filename: str, *, kind: str = "photo") -> str:
    """The title for an entry of ``kind`` ("photo" | "paper") that was given none."""
    text = one_line(description, 2000)
    if text and text.lower().strip(" .") not in _CAMERA_DEFAULTS:
        return shorten(text, MAX_TITLE_CHARS)
    from_name = title_from_filename(filename)
    if from_name:
        return shorten(from_name, MAX_TITLE_CHARS)
    place = one_line(place, 100)
    if taken_at is not None:
        when = f"{format_date(taken_at.date(), 'd MMMM yyyy')} {taken_at:%H:%M}"
        if place:
            return _("%(place)s, %(when)s", place=place, when=when)
        return _("Foto %(when)s", when=when) if kind == "photo" else when
    if place and kind == "photo":
        return _("Foto di %(place)s", place=place)
    return _("Foto tanpa judul") if kind == "photo" else _("Makalah tanpa judul")


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else cut at the last word
    boundary before it, with an ellipsis (a single over-long word is cut hard)."""
    text = one_line(text, len(text) + 1)
    if len(text) <= limit:
        return text
    room = text[: limit - len(ELLIPSIS) + 1]
    cut = room.rfind(" ")
    head = room[:cut] if cut > 0 else room[:-1]
    return head.rstrip(" ,.;:-\u2013\u2014(") + ELLIPSIS


def title_from_filename(name: str) -> str:
    """The file name's stem as words, or "" when it is only a camera's counter."""
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    words = re.sub(r"[_\s]+", " ", stem).strip(" -.")
    meaningful = [w for w in re.split(r"[\s\-.]+", words)
                  if w and not any(c.isdigit() for c in w) and w.lower() not in _COUNTER_WORDS
                  and sum(c.isalpha() for c in w) >= 2]
    return words if meaningful else ""
