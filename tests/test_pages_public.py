"""The public pages: home, topics, camat profiles, score records, trip, map; numbers, language."""
from __future__ import annotations

import re

from sqlalchemy import select

from archive.extensions import db
from archive.models import Kecamatan, ScoreRecord

from support.files import SEOUL, camera_jpeg
from support.rows import camat_id, topic_id
from support.uploads import upload


def _record_id(app, kecamatan: str) -> int:
    with app.app_context():
        return db.session.scalar(select(ScoreRecord.id).join(Kecamatan).where(Kecamatan.name == kecamatan))


def test_home_shows_trip_topics_and_ranked_camat(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Seoul" in html and "Innovation in Public Sector Administration" in html
    for topic in ("Trotoar", "Perlakuan pohon", "Sungai", "Penataan informasi dan reklame",
                  "Taman inovatif", "Aksesoris perkotaan"):
        assert topic in html
    # Indonesian decimal comma, ranks in order: Cinambo first, Bojongloa Kaler tenth.
    assert "93,56" in html and "87,04" in html and "93.56" not in html
    assert html.index("Camat Cinambo") < html.index("Camat Batununggal") < html.index("Camat Bojongloa Kaler")
    assert "hijau" in html
    assert "0 entri terbit" in html


def test_english_uses_decimal_point_and_english_topic_names(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "93.56" in html and "93,56" not in html
    assert "Street furniture" in html
    assert '<html lang="en">' in html


def test_header_has_navigation_search_and_login(client, auth):
    html = client.get("/").get_data(as_text=True)
    for label in ("Beranda", "Topik", "Camat", "Peta", "Masuk"):
        assert f">{label}<" in html
    assert 'role="search"' in html and 'name="q"' in html
    assert "Unggah" not in html
    auth.login("cinambo")
    html = client.get("/").get_data(as_text=True)
    assert ">Unggah<" in html and ">Entri saya<" in html and ">Keluar<" in html
    assert 'action="/keluar"' in html and 'method="post"' in html


def test_topic_page_lists_published_entries_and_filters_by_camat(app, client, auth):
    auth.login("cinambo")
    upload(client, [(camera_jpeg(1), "sungai.jpg")], topic=topic_id(app, "rivers"), status="published")
    auth.logout()
    auth.login("lengkong")
    upload(client, [(camera_jpeg(2), "sungai_lengkong.jpg")], topic=topic_id(app, "rivers"), status="published")
    upload(client, [(camera_jpeg(3), "draf_tersembunyi.jpg")], topic=topic_id(app, "rivers"), status="draft")
    auth.logout()
    html = client.get("/topik/rivers").get_data(as_text=True)
    assert "sungai" in html and "sungai lengkong" in html
    assert "draf tersembunyi" not in html
    assert "2 entri" in html
    cinambo = camat_id(app, "Cinambo")
    only = client.get(f"/topik/rivers?camat={cinambo}").get_data(as_text=True)
    assert "1 entri" in only and "lengkong" not in only.split('class="entry-grid"')[1].lower()
    assert client.get("/topik/tidak-ada").status_code == 404
    assert client.get("/topik").status_code == 200


def test_camat_profile_shows_score_and_hides_drafts_from_others(app, client, auth):
    cinambo = camat_id(app, "Cinambo")
    auth.login("cinambo")
    upload(client, [(camera_jpeg(10), "terbit.jpg")], topic=topic_id(app, "parks"), status="published")
    upload(client, [(camera_jpeg(11), "rahasia_draf.jpg")], status="draft")
    own = client.get(f"/camat/{cinambo}").get_data(as_text=True)
    assert "rahasia draf" in own.lower() and "Taman inovatif" in own
    auth.logout()
    visitor = client.get(f"/camat/{cinambo}")
    html = visitor.get_data(as_text=True)
    assert visitor.status_code == 200
    assert "Camat Cinambo" in html and "Kecamatan Cinambo, Kota Bandung" in html
    assert "93,56" in html and "Periode 2018" in html
    assert "terbit" in html.lower() and "rahasia" not in html.lower()
    auth.login("batununggal")
    assert "rahasia" not in client.get(f"/camat/{cinambo}").get_data(as_text=True).lower()
    auth.logout()
    auth.login("admin")
    assert "rahasia" in client.get(f"/camat/{cinambo}").get_data(as_text=True).lower()
    assert client.get("/camat/99999").status_code == 404


def test_camat_list(client):
    html = client.get("/camat").get_data(as_text=True)
    assert "Camat Cinambo" in html and "Camat Bojongloa Kaler" in html and "87,04" in html


def test_score_record_page_shows_criteria_and_links_back(app, client):
    record_id = _record_id(app, "Cinambo")
    cinambo = camat_id(app, "Cinambo")
    response = client.get(f"/nilai/{record_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "93,56" in html and "Periode 2018" in html and "hijau" in html
    assert "Kualitas pelayanan publik" in html and "tidak dipublikasikan" in html
    assert "Sistem Informasi Penilaian" in html
    assert f'href="/camat/{cinambo}"' in html
    assert client.get("/nilai/424242").status_code == 404


def test_trip_page_lists_participants_ranked(client):
    response = client.get("/kunjungan/seoul-2018")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Innovation in Public Sector Administration" in html
    ranks = re.findall(r'<td class="num">(\d+)</td>\s*<th scope="row">', html)
    assert ranks[:3] == ["1", "2", "3"] and len(ranks) == 10
    assert client.get("/kunjungan/mars-2099").status_code == 404


def test_map_lists_places_of_published_entries_with_gps(app, client, auth):
    empty = client.get("/peta").get_data(as_text=True)
    assert "Belum ada entri terbit dengan posisi GPS" in empty
    auth.login("cinambo")
    upload(client, [(camera_jpeg(20, gps=SEOUL), "gps.jpg")], place_name="Cheonggyecheon",
           status="published")
    upload(client, [(camera_jpeg(21, gps=SEOUL), "gps-draf.jpg")], place_name="Rahasia", status="draft")
    auth.logout()
    html = client.get("/peta").get_data(as_text=True)
    assert "Cheonggyecheon" in html and "Rahasia" not in html
    assert "vendor/leaflet/leaflet.js" in html and 'data-lat="37.57' in html
    assert "37,5704" in html  # the list shows the place even when map tiles never load


def test_vendored_leaflet_is_served_locally(client):
    response = client.get("/static/vendor/leaflet/leaflet.js")
    assert response.status_code == 200 and b"Leaflet" in response.data[:400]
    response.close()


def test_error_page_is_friendly_and_escaped(client):
    response = client.get("/camat/0")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'class="error-message"' in html and "tidak ditemukan" in html


def test_topic_page_paginates_and_keeps_the_filter(app, client, auth):
    app.config["ENTRIES_PER_PAGE"] = 2
    auth.login("cinambo")
    rivers = topic_id(app, "rivers")
    upload(client, [(camera_jpeg(70 + n), f"halaman_{n}.jpg") for n in range(3)], topic=rivers,
           status="published")
    camat = camat_id(app, "Cinambo")
    first = client.get(f"/topik/rivers?camat={camat}").get_data(as_text=True)
    assert 'class="pagination"' in first and f"camat={camat}" in first and "page=2" in first
    second = client.get(f"/topik/rivers?camat={camat}&page=2").get_data(as_text=True)
    assert second.count('<article class="entry-card') == 1
    assert client.get("/topik/rivers?page=99").status_code == 200
    assert client.get("/topik/rivers?page=abc").status_code == 200
