"""The columns of a score file and the cells in them, as the city writes them.

A header names each column; Indonesian and English names are both accepted
(``nilai``/``total``, ``peringkat``/``rank``, ``zona``/``zone``), and a
criterion is named by its key or its name in either language. Kecamatan and
column names match without regard to case or spaces.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Optional

from flask_babel import lazy_gettext as _l

#: the fixed columns in export order, then one per criterion (by key)
FIXED = ("kecamatan", "total", "rank", "zone", "source", "verification_note")
ALIASES = {
    "kecamatan": "kecamatan", "district": "kecamatan", "nama kecamatan": "kecamatan",
    "total": "total", "nilai": "total", "nilai total": "total", "score": "total", "skor": "total",
    "rank": "rank", "peringkat": "rank", "ranking": "rank",
    "zone": "zone", "zona": "zone",
    "source": "source", "sumber": "source",
    "verification note": "verification_note", "verification": "verification_note",
    "verifikasi": "verification_note", "catatan verifikasi": "verification_note",
}
ZONE_WORDS = {"green": "green", "hijau": "green", "yellow": "yellow", "kuning": "yellow",
              "red": "red", "merah": "red"}


def squeeze(text: str) -> str:
    """Case and spaces do not count: "BOJONGLOA  KALER" is "bojongloakaler"."""
    return re.sub(r"[\s_\-]+", "", text).casefold()


def words(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text).strip().casefold()


class Header:
    """Which column of the file holds what: ``index[name]`` for the fixed names and
    the criterion keys present."""

    def __init__(self, cells: Sequence[object], criteria: Iterable[tuple[str, str, str]]) -> None:
        by_name = {squeeze(alias): name for alias, name in ALIASES.items()}
        for key, name_id, name_en in criteria:
            for label in (key, name_id, name_en):
                if label:
                    by_name.setdefault(squeeze(label), key)
        self.index: dict[str, int] = {}
        self.unknown: list[str] = []
        self.repeated: list[str] = []
        for position, cell in enumerate(cells):
            label = "" if cell is None else str(cell).strip()
            if not label:
                continue
            name = by_name.get(squeeze(label))
            if name is None:
                self.unknown.append(label)
            elif name in self.index:
                self.repeated.append(label)
            else:
                self.index[name] = position

    def problems(self) -> list[str]:
        found = []
        if "kecamatan" not in self.index:
            found.append(str(_l("Kolom \"kecamatan\" tidak ada di baris judul.")))
        if self.unknown:
            found.append(str(_l("Kolom tidak dikenal: %(names)s.",
                                names=", ".join(self.unknown))))
        if self.repeated:
            found.append(str(_l("Kolom muncul dua kali: %(names)s.",
                                names=", ".join(self.repeated))))
        return found


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_number(value: object) -> Optional[float]:
    """87,25 and 87.25 (and a number from a spreadsheet); "" is None; ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        return round(float(value), 2)
    text = str(value).strip().replace(" ", "")
    if "," in text and "." in text:
        raise ValueError(value)
    number = float(text.replace(",", "."))
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(value)
    return round(number, 2)


def parse_rank(value: object) -> Optional[int]:
    number = parse_number(value)
    if number is None:
        return None
    if not number.is_integer() or number < 1:
        raise ValueError(value)
    return int(number)


def parse_zone(value: object) -> Optional[str]:
    text = cell_text(value).casefold()
    if not text:
        return None
    if text not in ZONE_WORDS:
        raise ValueError(value)
    return ZONE_WORDS[text]


def nearest(name: str, choices: Iterable[str]) -> Optional[str]:
    """The known name closest to a misspelt one, if any is close."""
    names = list(choices)
    squeezed = {squeeze(n): n for n in names}
    match = difflib.get_close_matches(squeeze(name), list(squeezed), n=1, cutoff=0.6)
    return squeezed[match[0]] if match else None
