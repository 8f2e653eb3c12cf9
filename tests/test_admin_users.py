"""Admin user management: create (and link to a camat), roles, passwords, deactivation, API tokens."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from archive.extensions import db
from archive.models import ApiToken, Camat, Kecamatan, User
from archive.auth.models import hash_token


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def _new_user(client, **data):
    form = {"username": "budi", "role": "camat", "kecamatan_id": "", "camat_name": "",
            "password": "Trotoar-Sungai-Taman-9", "confirm": "Trotoar-Sungai-Taman-9"}
    form.update(data)
    return client.post("/admin/pengguna/baru", data=form)


def _kecamatan_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Kecamatan.id).where(Kecamatan.name == name))


def _user_id(app, username: str) -> int:
    with app.app_context():
        return _user(username).id


def test_create_camat_user_creates_the_camat_and_can_log_in(app, client, auth):
    auth.login("admin")
    andir = _kecamatan_id(app, "Andir")
    response = _new_user(client, kecamatan_id=andir, camat_name="Budi Santoso")
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).status_code == 200
    with app.app_context():
        user = _user("budi")
        assert user.role == "camat" and user.active
        assert "Trotoar-Sungai-Taman-9" not in user.password_hash
        assert (user.camat.name, user.camat.kecamatan.name) == ("Budi Santoso", "Andir")
    listing = client.get("/admin/pengguna").get_data(as_text=True)
    assert "budi" in listing and "Budi Santoso" in listing

    auth.logout()
    assert auth.login("budi", "Trotoar-Sungai-Taman-9").status_code == 302
    # logged in, as a camat: the admin pages are closed to them
    assert client.get("/admin/").status_code == 403


def test_camat_user_reuses_the_kecamatans_camat_without_login(app, client, auth):
    auth.login("admin")
    arcamanik = _kecamatan_id(app, "Arcamanik")
    made = client.post("/admin/camat/baru", data={"name": "Siti Aminah", "kecamatan_id": arcamanik,
                                                  "user_id": "", "bio": "Camat sejak 2017."})
    assert made.status_code == 302
    linked = _new_user(client, username="siti", kecamatan_id=arcamanik, camat_name="Abaikan")
    assert linked.status_code == 302
    assert "dihubungkan ke Siti Aminah (Arcamanik)" in client.get(
        linked.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        camat = db.session.scalars(
            select(Camat).where(Camat.kecamatan_id == arcamanik)).one()  # no second row
        assert camat.name == "Siti Aminah" and camat.user.username == "siti"


def test_camat_user_for_a_kecamatan_whose_camat_has_a_login_gets_a_new_camat(app, client, auth):
    auth.login("admin")
    cinambo = _kecamatan_id(app, "Cinambo")
    made = _new_user(client, username="penerus", kecamatan_id=cinambo)
    assert made.status_code == 302
    assert "bersama data camat baru Camat Cinambo (Cinambo)" in client.get(
        made.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        rows = db.session.scalars(select(Camat).where(Camat.kecamatan_id == cinambo)
                                  .order_by(Camat.id)).all()
        assert [c.user.username for c in rows] == ["cinambo", "penerus"]
        assert rows[1].name == "Camat Cinambo"


def test_bad_new_user_input_is_refused_and_nothing_is_saved(app, client, auth):
    auth.login("admin")
    with app.app_context():
        users_before = db.session.scalar(select(func.count(User.id)))
        camat_before = db.session.scalar(select(func.count(Camat.id)))
    andir = _kecamatan_id(app, "Andir")
    cases = [
        (dict(kecamatan_id=andir, password="pendek", confirm="pendek"), 400, "8 sampai 200"),
        (dict(kecamatan_id=andir, confirm="lain-lagi-123"), 400, "Kedua kata sandi tidak sama"),
        (dict(kecamatan_id=""), 400, "Pilih kecamatan"),
        (dict(role="admin", kecamatan_id=andir), 400, "Hanya pengguna camat"),
        (dict(username="Budi Santoso", kecamatan_id=andir), 400, "huruf kecil"),
        (dict(kecamatan_id="999999"), 400, "Pilihan ini tidak tersedia"),
        (dict(role="raja", kecamatan_id=andir), 400, "Pilihan ini tidak tersedia"),
        (dict(username="cinambo", kecamatan_id=andir), 409, "sudah dipakai"),
    ]
    for data, status, message in cases:
        response = _new_user(client, **data)
        assert response.status_code == status, data
        assert message in response.get_data(as_text=True), data
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == users_before
        assert db.session.scalar(select(func.count(Camat.id))) == camat_before


def test_admin_user_without_kecamatan(app, client, auth):
    auth.login("admin")
    assert _new_user(client, username="sekretariat", role="admin").status_code == 302
    auth.logout()
    auth.login("sekretariat", "Trotoar-Sungai-Taman-9")
    assert client.get("/admin/").status_code == 200


def test_deactivated_user_cannot_log_in_until_reactivated(app, client, auth):
    uid = _user_id(app, "cinambo")
    camat_client = app.test_client()
    camat_client.post("/masuk", data={"username": "cinambo", "password": "cinambo-demo"})
    assert camat_client.get("/admin/").status_code == 403  # logged in

    auth.login("admin")
    response = client.post(f"/admin/pengguna/{uid}/status", data={"active": "0"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "dinonaktifkan" in page
    with app.app_context():
        assert _user("cinambo").active is False
    # the running session ends, and a new login is refused
    assert camat_client.get("/admin/").status_code == 302
    refused = camat_client.post("/masuk", data={"username": "cinambo", "password": "cinambo-demo"})
    assert refused.status_code == 401

    client.post(f"/admin/pengguna/{uid}/status", data={"active": "1"})
    assert camat_client.post(
        "/masuk", data={"username": "cinambo", "password": "cinambo-demo"}).status_code == 302


def test_admin_cannot_lock_themself_out(app, client, auth):
    auth.login("admin")
    uid = _user_id(app, "admin")
    response = client.post(f"/admin/pengguna/{uid}/status", data={"active": "0"},
                           follow_redirects=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in response.get_data(as_text=True)
    demote = client.post(f"/admin/pengguna/{uid}/peran", data={"role": "camat"})
    assert demote.status_code == 409
    assert "tidak dapat dicabut" in demote.get_data(as_text=True)
    with app.app_context():
        admin = _user("admin")
        assert admin.active and admin.role == "admin"


def test_change_role_and_reset_password(app, client, auth):
    auth.login("admin")
    uid = _user_id(app, "cinambo")
    assert client.post(f"/admin/pengguna/{uid}/peran", data={"role": "admin"}).status_code == 302
    bad = client.post(f"/admin/pengguna/{uid}/kata-sandi",
                      data={"password": "baru-sekali-1", "confirm": "beda-sekali-1"})
    assert bad.status_code == 400 and "tidak sama" in bad.get_data(as_text=True)
    ok = client.post(f"/admin/pengguna/{uid}/kata-sandi",
                     data={"password": "baru-sekali-1", "confirm": "baru-sekali-1"})
    assert ok.status_code == 302
    other = app.test_client()
    assert other.post("/masuk", data={"username": "cinambo",
                                      "password": "cinambo-demo"}).status_code == 401
    assert other.post("/masuk", data={"username": "cinambo",
                                      "password": "baru-sekali-1"}).status_code == 302
    assert other.get("/admin/").status_code == 200  # now an admin


def test_token_is_shown_once_matches_its_hash_and_works(app, client, auth):
    auth.login("admin")
    uid = _user_id(app, "cinambo")
    response = client.post(f"/admin/pengguna/{uid}/token")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    token = re.search(r'id="api-token"[^>]*value="([^"]+)"', response.get_data(as_text=True)).group(1)
    assert len(token) >= 32
    with app.app_context():
        row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
        assert row is not None and row.user.username == "cinambo"
        token_id = row.id
    # never again: not on the user page, not in the session cookie
    assert token not in client.get(f"/admin/pengguna/{uid}").get_data(as_text=True)
    with client.session_transaction() as session:
        assert token not in repr(dict(session))

    api = app.test_client()
    assert api.get("/api/v1/entries", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert api.get("/api/v1/entries", headers={"Authorization": "Bearer salah"}).status_code == 401

    revoked = client.post(f"/admin/pengguna/{uid}/token/{token_id}/cabut")
    assert revoked.status_code == 302
    with app.app_context():
        assert db.session.get(ApiToken, token_id) is None
    assert api.get("/api/v1/entries", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_revoking_another_users_token_is_a_404(app, client, auth):
    auth.login("admin")
    with app.app_context():
        row, _token = ApiToken.issue(_user("cinambo"))
        db.session.add(row)
        db.session.commit()
        token_id = row.id
    other = _user_id(app, "batununggal")
    response = client.post(f"/admin/pengguna/{other}/token/{token_id}/cabut")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id) is not None


def test_inactive_user_gets_no_token(app, client, auth):
    auth.login("admin")
    uid = _user_id(app, "cinambo")
    client.post(f"/admin/pengguna/{uid}/status", data={"active": "0"})
    response = client.post(f"/admin/pengguna/{uid}/token", follow_redirects=True)
    assert "nonaktif tidak dapat diberi token" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_a_deactivated_users_token_stops_working(app, client, auth):
    auth.login("admin")
    uid = _user_id(app, "cinambo")
    page = client.post(f"/admin/pengguna/{uid}/token").get_data(as_text=True)
    token = re.search(r'id="api-token"[^>]*value="([^"]+)"', page).group(1)
    headers = {"Authorization": f"Bearer {token}"}
    api = app.test_client()
    assert api.get("/api/v1/entries", headers=headers).status_code == 200
    client.post(f"/admin/pengguna/{uid}/status", data={"active": "0"})
    refused = api.get("/api/v1/entries", headers=headers)
    assert refused.status_code == 403 and refused.json["message"]


def test_an_admin_made_camat_without_a_camat_row_is_warned(app, client, auth):
    auth.login("admin")
    assert _new_user(client, username="staf", role="admin").status_code == 302
    uid = _user_id(app, "staf")
    response = client.post(f"/admin/pengguna/{uid}/peran", data={"role": "camat"},
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "belum terhubung ke camat" in text
    with app.app_context():
        assert _user("staf").role == "camat"
