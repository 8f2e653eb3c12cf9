"""The place lookup as a pure function: Seoul's landmarks and gu from the shipped
gazetteer, the rest of the world from GeoNames, the typed place located and compared."""
from __future__ import annotations

import time

import numpy as np
import pytest
from PIL import Image

from archive.ingest.exif import read_exif_block
from archive.places import gazetteer
from archive.places.lookup import disagreement, locate, place_of

REALDATA = "/work/shared/realdata/photos"

LANDMARKS = [
    # point, landmark, its Hangul name, the gu the lookup gives
    ((37.5725, 126.9769), "Gwanghwamun Square", "광화문광장", "Jongno-gu"),
    ((37.5690, 126.9990), "Cheonggyecheon", "청계천", "Jung-gu"),
    ((37.5567, 126.9703), "Seoullo 7017", "서울로 7017", "Jung-gu"),
    ((37.5444, 127.0374), "Seoul Forest", "서울숲", "Seongdong-gu"),
    ((37.5512, 126.9882), "Namsan", "남산", "Jung-gu"),
    ((37.5105, 126.9960), "Banpo Hangang Park", "반포한강공원", "Seocho-gu"),
    ((37.5258, 126.9226), "Yeouido Park", "여의도공원", "Yeongdeungpo-gu"),
    ((37.5665, 127.0092), "Dongdaemun Design Plaza", "동대문디자인플라자", "Jung-gu"),
    ((37.5826, 126.9836), "Bukchon", "북촌", "Jongno-gu"),
    ((37.5740, 126.9856), "Insadong", "인사동", "Jongno-gu"),
]


@pytest.mark.parametrize("point,name,hangul,gu", LANDMARKS, ids=[l[1] for l in LANDMARKS])
def test_each_landmark_is_named_in_latin_and_hangul_with_its_gu(point, name, hangul, gu):
    place = place_of(*point)
    assert (place.landmark, place.landmark_local, place.district) == (name, hangul, gu)
    assert (place.city, place.city_local, place.country, place.country_code) == (
        "Seoul", "서울", "South Korea", "KR")
    assert place.label.startswith(name) and hangul in place.label_local


@pytest.mark.parametrize("point,gu,hangul", [
    ((37.4979, 127.0276), "Gangnam-gu", "강남구"),      # Gangnam station
    ((37.6555, 127.0617), "Nowon-gu", "노원구"),        # Nowon station
    ((37.5172, 127.0473), "Gangnam-gu", "강남구"),      # COEX
    ((37.5133, 127.1001), "Songpa-gu", "송파구"),       # Jamsil
    ((37.5796, 126.9770), "Jongno-gu", "종로구"),       # Gyeongbokgung
])
def test_a_point_away_from_landmarks_gets_its_gu_only(point, gu, hangul):
    place = place_of(*point)
    assert (place.district, place.district_local, place.landmark) == (gu, hangul, "")
    assert place.area_label == f"{gu}, Seoul"


def test_every_gu_is_named_in_both_scripts_and_each_decides_itself():
    gus = gazetteer.seoul_gu()
    assert len(gus) == 25 and all(g.name.endswith("-gu") and g.name_ko.endswith("구")
                                  for g in gus.values())
    # A gu's own centroid lies in that gu by the dong points for all but the
    # crescent-shaped ones; at least 22 of 25 must agree.
    agree = sum(gazetteer.gu_at(g.latitude, g.longitude) == g for g in gus.values())
    assert agree >= 22


def test_every_landmark_says_where_its_coordinates_come_from():
    for landmark in gazetteer.landmarks():
        assert landmark.source.startswith("https://") and landmark.licence
        assert all(37.4 < lat < 37.7 and 126.8 < lon < 127.2 for lat, lon in landmark.points)


def _gps(name: str) -> tuple[float, float]:
    with Image.open(f"{REALDATA}/{name}") as image:
        app1 = next(v for k, v in image.applist if k == "APP1")
    meta = read_exif_block(app1)
    return meta.latitude, meta.longitude


@pytest.mark.parametrize("name", ["gps_DSCN0010.jpg", "gps_DSCN0029.jpg"])
def test_the_real_geotagged_photos_are_in_arezzo_tuscany(name):
    place = place_of(*_gps(name))
    assert (place.city, place.region, place.country, place.country_code) == (
        "Arezzo", "Tuscany", "Italy", "IT")
    assert place.district == "" and place.landmark == "" and place.label_local == ""
    assert place.label == "Arezzo, Italy"


def test_bandung_and_nowhere():
    place = place_of(-6.9147, 107.6098)
    assert (place.city, place.region, place.country) == ("Bandung", "West Java", "Indonesia")
    assert place_of(0.0, -150.0) is None            # the Pacific: no town within 50 km
    assert place_of(None, 126.9) is None and place_of(91.0, 0.0) is None
    assert place_of(float("nan"), 0.0) is None


