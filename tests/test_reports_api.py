"""Reports in the JSON API: a script builds a report end to end under the page's rules."""
from __future__ import annotations

from sqlalchemy import select

from archive.extensions import db
from archive.models import ApiToken, Kecamatan, User
from archive.reports import operations
from archive.reports.models import Report
from support.reports import report_entry as make_entry
from support.rows import camat_of, seoul


def _token(app, username: str) -> dict:
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username))
        row, token = ApiToken.issue(user)
        db.session.add(row)
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _trip_id(app) -> int:
    with app.test_request_context():
        return seoul().id


def test_round_trip_build_a_report(app, client):
    headers = _token(app, "cinambo")
    with app.test_request_context():
        entries = [make_entry("cinambo", f"Sungai {i}", "rivers", place="청계천") for i in range(3)]
        foreign = make_entry("lengkong", "Sungai Lengkong", "rivers")
        sukajadi = db.session.scalar(select(Kecamatan).where(Kecamatan.name == "Sukajadi")).id
        db.session.commit()
        ids = [e.id for e in entries]
        foreign_id = foreign.id

    created = client.post("/api/v1/reports", headers=headers, json={
        "trip_id": _trip_id(app), "title": "Sungai yang hidup", "opening": "Pembuka **tebal**"})
    assert created.status_code == 201, created.json
    report = created.json
    assert report["status"] == "draft" and report["title"] == "Sungai yang hidup"
    assert len(report["sections"]) == 6
    assert report["opening_html"].startswith("<p>Pembuka <strong>tebal</strong>")
    assert report["pdf_url"].endswith(f"/reports/{report['id']}.pdf")
    assert report["zip_url"].endswith(f"/reports/{report['id']}.zip")
    assert report["slides_url"].endswith(f"/laporan/{report['id']}/slide")
    assert report["author"]["score_record"]["score"] == 93.56
    base = f"/api/v1/reports/{report['id']}"
    rivers = next(s for s in report["sections"] if s["topic"] == "rivers")

    # items: ordered, with captions; another camat's entry is refused, nothing half-written
    response = client.put(f"{base}/sections/{rivers['id']}/items", headers=headers, json={
        "items": [{"entry_id": ids[2], "caption": "Hulu"}, {"entry_id": ids[0]}, ids[1]]})
    assert response.status_code == 200, response.json
    assert [i["entry_id"] for i in response.json["items"]] == [ids[2], ids[0], ids[1]]
    assert [i["position"] for i in response.json["items"]] == [0, 1, 2]
    assert response.json["items"][0]["caption"] == "Hulu"
    assert response.json["items"][1]["caption"] == "Sungai 0. Keterangan Sungai 0."  # proposed: title and description
    refused = client.put(f"{base}/sections/{rivers['id']}/items", headers=headers,
                         json={"items": [{"entry_id": ids[0]}, {"entry_id": foreign_id}]})
    assert refused.status_code == 422 and "bukan milik" in refused.json["message"]
    still = client.get(base, headers=headers).json
    assert [i["entry_id"] for i in next(s for s in still["sections"]
                                        if s["id"] == rivers["id"])["items"]] == [ids[2], ids[0], ids[1]]

    # sections: add, rename, move, reorder, delete
    added = client.post(f"{base}/sections", headers=headers,
                        json={"title": "Catatan tambahan", "narrative": "teks"})
    assert added.status_code == 201 and added.json["position"] == 6
    renamed = client.patch(f"{base}/sections/{added.json['id']}", headers=headers,
                           json={"title": "Pelajaran", "topic": "parks", "position": 0})
    assert renamed.status_code == 200
    assert (renamed.json["title"], renamed.json["topic"], renamed.json["position"]) == (
        "Pelajaran", "parks", 0)
    order = [s["id"] for s in client.get(base, headers=headers).json["sections"]]
    assert order[0] == added.json["id"]
    reordered = client.put(f"{base}/sections/order", headers=headers,
                           json={"order": list(reversed(order))})
    assert [s["id"] for s in reordered.json["sections"]] == list(reversed(order))
    assert client.put(f"{base}/sections/order", headers=headers,
                      json={"order": order[:2]}).status_code == 422
    assert client.delete(f"{base}/sections/{order[1]}", headers=headers).status_code == 204
    positions = [s["position"] for s in client.get(base, headers=headers).json["sections"]]
    assert positions == list(range(6))

    # recommendation cards, status changes also after publication
    card = client.post(f"{base}/recommendations", headers=headers, json={
        "title": "Taman tepi sungai", "topic": "rivers", "practice": "Cheonggyecheon",
        "problem": "Sungai Cinambo kumuh", "kecamatan_id": sukajadi,
        "executor": "Dinas Pekerjaan Umum", "cost_effort": "tinggi", "entry_ids": [ids[0]]})
    assert card.status_code == 201, card.json
    assert card.json["status"] == "proposed" and card.json["kecamatan"] == "Sukajadi"
    assert card.json["entry_ids"] == [ids[0]]
    bad = client.post(f"{base}/recommendations", headers=headers,
                      json={"title": "x", "entry_ids": [foreign_id]})
    assert bad.status_code == 422
    assert client.patch(base, headers=headers, json={"status": "published"}).json["status"] == "published"
    updated = client.patch(f"{base}/recommendations/{card.json['id']}", headers=headers,
                           json={"status": "piloting", "status_note": "Uji coba 2019",
                                 "kecamatan_id": None})
    assert updated.status_code == 200
    assert (updated.json["status"], updated.json["city_wide"], updated.json["title"]) == (
        "piloting", True, "Taman tepi sungai")
    assert client.patch(f"{base}/recommendations/{card.json['id']}", headers=headers,
                        json={"status": "done"}).status_code == 422

    # anyone reads the published report and the public card list
    public = client.get(base)
    assert public.status_code == 200 and public.json["recommendations"][0]["status"] == "piloting"
    cards = client.get("/api/v1/recommendations?status=piloting").json
    assert cards["total"] == 1 and cards["counts"]["piloting"] == 1
    listed = client.get(f"/api/v1/reports?trip={_trip_id(app)}").json
    assert [r["id"] for r in listed["reports"]] == [report["id"]]

    assert client.delete(f"{base}/recommendations/{card.json['id']}", headers=headers).status_code == 204
    assert client.delete(base, headers=headers).status_code == 204
    assert client.get(base).status_code == 404


