"""Who sees and who changes a report, on the pages: author, other camat, admin, visitor."""
from __future__ import annotations

import pytest

from archive.extensions import db
from archive.reports import operations
from archive.reports.models import Report
from support.reports import report_entry
from support.rows import camat_of, seoul


@pytest.fixture
def draft(app) -> dict:
    """A draft report by Cinambo with one section, one item and one card."""
    with app.test_request_context():
        report = operations.create_report(camat_of("cinambo"), seoul(), "Laporan rahasia")
        entry = report_entry("cinambo", "Foto trotoar")
        item = operations.add_item(report.sections[0], entry.id)
        rec = operations.create_recommendation(report, operations.RecommendationFields(title="Kartu"))
        db.session.commit()
        return {"id": report.id, "section": report.sections[0].id, "item": item.id, "rec": rec.id}


def _publish(app, report_id: int) -> None:
    with app.test_request_context():
        operations.set_report_status(db.session.get(Report, report_id), "published")
        db.session.commit()


def _edit_urls(d: dict) -> list[tuple[str, str, dict]]:
    r, s, i, c = d["id"], d["section"], d["item"], d["rec"]
    return [
        ("get", f"/laporan/{r}/ubah", {}),
        ("post", f"/laporan/{r}/ubah", {"title": "Diambil alih"}),
        ("post", f"/laporan/{r}/status", {"status": "draft"}),
        ("post", f"/laporan/{r}/bagian", {"title": "Baru"}),
        ("get", f"/laporan/{r}/bagian/{s}", {}),
        ("post", f"/laporan/{r}/bagian/{s}/geser", {"direction": "down"}),
        ("post", f"/laporan/{r}/bagian/{s}/entri/{i}/hapus", {}),
        ("get", f"/laporan/{r}/rekomendasi/baru", {}),
        ("post", f"/laporan/{r}/rekomendasi/{c}/status", {"status": "adopted"}),
        ("post", f"/laporan/{r}/rekomendasi/{c}/hapus", {}),
        ("post", f"/laporan/{r}/bagian/{s}/hapus", {}),
        ("post", f"/laporan/{r}/hapus", {}),
    ]


def test_visitor_and_other_camat_get_404_for_a_draft(app, client, auth, draft):
    assert client.get(f"/laporan/{draft['id']}").status_code == 404
    assert "Laporan rahasia" not in client.get("/laporan").get_data(as_text=True)
    auth.login("lengkong")
    assert client.get(f"/laporan/{draft['id']}").status_code == 404
    for method, url, data in _edit_urls(draft):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 404, (method, url, response.status_code)


def test_visitor_sees_published_but_cannot_edit(app, client, draft):
    _publish(app, draft["id"])
    page = client.get(f"/laporan/{draft['id']}")
    assert page.status_code == 200 and "Laporan rahasia" in page.get_data(as_text=True)
    assert "Laporan rahasia" in client.get("/laporan").get_data(as_text=True)
    for method, url, data in _edit_urls(draft):
        response = getattr(client, method)(url, data=data)
        # not logged in: sent to the login page, nothing changed
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
    with app.test_request_context():
        assert db.session.get(Report, draft["id"]).title == "Laporan rahasia"


def test_other_camat_gets_403_on_a_published_report(app, client, auth, draft):
    _publish(app, draft["id"])
    auth.login("lengkong")
    assert client.get(f"/laporan/{draft['id']}").status_code == 200
    for method, url, data in _edit_urls(draft):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 403, (method, url, response.status_code)
    with app.test_request_context():
        report = db.session.get(Report, draft["id"])
        assert report.title == "Laporan rahasia" and len(report.sections) == 6
        assert report.recommendations[0].status == "proposed"


def test_author_and_admin_edit(app, client, auth, draft):
    auth.login("cinambo")
    assert client.get(f"/laporan/{draft['id']}").status_code == 200
    assert client.get(f"/laporan/{draft['id']}/ubah").status_code == 200
    assert "Laporan rahasia" in client.get("/laporan").get_data(as_text=True)
    assert "Laporan rahasia" in client.get("/laporan/saya").get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    assert client.get(f"/laporan/{draft['id']}").status_code == 200
    response = client.post(f"/laporan/{draft['id']}/ubah",
                           data={"title": "Disunting admin", "opening": "", "closing": ""})
    assert response.status_code == 302
    with app.test_request_context():
        assert db.session.get(Report, draft["id"]).title == "Disunting admin"