def test_a_typed_place_is_located_by_its_first_known_part():
    assert locate("Cheonggyecheon, Seoul") == locate("청계천")
    assert locate("Jongno") == locate("종로구") == locate("Jongno-gu")
    milan = locate("Milan")
    assert milan and abs(milan[0] - 45.46) < 0.05
    assert locate("Taman") is None and locate("") is None   # a village's plain-word name is not used


def test_disagreement_by_distance_or_by_name():
    arezzo = _gps("gps_DSCN0010.jpg")
    place = place_of(*arezzo)
    far = disagreement("Cheonggyecheon, Seoul", place, *arezzo)
    assert far is not None and 8800 < far.distance_km < 9100
    assert disagreement("Arezzo", place, *arezzo) is None
    florence = disagreement("Florence", place, *arezzo)          # just over the 50 km
    assert florence is not None and 55 < florence.distance_km < 70
    unknown = disagreement("Kantor walikota", place, *arezzo)
    assert unknown is not None and unknown.distance_km is None
    assert disagreement("Piazza Grande, Arezzo", place, *arezzo) is None
    assert disagreement("", place, *arezzo) is None and disagreement("Seoul", None, *arezzo) is None
    seoul = (37.5725, 126.9769)
    assert disagreement("Jongno-gu", place_of(*seoul), *seoul) is None


def test_the_compact_world_answers_like_the_records_it_was_made_from(tmp_path, monkeypatch):
    from archive.places import world as world_module
    from archive.places import worldfile

    records = [
        {"country_code": "IT", "city": "Arezzo", "latitude": 43.46, "longitude": 11.88,
         "population": 100000, "state": "Tuscany", "county": "Province of Arezzo"},
        {"country_code": "KR", "city": "Seoul", "latitude": 37.566, "longitude": 126.978,
         "population": 10000000, "state": "Seoul"},
        {"country_code": "KR", "city": "Sŏngnam", "latitude": 37.438, "longitude": 127.138,
         "population": 900},
    ]
    monkeypatch.setattr(worldfile, "_records", lambda: iter(records))
    path = tmp_path / "geo.bin"
    worldfile.build_cache(path)
    mapped = world_module.World.open(path)
    in_memory = world_module.World.of_bytes(path.read_bytes())
    assert list(mapped.lat) == sorted(r["latitude"] for r in records)
    for w in (mapped, in_memory):
        near = w.nearest(37.5, 127.1)
        assert (near.city, near.country, near.state, near.county) == ("Sŏngnam", "South Korea", "", "")
        assert w.nearest(43.4, 11.9).county == "Province of Arezzo"
        assert w.named("SEOUL").population == 10000000 and w.named("Sŏngnam") is None  # a village


def test_the_latitude_band_finds_the_same_place_as_a_scan_of_all():
    """The band is a shortcut only: land, coast, sea and poles give the place (and the
    distance) that comparing with every place gives."""
    from archive.places.world import world

    places = world()
    rng = np.random.default_rng(7)
    lat = np.concatenate([np.degrees(np.arcsin(rng.uniform(-1, 1, 300))),
                          rng.uniform(37.4, 37.7, 50), [89.99, -89.99, 0.0]])
    lon = np.concatenate([rng.uniform(-180, 180, 300), rng.uniform(126.8, 127.2, 50),
                          [0.0, 180.0, -179.99]])
    for a, b in zip(lat.tolist(), lon.tolist()):
        found, scanned = places.nearest(a, b), places.nearest_by_scan(a, b)
        assert found.distance_km == pytest.approx(scanned.distance_km, abs=1e-6)
        assert (found.city, found.country_code) == (scanned.city, scanned.country_code)


def test_a_failed_load_is_not_retried_for_every_photo(monkeypatch):
    """An unwritable cache folder costs one failed build, not one per photo; the
    photo itself still goes in (analysis logs the lookup's failure)."""
    from archive.places import world as world_module

    calls = []

    def failing():
        calls.append(1)
        raise OSError("read-only cache folder")

    monkeypatch.setattr(world_module, "_world", None)
    monkeypatch.setattr(world_module, "_failed_at", None)
    monkeypatch.setattr(world_module, "load_world", failing)
    with pytest.raises(OSError):
        world_module.world()
    with pytest.raises(world_module.PlacesUnavailable):
        world_module.world()
    assert len(calls) == 1
    monkeypatch.setattr(world_module, "_failed_at", time.monotonic() - world_module.RETRY_SECONDS - 1)
    with pytest.raises(OSError):
        world_module.world()
    assert len(calls) == 2
