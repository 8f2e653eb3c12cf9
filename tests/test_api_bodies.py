"""Request bodies of every writing endpoint: a bad field is a 422 naming the field,
with our own sentence in Indonesian, or in English with the ``lang=en`` cookie."""
from __future__ import annotations

import io

import pytest

from support.api import bearer
from support.files import jpeg_bytes
from support.rows import add_entry, seoul

ENTRY_FIELDS = "description, latitude, longitude, place_name, status, tags, title, topic"
UPLOAD_FIELDS = "description, file, place_name, status, tags, title, topic, trip"

# (method, address, body, field, Indonesian message, English message); the
# address is filled in with the entry, report, section and card made below.
CASES = [
    ("patch", "/entries/{entry}", {"title": 5}, "title",
     "Kolom 'title' harus berupa teks.", "The field 'title' must be text."),
    ("patch", "/entries/{entry}", {"title": "x" * 301}, "title",
     "Kolom 'title' paling panjang 300 karakter.",
     "The field 'title' can be at most 300 characters."),
    ("patch", "/entries/{entry}", {"title": " \x00 "}, "title",
     "Kolom 'title' tidak boleh kosong.", "The field 'title' must not be empty."),
    ("patch", "/entries/{entry}", {"colour": "red", "title": 5}, "colour",
     f"Kolom tidak dikenal: colour. Kolom yang boleh: {ENTRY_FIELDS}.",
     f"Unknown fields: colour. Allowed fields: {ENTRY_FIELDS}."),
    ("patch", "/entries/{entry}", {"status": "archived"}, "status",
     "Kolom 'status' harus salah satu dari: draft, published.",
     "The field 'status' must be one of: draft, published."),
    ("patch", "/entries/{entry}", {"latitude": True, "longitude": 0}, "latitude",
     "Kolom 'latitude' harus angka desimal (derajat).",
     "The field 'latitude' must be a decimal number (degrees)."),
    ("patch", "/entries/{entry}", {"latitude": 0, "longitude": -181}, "longitude",
     "Kolom 'longitude' harus di antara -180 dan 180.",
     "The field 'longitude' must be between -180 and 180."),
    ("upload", "/entries", {"title": "x" * 301}, "title",
     "Kolom 'title' paling panjang 300 karakter.",
     "The field 'title' can be at most 300 characters."),
    ("upload", "/entries", {"tag": "sungai"}, "tag",
     f"Kolom tidak dikenal: tag. Kolom yang boleh: {UPLOAD_FIELDS}.",
     f"Unknown fields: tag. Allowed fields: {UPLOAD_FIELDS}."),
    ("post", "/reports", {"title": "Laporan"}, "trip_id",
     "Kolom 'trip_id' wajib diisi.", "The field 'trip_id' is required."),
    ("post", "/reports", {"trip_id": "satu"}, "trip_id",
     "Kolom 'trip_id' harus bilangan bulat.", "The field 'trip_id' must be a whole number."),
    ("patch", "/reports/{report}", {"title": "x" * 301}, "title",
     "Kolom 'title' paling panjang 300 karakter.",
     "The field 'title' can be at most 300 characters."),
    ("patch", "/reports/{report}", {"opening": 5}, "opening",
     "Kolom 'opening' harus berupa teks.", "The field 'opening' must be text."),
    ("post", "/reports/{report}/sections", {"title": "Bagian", "narrative": ["a"]}, "narrative",
     "Kolom 'narrative' harus berupa teks.", "The field 'narrative' must be text."),
    ("patch", "/reports/{report}/sections/{section}", {"position": "1"}, "position",
     "Kolom 'position' harus bilangan bulat.", "The field 'position' must be a whole number."),
    ("put", "/reports/{report}/sections/order", {"order": "1,2"}, "order",
     "Kolom 'order' harus berupa daftar.", "The field 'order' must be a list."),
    ("put", "/reports/{report}/sections/{section}/items",
     {"items": [{"entry_id": 1, "caption": 5}]}, "items.0.caption",
     "Kolom 'caption' harus berupa teks.", "The field 'caption' must be text."),
    ("put", "/reports/{report}/sections/{section}/items", {"items": [7, "x"]}, "items.1",
     "Setiap butir 'items' harus berupa objek JSON.",
     "Every item in 'items' must be a JSON object."),
    ("post", "/reports/{report}/recommendations", {"title": "Kartu", "entry_ids": [None]},
     "entry_ids.0", "Kolom 'entry_ids' harus bilangan bulat.",
     "The field 'entry_ids' must be a whole number."),
    ("patch", "/reports/{report}/recommendations/{card}", {"executor": "e" * 301}, "executor",
     "Kolom 'executor' paling panjang 300 karakter.",
     "The field 'executor' can be at most 300 characters."),
    ("patch", "/reports/{report}/recommendations/{card}", {"kecamatan_id": "1"}, "kecamatan_id",
     "Kolom 'kecamatan_id' harus bilangan bulat.",
     "The field 'kecamatan_id' must be a whole number."),
]


