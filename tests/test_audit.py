"""The audit log: every change recorded with who, when, from where, what and the
values before and after, in the same transaction as the change; read-only for admins."""
from __future__ import annotations

import csv
import io

from sqlalchemy import select

from archive.audit.models import AuditRecord
from archive.extensions import db
from archive.models import Camat, Kecamatan, User
from support.files import jpeg_bytes
from support.rows import camat_of, ingest


def _records(app, **where) -> list[AuditRecord]:
    with app.app_context():
        stmt = select(AuditRecord).order_by(AuditRecord.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditRecord, key) == value)
        rows = db.session.scalars(stmt).all()
        db.session.expunge_all()
        return rows


def _entry(app, status: str = "draft") -> int:
    with app.app_context():
        [entry_id] = ingest(camat_of("cinambo"), [("a.jpg", jpeg_bytes(7))], status=status,
                            title="Trotoar lebar")
        db.session.commit()
        return entry_id


def test_an_edit_and_a_publish_are_recorded_with_who_and_before_after(app, client, auth):
    entry_id = _entry(app)
    auth.login("cinambo")
    form = {"title": "Trotoar lebar di Jongno", "status": "draft", "description": "",
            "place_name": "", "tags": ""}
    assert client.post(f"/entri/{entry_id}/ubah", data=form).status_code == 302
    client.post(f"/entri/{entry_id}/terbitkan", data={})
    update, publish = _records(app, target="entry", target_id=entry_id)[-2:]
    assert update.action == "update" and update.actor == "cinambo"
    assert update.address == "127.0.0.1"
    assert update.changes["title"] == ["Trotoar lebar 1", "Trotoar lebar di Jongno"]
    assert publish.action == "publish" and publish.changes == {"status": ["draft", "published"]}


def test_the_creation_of_an_entry_by_the_cli_or_a_script_is_recorded(app):
    entry_id = _entry(app)
    [created] = _records(app, target="entry", target_id=entry_id, action="create")
    assert created.actor == "cli" and created.changes["title"] == [None, "Trotoar lebar 1"]
    assert created.summary == "Trotoar lebar 1"


def test_api_changes_name_the_tokens_user(app, client):
    from support.api import bearer, issue_token

    entry_id = _entry(app)
    token = issue_token(app, "cinambo")
    response = client.patch(f"/api/v1/entries/{entry_id}", json={"place_name": "Seoul"},
                            headers=bearer(token))
    assert response.status_code == 200
    [update] = _records(app, target="entry", target_id=entry_id, action="update")
    assert update.actor == "cinambo" and update.changes["place_name"][1] == "Seoul"


def test_a_refused_change_leaves_no_record(app, client, auth):
    _entry(app)
    with app.app_context():
        camat_id = camat_of("cinambo").id
    auth.login("admin")
    before = len(_records(app))  # the login itself is recorded
    response = client.post(f"/admin/camat/{camat_id}/hapus", data={})
    assert response.status_code == 302  # refused with a flashed message: it has entries
    assert len(_records(app)) == before
    with app.app_context():
        assert db.session.get(Camat, camat_id) is not None


def test_logins_are_recorded_and_a_refused_one_is_kept(app, client, auth):
    assert client.post("/masuk", data={"username": "cinambo",
                                       "password": "salah"}).status_code == 401
    assert auth.login("cinambo").status_code == 302
    auth.logout()
    actions = [(r.action, r.actor) for r in _records(app, target="user")
               if r.action.startswith(("login", "logout"))]
    assert actions == [("login_failed", "cinambo"), ("login", "cinambo"), ("logout", "cinambo")]


def test_secrets_are_recorded_as_changed_never_with_their_value(app, client, auth):
    auth.login("admin")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "cinambo"))
    new = "Trotoar-Sungai-Taman-9"
    client.post(f"/admin/pengguna/{user_id}/kata-sandi", data={"password": new, "confirm": new})
    [update] = _records(app, target="user", target_id=user_id, action="update", actor="admin")
    assert update.changes == {"password_hash": ["(rahasia)", "(diubah)"]}


def test_admins_read_filter_and_export_the_log_and_nobody_changes_it(app, client, auth):
    _entry(app)
    auth.login("cinambo")
    assert client.get("/admin/audit").status_code == 403
    auth.logout()
    auth.login("admin")
    page = client.get("/admin/audit?target=entry&action=create")
    assert page.status_code == 200 and "Trotoar lebar 1" in page.get_data(as_text=True)
    assert "login" not in page.get_data(as_text=True).split("<tbody>")[1]
    export = client.get("/admin/audit.csv?target=entry")
    assert export.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows and {r["target"] for r in rows} == {"entry"}
    assert any(r["summary"] == "Trotoar lebar 1" for r in rows)
    # No route writes to the log.
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("audit."):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
    # And the ORM refuses to change a record.
    with app.app_context():
        record = db.session.scalars(select(AuditRecord)).first()
        record.summary = "diubah"
        try:
            db.session.flush()
        except RuntimeError as err:
            assert "never changed" in str(err)
        else:
            raise AssertionError("an audit record was changed")
        db.session.rollback()


def test_every_audited_kind_of_change_is_recorded(app, client, auth):
    """Users, tokens, topics, trips, kecamatan and synonyms, through the admin pages."""
    auth.login("admin")
    new = "Trotoar-Sungai-Taman-9"
    client.post("/admin/pengguna/baru", data={
        "username": "budi", "role": "admin", "kecamatan_id": "", "camat_name": "",
        "password": new, "confirm": new})
    client.post("/admin/kecamatan/baru", data={"name": "Contoh", "city": "Bandung"})
    client.post("/admin/sinonim/", data={"terms": "trotoar, sidewalk"})
    with app.app_context():
        budi = db.session.scalar(select(User.id).where(User.username == "budi"))
        kecamatan = db.session.scalar(select(Kecamatan.id).where(Kecamatan.name == "Contoh"))
    client.post(f"/admin/pengguna/{budi}/token", data={})
    targets = {(r.target, r.action) for r in _records(app)}
    assert {("user", "create"), ("api_token", "create"), ("kecamatan", "create"),
            ("search_synonym", "create")} <= targets, targets
    assert kecamatan is not None and budi is not None
    [created] = _records(app, target="user", target_id=budi, action="create")
    assert created.actor == "admin" and created.changes["password_hash"] == ["", "(rahasia)"]