def test_api_permissions(app, client):
    author, other, admin = (_token(app, u) for u in ("cinambo", "lengkong", "admin"))
    created = client.post("/api/v1/reports", headers=author, json={"trip_id": _trip_id(app)})
    assert created.status_code == 201
    base = f"/api/v1/reports/{created.json['id']}"
    # a draft: 404 to visitors and other camat, readable by admin
    assert client.get(base).status_code == 404
    assert client.get(base, headers=other).status_code == 404
    assert client.get(base, headers=admin).status_code == 200
    assert client.get("/api/v1/reports").json["total"] == 0
    assert client.get("/api/v1/reports", headers=author).json["total"] == 1
    # writing needs a token and the right person
    assert client.patch(base, json={"title": "x"}).status_code == 401
    assert client.patch(base, headers=other, json={"title": "x"}).status_code == 404
    client.patch(base, headers=author, json={"status": "published"})
    denied = client.patch(base, headers=other, json={"title": "Diambil alih"})
    assert denied.status_code == 403 and denied.json["message"]
    assert client.patch(base, headers=admin, json={"title": "Disunting admin"}).status_code == 200
    # a camat cannot open a report for someone else; an admin can
    with app.test_request_context():
        sukajadi_id = camat_of("sukajadi").id
    assert client.post("/api/v1/reports", headers=other,
                       json={"trip_id": _trip_id(app), "camat_id": sukajadi_id}).status_code == 403
    on_behalf = client.post("/api/v1/reports", headers=admin,
                            json={"trip_id": _trip_id(app), "camat_id": sukajadi_id})
    assert on_behalf.status_code == 201 and on_behalf.json["author"]["kecamatan"] == "Sukajadi"
    # the same camat and trip twice is a conflict
    again = client.post("/api/v1/reports", headers=author, json={"trip_id": _trip_id(app)})
    assert again.status_code == 409


def test_api_bad_input_is_a_clear_4xx(app, client):
    headers = _token(app, "cinambo")
    assert client.post("/api/v1/reports", headers=headers, data="nope",
                       content_type="text/plain").status_code == 400
    assert client.post("/api/v1/reports", headers=headers, json={}).status_code == 422
    assert client.post("/api/v1/reports", headers=headers,
                       json={"trip_id": "satu"}).status_code == 422
    assert client.post("/api/v1/reports", headers=headers, json={"trip_id": 999}).status_code == 404
    created = client.post("/api/v1/reports", headers=headers, json={"trip_id": _trip_id(app)}).json
    base = f"/api/v1/reports/{created['id']}"
    for body in ({"title": ""}, {"title": "x" * 301}, {"status": "secret"}, {"title": 5}):
        response = client.patch(base, headers=headers, json=body)
        assert response.status_code == 422, body
        assert response.json["message"]
    assert client.post(f"{base}/sections", headers=headers,
                       json={"title": "x", "topic": "nope"}).status_code == 422
    assert client.put(f"{base}/sections/999/items", headers=headers,
                      json={"items": []}).status_code == 404
    assert client.get("/api/v1/reports?trip=abc").status_code == 400
    with app.test_request_context():
        assert db.session.get(Report, created["id"]).title == operations.default_title(
            camat_of("cinambo"), seoul())


def test_ids_beyond_the_database_range_are_not_found_not_a_crash(app, client, auth):
    """PostgreSQL errors on an id past 32 bits; the answer must still be a plain 404/422."""
    headers = _token(app, "cinambo")
    huge = 2**40
    assert client.get(f"/api/v1/reports/{huge}").status_code == 404
    assert client.post("/api/v1/reports", headers=headers, json={"trip_id": huge}).status_code == 404
    created = client.post("/api/v1/reports", headers=headers, json={"trip_id": _trip_id(app)}).json
    base = f"/api/v1/reports/{created['id']}"
    section = created["sections"][0]["id"]
    response = client.put(f"{base}/sections/{section}/items", headers=headers,
                          json={"items": [{"entry_id": huge}]})
    assert response.status_code == 422 and response.json["message"]
    assert client.post(f"{base}/recommendations", headers=headers,
                       json={"title": "x", "kecamatan_id": huge}).status_code == 422
    assert client.patch(f"{base}/sections/{huge}", headers=headers,
                        json={"title": "x"}).status_code == 404
    auth.login("cinambo")
    assert client.get(f"/laporan/{huge}").status_code == 404
    assert client.get(f"/laporan/{created['id']}/bagian/{huge}").status_code == 404
    page = client.post(f"/laporan/{created['id']}/bagian/{section}/entri",
                       data={"entry_id": str(huge)}, follow_redirects=True)
    assert page.status_code == 200 and "tidak ditemukan" in page.get_data(as_text=True)
