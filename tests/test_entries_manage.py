"""Entry detail, edit, publish, delete, my entries: who may do what, and validation."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from archive.extensions import db
from archive.models import Entry, StoredFile

from support.files import SEOUL, camera_jpeg, encrypted_pdf_bytes, pdf_bytes
from support.rows import latest_entry_id, topic_id
from support.uploads import upload


@pytest.fixture
def draft_id(app, client, auth):
    """A draft photo by Cinambo; the client is logged out afterwards."""
    auth.login("cinambo")
    upload(client, [(camera_jpeg(40), "draf_cinambo.jpg")], topic=topic_id(app, "trees"), tags="pohon")
    auth.logout()
    return latest_entry_id(app)


def _entry(app, entry_id: int) -> Entry | None:
    with app.app_context():
        entry = db.session.get(Entry, entry_id)
        if entry is not None:
            db.session.expunge(entry)
        return entry


def test_drafts_are_404_for_visitors_and_other_camat(client, auth, draft_id):
    urls = [f"/entri/{draft_id}", f"/entri/{draft_id}/thumb/small.jpg", f"/entri/{draft_id}/unduh"]
    for url in urls:
        assert client.get(url).status_code == 404, url
    auth.login("batununggal")
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.get(f"/entri/{draft_id}/ubah").status_code == 404
    assert client.post(f"/entri/{draft_id}/terbitkan").status_code == 404
    auth.logout()
    auth.login("cinambo")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()
    auth.logout()
    auth.login("admin")
    assert client.get(f"/entri/{draft_id}").status_code == 200


def test_publish_and_unpublish(app, client, auth, draft_id):
    auth.login("cinambo")
    response = client.post(f"/entri/{draft_id}/terbitkan")
    assert response.status_code == 302
    assert _entry(app, draft_id).status == "published"
    auth.logout()
    assert client.get(f"/entri/{draft_id}").status_code == 200
    auth.login("batununggal")
    assert client.post(f"/entri/{draft_id}/terbitkan", data={"action": "unpublish"}).status_code == 403
    auth.logout()
    auth.login("cinambo")
    client.post(f"/entri/{draft_id}/terbitkan", data={"action": "unpublish"})
    assert _entry(app, draft_id).status == "draft"


def test_other_camat_gets_403_on_a_published_entry(app, client, auth, draft_id):
    auth.login("cinambo")
    client.post(f"/entri/{draft_id}/terbitkan")
    auth.logout()
    auth.login("lengkong")
    assert client.get(f"/entri/{draft_id}/ubah").status_code == 403
    assert client.post(f"/entri/{draft_id}/ubah", data={"title": "Dibajak"}).status_code == 403
    assert client.post(f"/entri/{draft_id}/hapus").status_code == 403
    page = client.get(f"/entri/{draft_id}").get_data(as_text=True)
    assert f"/entri/{draft_id}/ubah" not in page
    assert _entry(app, draft_id).title != "Dibajak"


def test_edit_saves_fields_and_tags(app, client, auth, draft_id):
    auth.login("cinambo")
    form = client.get(f"/entri/{draft_id}/ubah").get_data(as_text=True)
    assert 'value="pohon"' in form and '<label for="latitude">' in form
    response = client.post(f"/entri/{draft_id}/ubah", data={
        "title": "Pohon peneduh di Seoul", "description": "Akar dilindungi kisi besi.",
        "topic": str(topic_id(app, "trees")), "tags": "pohon, Kisi Besi", "place_name": "Gwanghwamun",
        "taken_at": "2018-07-11T09:30", "latitude": "37,5759", "longitude": "126.9769",
        "status": "published"})
    assert response.status_code == 302
    entry = _entry(app, draft_id)
    assert entry.title == "Pohon peneduh di Seoul" and entry.place_name == "Gwanghwamun"
    assert (entry.latitude, entry.longitude) == (37.5759, 126.9769)
    assert entry.taken_at.isoformat() == "2018-07-11T09:30:00" and entry.status == "published"
    with app.app_context():
        assert db.session.get(Entry, draft_id).tag_names == ["kisi besi", "pohon"]


@pytest.mark.parametrize("fields, message", [
    ({"latitude": "91", "longitude": "10"}, "Lintang harus antara -90 dan 90."),
    ({"latitude": "10", "longitude": "-181"}, "Bujur harus antara -180 dan 180."),
    ({"latitude": "utara", "longitude": "10"}, "Masukkan angka"),
    ({"latitude": "10", "longitude": ""}, "Isi lintang dan bujur sekaligus"),
    ({"title": "  "}, "Judul wajib diisi."),
    ({"taken_at": "kemarin"}, "Tanggal dan jam tidak sah."),
    ({"status": "rahasia"}, "Pilihan ini tidak tersedia."),
    ({"topic": "99999"}, "Pilihan ini tidak tersedia."),
    ({"title": "x" * 301}, "Paling banyak 300 karakter."),
])
def test_edit_validation_messages_stand_next_to_the_field(app, client, auth, draft_id, fields, message):
    auth.login("cinambo")
    data = {"title": "Judul", "status": "draft", "topic": ""}
    data.update(fields)
    response = client.post(f"/entri/{draft_id}/ubah", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html and 'class="field-error"' in html and 'aria-invalid="true"' in html
    assert _entry(app, draft_id).title == "draf cinambo"


def test_delete_asks_then_removes_row_and_files(app, client, auth, draft_id):
    with app.app_context():
        stored = db.session.get(Entry, draft_id).file
        from archive.ingest.storage import original_path
        from archive.ingest.thumbnails import thumbnail_file

        original = original_path(stored)
        thumb = thumbnail_file(stored, "small")
        file_id = stored.id
    assert original.exists() and thumb.exists()
    auth.login("cinambo")
    confirm = client.get(f"/entri/{draft_id}/hapus").get_data(as_text=True)
    assert "Ya, hapus" in confirm and 'method="post"' in confirm
    response = client.post(f"/entri/{draft_id}/hapus")
    assert response.status_code == 302
    assert _entry(app, draft_id) is None
    with app.app_context():
        assert db.session.get(StoredFile, file_id) is None
    assert not original.exists() and not thumb.exists()
    assert client.get(f"/entri/{draft_id}").status_code == 404


def test_admin_may_edit_and_delete_any_entry(app, client, auth, draft_id):
    auth.login("admin")
    assert client.post(f"/entri/{draft_id}/ubah", data={"title": "Oleh admin", "status": "draft",
                                                       "topic": ""}).status_code == 302
    assert _entry(app, draft_id).title == "Oleh admin"
    assert client.post(f"/entri/{draft_id}/hapus").status_code == 302
    assert _entry(app, draft_id) is None


def test_delete_and_publish_are_post_only(client, auth, draft_id):
    auth.login("cinambo")
    assert client.get(f"/entri/{draft_id}/terbitkan").status_code == 405


def test_my_entries_lists_drafts_and_published_with_counts(app, client, auth, draft_id):
    auth.login("cinambo")
    upload(client, [(camera_jpeg(41), "sudah_terbit.jpg")], status="published")
    html = client.get("/entri/saya").get_data(as_text=True)
    assert "1 draf, 1 terbit." in html
    assert "draf cinambo" in html and "sudah terbit" in html
    auth.logout()
    auth.login("lengkong")
    other = client.get("/entri/saya").get_data(as_text=True)
    assert "0 draf, 0 terbit." in other and "draf cinambo" not in other


def test_entry_page_shows_exif_author_card_and_actions(app, client, auth, draft_id):
    auth.login("cinambo")
    html = client.get(f"/entri/{draft_id}").get_data(as_text=True)
    assert "NIKON COOLPIX P6000" in html and "80 × 60 px" in html
    assert "draf_cinambo.jpg" in html and "Perlakuan pohon" in html and "pohon" in html
    assert f"/entri/{draft_id}/thumb/large.jpg" in html and f"/entri/{draft_id}/unduh" in html
    assert ">Terbitkan<" in html and ">Ubah<" in html and ">Hapus<" in html
    # The author card: camat, kecamatan, score, rank, zone, link to the score record.
    card = html.split('class="author-card"')[1].split("</aside>")[0]
    assert "Camat Cinambo" in card and "Kecamatan Cinambo" in card
    assert "93,56" in card and ">1<" in card and "hijau" in card
    assert "/nilai/" in card


def test_paper_page_shows_page_count_viewer_and_excerpt(app, client, auth):
    auth.login("cinambo")
    upload(client, [(pdf_bytes("Penataan reklame di Seoul", pages=3), "makalah_reklame.pdf")],
           status="published")
    entry_id = latest_entry_id(app)
    auth.logout()
    html = client.get(f"/entri/{entry_id}").get_data(as_text=True)
    assert "3 halaman" in html and f"/entri/{entry_id}/paper.pdf" in html
    assert "Penataan reklame di Seoul" in html and 'class="author-card"' in html
    # the first page stands for the paper (tests/test_paper_previews.py)
    with client.get(f"/entri/{entry_id}/thumb/small.jpg") as thumb:
        assert thumb.mimetype == "image/jpeg"


def test_locked_paper_says_text_not_available_and_draft_paper_is_hidden(app, client, auth):
    auth.login("cinambo")
    result = upload(client, [(encrypted_pdf_bytes(), "terkunci.pdf")], status="draft")
    assert result.status_code == 201, result.html
    entry_id = latest_entry_id(app)
    html = client.get(f"/entri/{entry_id}").get_data(as_text=True)
    assert "Teks tidak tersedia untuk paper ini." in html and "teks tidak tersedia" in html
    auth.logout()
    assert client.get(f"/entri/{entry_id}/paper.pdf").status_code == 404


def test_camat_on_several_trips_chooses_the_trip(app, client, auth):
    from archive.models import Camat, Kecamatan, Trip, TripParticipant

    with app.app_context():
        camat = db.session.scalar(select(Camat).join(Kecamatan).where(Kecamatan.name == "Cinambo"))
        trip = Trip(slug="tokyo-2019", title="Studi banding ke Tokyo", host_city="Tokyo", year=2019,
                    score_period="2019")
        db.session.add(trip)
        db.session.flush()
        db.session.add(TripParticipant(trip_id=trip.id, camat_id=camat.id))
        db.session.commit()
        tokyo_id, seoul_id = trip.id, db.session.scalar(select(Trip.id).where(Trip.slug == "seoul-2018"))
    auth.login("cinambo")
    form = client.get("/entri/unggah").get_data(as_text=True)
    assert '<select id="trip"' in form and "Tokyo" in form and "Seoul" in form
    # The most recent trip is chosen by default.
    assert f'<option selected value="{tokyo_id}">' in form or f'value="{tokyo_id}" selected' in form
    assert upload(client, [(camera_jpeg(80), "seoul.jpg")], trip=str(seoul_id)).status_code == 201
    entry_id = latest_entry_id(app)
    assert _entry(app, entry_id).trip_id == seoul_id
    assert upload(client, [(camera_jpeg(81), "tokyo.jpg")], trip=str(tokyo_id)).status_code == 201
    # No score record for 2019 yet: the author card says so instead of showing another period's.
    page = client.get(f"/entri/{latest_entry_id(app)}").get_data(as_text=True)
    card = page.split('class="author-card"')[1].split("</aside>")[0]
    assert "Camat Cinambo" in card and "Belum ada nilai kinerja" in card and "93,56" not in card


def test_deleting_one_entry_leaves_other_entries_files(app, client, auth):
    """Deleting a paper removes its original; another entry's files stay on disk."""
    from archive.ingest.storage import original_path

    auth.login("cinambo")
    upload(client, [(pdf_bytes("Satu"), "satu.pdf"), (camera_jpeg(90), "dua.jpg")])
    paper_id = latest_entry_id(app) - 1
    with app.app_context():
        paper_file = original_path(db.session.get(Entry, paper_id).file)
        photo_file = original_path(db.session.get(Entry, paper_id + 1).file)
    assert client.post(f"/entri/{paper_id}/hapus").status_code == 302
    assert not paper_file.exists() and photo_file.exists()


@pytest.mark.parametrize("target, expected", [
    ("/entri/saya", "/entri/saya"), ("//evil.example/x", None), ("/\\evil.example", None),
    ("https://evil.example/", None)])
def test_publish_returns_only_to_this_site(client, auth, draft_id, target, expected):
    auth.login("cinambo")
    response = client.post(f"/entri/{draft_id}/terbitkan", data={"next": target})
    assert response.headers["Location"] == (expected or f"/entri/{draft_id}")


def test_exif_panel_shows_gps_with_altitude(app, client, auth):
    auth.login("cinambo")
    upload(client, [(camera_jpeg(95, gps=SEOUL), "dengan_gps.jpg")])
    html = client.get(f"/entri/{latest_entry_id(app)}").get_data(as_text=True)
    panel = html.split('class="panel exif"')[1].split("</section>")[0]
    assert "37,5704" in panel and "126,991" in panel and "ketinggian 35,0 m" in panel
    assert "10 Juli 2018, 10:15" in panel
