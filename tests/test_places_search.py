"""The derived place in search: found by its Latin and Hangul names and its gu,
and a "place" facet that counts and filters."""
from __future__ import annotations

from archive.extensions import db
from archive.places.stored import derive_place
from archive.search import SearchParams, search_entries

from support.rows import make_entry
from support.search import titles

CHEONGGYECHEON = (37.5690, 126.9990)
BUKCHON = (37.5826, 126.9836)
SEOUL_FOREST = (37.5444, 127.0374)
AREZZO = (43.4674483, 11.8851267)


def _placed(title: str, point, place_name: str = "") -> None:
    entry = make_entry(title, latitude=point[0], longitude=point[1], place_name=place_name,
                       commit=False)
    derive_place(entry)
    db.session.commit()


def test_latin_hangul_and_gu_names_find_the_photo(search_ctx):
    _placed("Air mengalir", CHEONGGYECHEON, place_name="Pusat kota")
    _placed("Rumah tradisional", BUKCHON)
    _placed("Piazza", AREZZO)
    make_entry("Tanpa GPS")
    assert titles("청계천") == titles("Cheonggyecheon") == ["Air mengalir"]
    assert titles("중구") == ["Air mengalir"]                 # Jung-gu, its gu
    assert titles("종로구") == titles("Jongno") == ["Rumah tradisional"]
    assert titles("북촌") == ["Rumah tradisional"]
    assert sorted(titles("서울")) == ["Air mengalir", "Rumah tradisional"]
    assert titles("tempat:Arezzo") == ["Piazza"] and titles("Tuscany") == ["Piazza"]
    assert titles("Pusat kota") == ["Air mengalir"]          # the typed place still counts


def test_the_place_facet_counts_and_filters(search_ctx):
    _placed("Foto 1", CHEONGGYECHEON)
    _placed("Foto 2", (37.5665, 127.0092))                   # DDP, Jung-gu too
    _placed("Foto 3", BUKCHON)
    _placed("Foto 4", SEOUL_FOREST)
    make_entry("Foto 5")
    res = search_entries(SearchParams(q="foto"))
    facet = {f.label: f.count for f in res.facets["place"]}
    assert facet == {"Jung-gu (중구), Seoul": 2, "Jongno-gu (종로구), Seoul": 1,
                     "Seongdong-gu (성동구), Seoul": 1}
    assert res.facets["place"][0].label == "Jung-gu (중구), Seoul"   # most first
    jung = res.facets["place"][0].value
    filtered = search_entries(SearchParams(q="foto", place=int(jung), per_page=50))
    assert sorted(h.entry.title for h in filtered.hits) == ["Foto 1", "Foto 2"]
    assert [f.active for f in filtered.facets["place"] if f.value == jung] == [True]


def test_the_search_page_shows_the_place_facet(search_ctx):
    _placed("Foto sungai", CHEONGGYECHEON)
    html = search_ctx.test_client().get("/cari?q=foto").get_data(as_text=True)
    assert "Tempat (GPS)" in html and "Jung-gu (중구), Seoul" in html
    value = search_entries(SearchParams(q="foto")).facets["place"][0].value
    filtered = search_ctx.test_client().get(f"/cari?q=foto&place={value}").get_data(as_text=True)
    assert "Foto sungai" in filtered and "Tempat (GPS): Jung-gu (중구), Seoul" in filtered
