"""Admin pages for the archive's reference data: kecamatan, camat, trips, topics
(score records: tests/test_scores_admin.py)."""
from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from archive.extensions import db
from archive.models import Camat, Entry, Kecamatan, ScoreRecord, StoredFile, Topic, Trip, User


@pytest.fixture
def admin(client, auth):
    auth.login("admin")
    return client


def _id(app, model, **keys) -> int:
    with app.app_context():
        return db.session.scalar(select(model.id).filter_by(**keys))


def _camat_id(app, kecamatan: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Camat.id).join(Kecamatan).where(Kecamatan.name == kecamatan))


def _make_entry(app, *, camat: str = "Cinambo", topic: str | None = "sidewalks",
                trip: str = "seoul-2018", title: str = "Trotoar Myeongdong") -> int:
    """An entry row straight in the database: the admin pages only count and guard it."""
    camat_id = _camat_id(app, camat)
    with app.app_context():
        stored = StoredFile(sha256=hashlib.sha256(title.encode()).hexdigest(), kind="photo",
                            mime_type="image/jpeg", size_bytes=1, storage_path="x/y.jpg",
                            original_name="a.jpg")
        entry = Entry(
            trip_id=db.session.scalar(select(Trip.id).where(Trip.slug == trip)),
            camat_id=camat_id,
            topic_id=db.session.scalar(select(Topic.id).where(Topic.slug == topic)) if topic else None,
            file=stored, kind="photo", title=title, status="published",
        )
        db.session.add(entry)
        db.session.commit()
        return entry.id


# Topics ------------------------------------------------------------------

def _topic_form(**data) -> dict:
    form = {"slug": "lampu-jalan", "name_id": "Lampu jalan", "name_en": "Street lighting",
            "description": "Penerangan jalan umum.", "position": "7"}
    form.update(data)
    return form


def test_new_topic_appears_in_the_lists_and_on_the_home_page(app, admin):
    response = admin.post("/admin/topik/baru", data=_topic_form())
    assert response.status_code == 302
    assert "Lampu jalan" in admin.get("/admin/topik").get_data(as_text=True)
    with app.app_context():
        topic = db.session.scalar(select(Topic).where(Topic.slug == "lampu-jalan"))
        assert (topic.name_id, topic.name_en, topic.position) == ("Lampu jalan", "Street lighting", 7)
    home = admin.get("/").get_data(as_text=True)
    assert "Lampu jalan" in home
    assert admin.get("/topik/lampu-jalan").status_code == 200


def test_topic_form_refuses_bad_and_duplicate_slugs(app, admin):
    bad = admin.post("/admin/topik/baru", data=_topic_form(slug="Lampu Jalan"))
    assert bad.status_code == 400 and "huruf kecil, angka dan tanda hubung" in bad.get_data(as_text=True)
    dup = admin.post("/admin/topik/baru", data=_topic_form(slug="rivers"))
    assert dup.status_code == 409 and "sudah dipakai topik lain" in dup.get_data(as_text=True)
    empty = admin.post("/admin/topik/baru", data=_topic_form(name_id="", position="-1"))
    text = empty.get_data(as_text=True)
    assert empty.status_code == 400 and "Wajib diisi" in text and "antara 0 dan 1000" in text
    with app.app_context():
        assert db.session.scalar(select(func.count(Topic.id))) == 6


def test_topic_rename_and_no_deleting_a_topic_in_use(app, admin):
    rivers = _id(app, Topic, slug="rivers")
    edited = admin.post(f"/admin/topik/{rivers}", data=_topic_form(
        slug="rivers", name_id="Sungai dan kali", name_en="Rivers and streams", position="2"))
    assert edited.status_code == 302
    with app.app_context():
        assert db.session.get(Topic, rivers).name_id == "Sungai dan kali"

    _make_entry(app, topic="sidewalks")
    sidewalks = _id(app, Topic, slug="sidewalks")
    refused = admin.post(f"/admin/topik/{sidewalks}/hapus", follow_redirects=True)
    assert "masih dipakai oleh 1 entri" in refused.get_data(as_text=True)
    assert admin.post(f"/admin/topik/{rivers}/hapus").status_code == 302
    with app.app_context():
        assert db.session.get(Topic, sidewalks) is not None
        assert db.session.get(Topic, rivers) is None


# Trips -------------------------------------------------------------------

def _trip_form(**data) -> dict:
    form = {"slug": "tokyo-2019", "title": "Studi banding ke Tokyo", "program": "Smart City",
            "origin_city": "Bandung", "host_city": "Tokyo", "host_country": "Jepang", "year": "2019",
            "start_date": "2019-07-08", "end_date": "2019-07-12", "score_period": "2018",
            "description": "Kunjungan kedua."}
    form.update(data)
    return form


