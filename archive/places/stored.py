"""The derived place as an entry's ``gps_*`` columns, both ways. Duck-typed on
the entry, so ``entries`` may use it without importing this feature's rules."""
from __future__ import annotations

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