def test_admin_cannot_use_my_reports_page_without_a_camat(client, auth):
    auth.login("admin")
    assert client.get("/laporan/saya").status_code == 403


def test_empty_title_is_refused_with_a_message(app, client, auth, draft):
    auth.login("cinambo")
    response = client.post(f"/laporan/{draft['id']}/ubah", data={"title": "", "opening": "x"})
    assert response.status_code == 400
    assert "field-error" in response.get_data(as_text=True)
    with app.test_request_context():
        assert db.session.get(Report, draft["id"]).opening == ""


def test_forms_need_csrf(csrf_app):
    from archive.seed import demo_password

    client = csrf_app.test_client()
    login_page = client.get("/masuk").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page) or re.search(
        r'name="csrf_token" value="([^"]+)"', login_page)
    assert token, "login form carries a CSRF token"
    client.post("/masuk", data={"username": "cinambo", "password": demo_password("cinambo"),
                                "csrf_token": token.group(1)})
    with csrf_app.test_request_context():
        trip_id = seoul().id
    refused = client.post("/laporan/baru", data={"trip_id": trip_id})
    assert refused.status_code == 400
    page = client.get("/laporan/saya").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    created = client.post("/laporan/baru", data={"trip_id": trip_id, "csrf_token": token.group(1)})
    assert created.status_code == 302 and "/ubah" in created.headers["Location"]


def test_visitors_do_not_see_empty_sections_the_author_does(app, client, auth, draft):
    with app.test_request_context():
        report = db.session.get(Report, draft["id"])
        operations.update_section(report.sections[2], operations.SectionChanges(narrative="Sungai bersih."))
        db.session.commit()
    _publish(app, draft["id"])
    text = client.get(f"/laporan/{draft['id']}").get_data(as_text=True)
    assert "Trotoar" in text and "Sungai bersih." in text  # an item, a narrative
    assert "Taman inovatif" not in text and "belum berisi" not in text
    assert "1 rekomendasi" in client.get("/laporan").get_data(as_text=True)
    auth.login("cinambo")
    text = client.get(f"/laporan/{draft['id']}").get_data(as_text=True)
    assert "Taman inovatif" in text and "belum berisi" in text


def test_builder_forms_work_with_csrf_on(csrf_app):
    """Each builder form carries the token it is checked against (also the prefixed item forms)."""
    import re

    from archive.seed import demo_password
    from archive.reports.models import ReportItem

    client = csrf_app.test_client()

    def token_in(html: str, name: str = "csrf_token") -> str:
        found = re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]+)"', html) or \
            re.search(rf'name="{re.escape(name)}" value="([^"]+)"', html)
        assert found, name
        return found.group(1)

    login = client.get("/masuk").get_data(as_text=True)
    client.post("/masuk", data={"username": "cinambo", "password": demo_password("cinambo"),
                                "csrf_token": token_in(login)})
    with csrf_app.test_request_context():
        report = operations.create_report(camat_of("cinambo"), seoul())
        entries = [report_entry("cinambo", f"Foto {i}") for i in range(2)]
        items = [operations.add_item(report.sections[0], e.id) for e in entries]
        db.session.commit()
        rid, sid, iid = report.id, report.sections[0].id, items[0].id
        item_ids = [i.id for i in items]
    page = client.get(f"/laporan/{rid}/bagian/{sid}").get_data(as_text=True)
    saved = client.post(f"/laporan/{rid}/bagian/{sid}/entri/{iid}", data={
        f"item{iid}-csrf_token": token_in(page, f"item{iid}-csrf_token"),
        f"item{iid}-caption": "Keterangan baru", f"item{iid}-notes": ""})
    assert saved.status_code == 302
    ordered = client.post(f"/laporan/{rid}/bagian/{sid}/entri/urutan", data={
        "csrf_token": token_in(page), "order": f"{item_ids[1]},{item_ids[0]}"})
    assert ordered.status_code == 302
    assert client.post(f"/laporan/{rid}/bagian/{sid}/entri/urutan",
                       data={"order": f"{item_ids[0]},{item_ids[1]}"}).status_code == 400
    with csrf_app.test_request_context():
        assert db.session.get(ReportItem, iid).caption == "Keterangan baru"
        assert [i.id for i in db.session.get(Report, rid).sections[0].items] == list(reversed(item_ids))