def test_trip_created_with_participants_and_edited(app, admin):
    participants = [_camat_id(app, "Cinambo"), _camat_id(app, "Lengkong")]
    response = admin.post("/admin/kunjungan/baru", data=_trip_form(participants=participants))
    assert response.status_code == 302
    with app.app_context():
        trip = db.session.scalar(select(Trip).where(Trip.slug == "tokyo-2019"))
        assert (trip.host_city, trip.year, trip.start_date) == ("Tokyo", 2019, date(2019, 7, 8))
        assert sorted(p.camat.kecamatan.name for p in trip.participants) == ["Cinambo", "Lengkong"]
        trip_id = trip.id
    assert "Studi banding ke Tokyo" in admin.get("/admin/kunjungan").get_data(as_text=True)
    page = admin.get(f"/admin/kunjungan/{trip_id}").get_data(as_text=True)
    assert page.count("checked") == 2

    swapped = [_camat_id(app, "Lengkong"), _camat_id(app, "Coblong")]
    assert admin.post(f"/admin/kunjungan/{trip_id}",
                      data=_trip_form(participants=swapped)).status_code == 302
    with app.app_context():
        names = sorted(p.camat.kecamatan.name for p in db.session.get(Trip, trip_id).participants)
        assert names == ["Coblong", "Lengkong"]


def test_trip_form_offers_the_scoring_periods(app, admin):
    """The period that earned a trip is chosen from the periods, not typed."""
    page = admin.get("/admin/kunjungan/baru").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="score_period".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option[^>]*value="([^"]+)"', select_html) == ["2018"]


@pytest.mark.parametrize("data, status, message", [
    ({"slug": "Tokyo 2019"}, 400, "huruf kecil, angka dan tanda hubung"),
    ({"slug": "seoul-2018"}, 409, "sudah dipakai kunjungan lain"),
    ({"end_date": "2019-07-01"}, 400, "tidak boleh sebelum tanggal mulai"),
    ({"year": "19"}, 400, "antara 1945 dan 2100"),
    ({"year": "dua ribu"}, 400, "bilangan bulat"),
    ({"start_date": "8 Juli"}, 400, "tanggal yang sah"),
    ({"host_city": ""}, 400, "Wajib diisi"),
    ({"participants": ["999999"]}, 400, "Pilihan ini tidak tersedia"),
    ({"score_period": "2019"}, 400, "Periode 2019 belum ada"),
    ({"score_period": ""}, 400, "Wajib diisi"),
])
def test_trip_validation(app, admin, data, status, message):
    response = admin.post("/admin/kunjungan/baru", data=_trip_form(**data))
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Trip.id))) == 1


def test_participant_with_entries_stays_and_trip_with_entries_is_not_deleted(app, admin):
    seoul = _id(app, Trip, slug="seoul-2018")
    _make_entry(app, camat="Cinambo")
    with app.app_context():
        others = [p.camat_id for p in db.session.get(Trip, seoul).participants
                  if p.camat.kecamatan.name != "Cinambo"]
    form = _trip_form(slug="seoul-2018", title="Studi banding ke Seoul", host_city="Seoul",
                      year="2018", score_period="2018", participants=others)
    response = admin.post(f"/admin/kunjungan/{seoul}", data=form)
    assert response.status_code == 409
    assert "sudah punya entri di kunjungan ini" in response.get_data(as_text=True)
    refused = admin.post(f"/admin/kunjungan/{seoul}/hapus", follow_redirects=True)
    assert "masih dipakai oleh 1 entri" in refused.get_data(as_text=True)
    with app.app_context():
        trip = db.session.get(Trip, seoul)
        assert trip.host_city == "Seoul" and trip.title.startswith("Studi banding camat")
        assert len(trip.participants) == 10


def test_trip_without_entries_is_deleted_with_its_participant_list(app, admin):
    admin.post("/admin/kunjungan/baru", data=_trip_form(participants=[_camat_id(app, "Cinambo")]))
    trip_id = _id(app, Trip, slug="tokyo-2019")
    assert admin.post(f"/admin/kunjungan/{trip_id}/hapus").status_code == 302
    with app.app_context():
        assert db.session.get(Trip, trip_id) is None


# Kecamatan and camat -----------------------------------------------------

def test_kecamatan_added_renamed_and_duplicates_refused(app, admin):
    assert admin.post("/admin/kecamatan/baru",
                      data={"name": "Cimahi Utara", "city": "Cimahi"}).status_code == 302
    listing = admin.get("/admin/kecamatan").get_data(as_text=True)
    assert "Cimahi Utara" in listing and "Cimahi" in listing
    dup = admin.post("/admin/kecamatan/baru", data={"name": "Andir", "city": "Bandung"})
    assert dup.status_code == 409 and "sudah ada" in dup.get_data(as_text=True)
    # the same name in another city is another kecamatan
    assert admin.post("/admin/kecamatan/baru",
                      data={"name": "Andir", "city": "Cimahi"}).status_code == 302
    buahbatu = _id(app, Kecamatan, name="Buahbatu")
    assert admin.post(f"/admin/kecamatan/{buahbatu}",
                      data={"name": "Buah Batu", "city": "Bandung"}).status_code == 302
    with app.app_context():
        assert db.session.get(Kecamatan, buahbatu).name == "Buah Batu"
        assert db.session.scalar(select(func.count(Kecamatan.id))) == 32