@pytest.fixture
def places(app, client, tokens):
    """The addresses' ids: an entry, and a report with a section and a card, all cinambo's."""
    me = bearer(tokens["cinambo"])
    with app.test_request_context():
        trip_id = seoul().id
    report = client.post("/api/v1/reports", headers=me, json={"trip_id": trip_id}).get_json()
    card = client.post(f"/api/v1/reports/{report['id']}/recommendations", headers=me,
                       json={"title": "Kartu"}).get_json()
    return {"entry": add_entry(app), "report": report["id"],
            "section": report["sections"][0]["id"], "card": card["id"]}


def _send(client, token: str, method: str, address: str, body: dict):
    headers = bearer(token)
    if method == "upload":
        data = {"file": (io.BytesIO(jpeg_bytes(21)), "foto.jpg"), **body}
        return client.post(f"/api/v1{address}", data=data, headers=headers,
                           content_type="multipart/form-data")
    return getattr(client, method)(f"/api/v1{address}", json=body, headers=headers)


@pytest.mark.parametrize("method, address, body, field, message_id, message_en", CASES,
                         ids=[f"{c[0]} {c[1]} {c[3]}" for c in CASES])
def test_a_bad_field_is_422_naming_it_in_the_callers_language(
        client, tokens, places, method, address, body, field, message_id, message_en):
    address = address.format(**places)
    for language, message in (("id", message_id), ("en", message_en)):
        client.set_cookie("lang", language)  # as ?lang= on any page leaves it
        response = _send(client, tokens["cinambo"], method, address, body)
        assert response.status_code == 422, response.get_json()
        assert response.get_json() == {"message": message, "status": 422, "field": field}


def test_nothing_of_a_refused_body_is_kept(app, client, tokens, places):
    me = bearer(tokens["cinambo"])
    entry = f"/api/v1/entries/{places['entry']}"
    before = client.get(entry).get_json()
    # A good field beside a bad one: the whole change is refused.
    assert client.patch(entry, headers=me, json={"description": "baru",
                                                 "latitude": 95, "longitude": 0}).status_code == 422
    assert client.get(entry).get_json()["description"] == before["description"]
    report = f"/api/v1/reports/{places['report']}"
    title = client.get(report, headers=me).get_json()["title"]
    assert client.patch(report, headers=me, json={"title": "Baru", "closing": 5}).status_code == 422
    assert client.get(report, headers=me).get_json()["title"] == title


def test_the_lengths_are_the_operations_own(client, tokens, places):
    """Spaces around a title do not count, as on the pages: 300 characters and a space pass."""
    me = bearer(tokens["cinambo"])
    title = "T" * 300
    report = client.patch(f"/api/v1/reports/{places['report']}", headers=me,
                          json={"title": f" {title} "})
    assert report.status_code == 200 and report.get_json()["title"] == title
    entry = client.patch(f"/api/v1/entries/{places['entry']}", headers=me,
                         json={"title": f"{title}\x00 "})
    assert entry.status_code == 200 and entry.get_json()["title"] == title


def test_a_body_that_is_not_an_object_keeps_its_status(client, tokens, places):
    me = bearer(tokens["cinambo"])
    entry = f"/api/v1/entries/{places['entry']}"
    assert client.patch(entry, headers=me, json=["title"]).status_code == 400
    assert client.patch(entry, headers=me, data="title=x").status_code == 415
    sections = f"/api/v1/reports/{places['report']}/sections/order"
    assert client.put(sections, headers=me, json=[1, 2]).status_code == 400
    assert client.put(sections, headers=me, data="x", content_type="text/plain").status_code == 400
