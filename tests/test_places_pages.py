"""The derived place on pages and in the API: shown on the entry page, a typed
place 50+ km away flagged on the upload results and the entry page, taken with
one button (through apply_changes: audit log and index follow)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from archive.audit.models import AuditRecord
from archive.extensions import db
from archive.models import Entry
from support.files import camera_jpeg
from support.rows import latest_entry_id
from support.uploads import upload

AREZZO_PHOTO = Path("/work/shared/realdata/photos/gps_DSCN0010.jpg")
SEOUL_WORDS = "Cheonggyecheon, Seoul"


def _upload_arezzo(client, auth, place_name: str = SEOUL_WORDS, **fields):
    auth.login("cinambo")
    return upload(client, [(AREZZO_PHOTO.read_bytes(), "gps_DSCN0010.jpg")],
                  place_name=place_name, **fields)


def test_a_typed_place_far_from_the_gps_is_flagged_on_results_and_entry_page(app, client, auth):
    result = _upload_arezzo(client, auth)
    assert result.status_code == 201
    assert "place-mismatch" in result.html and "Pakai tempat dari GPS" in result.html
    assert "Arezzo, Italy" in result.html and "km dari tempat menurut GPS" in result.html
    entry_id = latest_entry_id(app)
    page = client.get(f"/entri/{entry_id}").get_data(as_text=True)
    assert "Tempat menurut GPS" in page and "Arezzo" in page and "Tuscany" in page
    assert "Cheonggyecheon, Seoul" in page and "place-mismatch" in page
    assert f'action="/entri/{entry_id}/tempat-gps"' in page


def test_one_click_takes_the_gps_place_with_audit_and_index(app, client, auth):
    _upload_arezzo(client, auth, status="published")
    entry_id = latest_entry_id(app)
    map_page = client.get("/peta").get_data(as_text=True)    # the map's list and popup data
    assert 'data-place="Arezzo, Italy"' in map_page and "Tempat menurut GPS: Arezzo, Italy" in map_page
    response = client.post(f"/entri/{entry_id}/tempat-gps")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/entri/{entry_id}")
    page = client.get(f"/entri/{entry_id}").get_data(as_text=True)
    assert "Tempat diganti dengan tempat dari GPS: Arezzo, Italy" in page
    assert "place-mismatch" not in page
    with app.app_context():
        assert db.session.get(Entry, entry_id).place_name == "Arezzo, Italy"
        record = db.session.scalars(select(AuditRecord).where(
            AuditRecord.target == "entry", AuditRecord.target_id == entry_id,
            AuditRecord.action == "update")).all()[-1]
        assert record.changes["place_name"] == [SEOUL_WORDS, "Arezzo, Italy"]
    found = client.get("/api/v1/search?q=tempat:Cheonggyecheon").get_json()
    assert found["total"] == 0   # the old typed place left the index with the change


def test_only_the_author_or_an_admin_may_take_it(app, client, auth):
    _upload_arezzo(client, auth, status="published")
    entry_id = latest_entry_id(app)
    auth.logout()
    assert client.post(f"/entri/{entry_id}/tempat-gps").status_code == 302   # to the login
    auth.login("coblong")
    assert client.post(f"/entri/{entry_id}/tempat-gps").status_code == 403
    page = client.get(f"/entri/{entry_id}").get_data(as_text=True)
    assert "place-mismatch" in page and "Pakai tempat dari GPS" not in page
    auth.logout()
    auth.login("admin")
    assert client.post(f"/entri/{entry_id}/tempat-gps").status_code == 302


def test_an_entry_without_gps_cannot_take_a_place(app, client, auth):
    auth.login("cinambo")
    upload(client, [(camera_jpeg(3, gps=None), "tanpa.jpg")], place_name="Seoul")
    entry_id = latest_entry_id(app)
    response = client.post(f"/entri/{entry_id}/tempat-gps", follow_redirects=True)
    assert "Entri ini tidak punya tempat dari GPS." in response.get_data(as_text=True)
    assert "Tempat menurut GPS" not in response.get_data(as_text=True)


def test_a_matching_typed_place_gives_no_notice(app, client, auth):
    result = _upload_arezzo(client, auth, place_name="Piazza Grande, Arezzo")
    assert "place-mismatch" not in result.html


def test_the_api_serialises_the_gps_place(app, client, auth):
    _upload_arezzo(client, auth, status="published")
    entry_id = latest_entry_id(app)
    data = client.get(f"/api/v1/entries/{entry_id}").get_json()
    place = data["gps_place"]
    assert (place["city"], place["region"], place["country_code"]) == ("Arezzo", "Tuscany", "IT")
    assert place["label"] == "Arezzo, Italy" and place["disagrees_with_place_name"] is True
    assert 8800 < place["distance_km"] < 9100
    client.post(f"/entri/{entry_id}/tempat-gps")
    again = client.get(f"/api/v1/entries/{entry_id}").get_json()["gps_place"]
    assert again["disagrees_with_place_name"] is False and again["distance_km"] is None