def test_camat_edit_links_a_login_and_refuses_one_already_linked(app, admin):
    cinambo = _camat_id(app, "Cinambo")
    form = {"name": "Drs. H. Camat Cinambo", "kecamatan_id": _id(app, Kecamatan, name="Cinambo"),
            "user_id": _id(app, User, username="cinambo"), "bio": "Peringkat 1 SIP 2018."}
    assert admin.post(f"/admin/camat/{cinambo}", data=form).status_code == 302
    with app.app_context():
        camat = db.session.get(Camat, cinambo)
        assert (camat.name, camat.bio) == ("Drs. H. Camat Cinambo", "Peringkat 1 SIP 2018.")
    # lengkong's login belongs to the camat of Lengkong: not offered, and refused if forced
    page = admin.get(f"/admin/camat/{cinambo}").get_data(as_text=True)
    assert ">lengkong<" not in page and ">cinambo<" in page
    taken = admin.post(f"/admin/camat/{cinambo}",
                       data={**form, "user_id": _id(app, User, username="lengkong")})
    assert taken.status_code == 400
    with app.app_context():
        assert db.session.get(Camat, cinambo).user.username == "cinambo"


def test_camat_with_entries_is_not_deleted(app, admin):
    _make_entry(app, camat="Cinambo")
    cinambo = _camat_id(app, "Cinambo")
    refused = admin.post(f"/admin/camat/{cinambo}/hapus", follow_redirects=True)
    assert "masih dipakai oleh 1 entri" in refused.get_data(as_text=True)
    lengkong = _camat_id(app, "Lengkong")
    assert admin.post(f"/admin/camat/{lengkong}/hapus").status_code == 302
    with app.app_context():
        assert db.session.get(Camat, cinambo) is not None
        assert db.session.get(Camat, lengkong) is None
        # the login stays; only the camat row and its trip places go
        assert db.session.scalar(select(User).where(User.username == "lengkong")) is not None


# Dashboard ---------------------------------------------------------------

def test_dashboard_counts(app, admin):
    untopiced = _make_entry(app, topic=None, title="Halte tanpa topik")
    _make_entry(app, topic="rivers", title="Cheonggyecheon")
    page = admin.get("/admin/").get_data(as_text=True)
    assert "Halte tanpa topik" in page and "Cheonggyecheon" not in page
    # "choose a topic" opens the entry's edit page, which an admin may use for anyone's entry
    assert f'href="/entri/{untopiced}/ubah"' in page
    assert admin.get(f"/entri/{untopiced}/ubah").status_code == 200
    seoul = _id(app, Trip, slug="seoul-2018")
    assert f'href="/admin/kunjungan/{seoul}"' in page  # the trip's links
    with app.app_context():
        from archive.admin.operations.users import dashboard_counts

        counts = dashboard_counts()
    assert counts.entries["published"]["photo"] == 2 and counts.entries["draft"]["paper"] == 0
    assert (counts.entries_total, counts.entries_without_topic) == (2, 1)
    assert (counts.camat, counts.users, counts.trips, counts.topics) == (10, 11, 1, 6)


def test_names_are_shown_escaped(app, admin):
    response = admin.post("/admin/topik/baru", data=_topic_form(
        name_id="<script>alert(1)</script>", name_en="<b>bold</b>"))
    assert response.status_code == 302
    flashed = admin.get("/admin/topik").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in flashed and "<b>bold</b>" not in flashed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in flashed


def test_a_duplicate_that_slips_past_the_check_is_still_a_clear_409(app, admin, monkeypatch):
    """Two admins saving at once: the database's unique constraint answers, not a 500."""
    from archive.admin.operations import checks

    monkeypatch.setattr(checks, "taken", lambda row, **keys: False)
    response = admin.post("/admin/topik/baru", data=_topic_form(slug="rivers"))
    assert response.status_code == 409
    assert "sudah dipakai topik lain" in response.get_data(as_text=True)
    user = admin.post("/admin/pengguna/baru", data={
        "username": "cinambo", "role": "camat", "kecamatan_id": _id(app, Kecamatan, name="Andir"),
        "camat_name": "", "password": "Trotoar-Sungai-Taman-9", "confirm": "Trotoar-Sungai-Taman-9"})
    assert user.status_code == 409 and "sudah dipakai" in user.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Topic.id))) == 6
        assert db.session.scalar(select(func.count(ScoreRecord.id))) == 10
        assert db.session.scalar(select(func.count(User.id))) == 11
        assert db.session.scalar(select(func.count(Camat.id))) == 10
