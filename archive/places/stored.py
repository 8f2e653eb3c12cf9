"""The derived place as an entry's ``gps_*`` columns, both ways. Duck-typed on
the entry, so ``entries`` may use it without importing this feature's rules."""
from __future__ import annotations

import hashlib
from dataclasses import fields

from .lookup import DerivedPlace, place_of

#: DerivedPlace field -> Entry column
COLUMNS = {f.name: f"gps_{f.name}" for f in fields(DerivedPlace)}


def store_place(entry, place: DerivedPlace | None) -> None:
    """Write ``place`` (None: no place) into the entry's columns."""
    values = place.as_dict() if place is not None else {}
    for name, column in COLUMNS.items():
        setattr(entry, column, values.get(name, ""))


def derive_place(entry) -> None:
    """Read the place from the entry's own latitude and longitude."""
    store_place(entry, place_of(entry.latitude, entry.longitude))


def stored_place(entry) -> DerivedPlace | None:
    """The entry's derived place, or None when it has none."""
    place = DerivedPlace(**{name: getattr(entry, column) or "" for name, column in COLUMNS.items()})
    return place if place.label else None


def area_code(country_code: str, city: str, district: str) -> int:
    """A stable positive number for the place's area (district and city), the
    search facet's value; 0 for no place."""
    if not (country_code or city):
        return 0
    key = "|".join((country_code, city, district)).casefold().encode()
    return int.from_bytes(hashlib.sha1(key).digest()[:7], "big") or 1


def entry_area_code(entry) -> int:
    return area_code(entry.gps_country_code or "", entry.gps_city or "", entry.gps_district or "")
