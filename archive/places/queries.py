"""Reading derived places across entries: the labels of the search facet's areas."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Entry
from .stored import area_code


def area_label(city: str, district: str, district_local: str, country: str) -> str:
    """"Jongno-gu (종로구), Seoul", or "Arezzo, Italy" where there is no district."""
    if district:
        local = f" ({district_local})" if district_local else ""
        return f"{district}{local}, {city}"
    return ", ".join(p for p in (city, country) if p)


def area_labels() -> dict[int, str]:
    """Area code -> label, for every area some entry lies in."""
    rows = db.session.execute(
        select(Entry.gps_country_code, Entry.gps_country, Entry.gps_city, Entry.gps_district,
               Entry.gps_district_local).where(Entry.gps_city != "").distinct())
    return {area_code(cc, city, district): area_label(city, district, local, country)
            for cc, country, city, district, local in rows}
