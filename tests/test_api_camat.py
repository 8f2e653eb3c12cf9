"""Camat with their score records, topics and trips in the API."""
from __future__ import annotations

from support.api import assert_json_error
from support.rows import add_entry as make_entry, camat_id


def test_camat_list_is_in_rank_order_with_score_records(client):
    body = client.get("/api/v1/camat").get_json()
    assert body["total"] == 10
    names = [c["kecamatan"]["name"] for c in body["items"]]
    assert names[0] == "Cinambo" and names[-1] == "Bojongloa Kaler"
    first = body["items"][0]
    record = first["score_records"][0]
    assert (record["score"], record["rank"], record["zone"], record["period"]) == (
        93.56, 1, "green", "2018")
    # the article gives no sub-scores; the API does not invent them
    assert record["criteria"] == {"public_service": None, "general_government": None,
                                  "environment": None, "innovation_happiness": None}
    assert first["url"] == f"http://localhost/camat/{first['id']}"


def test_camat_detail_has_trip_score_and_published_counts(app, client):
    make_entry(app, "Cinambo", topic="rivers")
    make_entry(app, "Cinambo", topic="rivers", kind="paper")
    make_entry(app, "Cinambo", topic="parks")
    make_entry(app, "Cinambo", topic="parks", status="draft")  # not counted
    make_entry(app, "Lengkong", topic="parks")
    cid = camat_id(app, "Cinambo")
    body = client.get(f"/api/v1/camat/{cid}").get_json()
    assert body["name"] == "Camat Cinambo" and body["entry_count"] == 3
    (trip,) = body["trips"]
    assert trip["trip"]["slug"] == "seoul-2018"
    assert (trip["score_record"]["score"], trip["score_record"]["rank"]) == (93.56, 1)
    assert trip["entry_counts"] == {"total": 3, "photo": 2, "paper": 1,
                                    "by_topic": {"rivers": 2, "parks": 1}}
    listed = {c["id"]: c["entry_count"] for c in client.get("/api/v1/camat").get_json()["items"]}
    assert listed[cid] == 3


def test_topics_list_six_with_counts(app, client):
    make_entry(app, topic="trees")
    make_entry(app, topic="trees", status="draft")
    body = client.get("/api/v1/topics").get_json()
    assert [t["slug"] for t in body["items"]] == [
        "sidewalks", "trees", "rivers", "signage", "parks", "street-furniture"]
    trees = body["items"][1]
    assert (trees["name_id"], trees["name_en"], trees["entry_count"]) == (
        "Perlakuan pohon", "Tree treatment", 1)
    assert trees["url"] == "http://localhost/topik/trees"


def test_trips_list(app, client):
    make_entry(app)
    body = client.get("/api/v1/trips").get_json()
    (trip,) = body["items"]
    assert (trip["slug"], trip["host_city"], trip["year"], trip["score_period"]) == (
        "seoul-2018", "Seoul", 2018, "2018")
    assert len(trip["participant_ids"]) == 10 and trip["entry_count"] == 1


def test_index_lists_the_endpoints_and_unknown_camat_is_404(client):
    body = client.get("/api/v1/").get_json()
    assert body["entries"] == "http://localhost/api/v1/entries"
    assert client.get(body["topics"]).status_code == 200
    assert_json_error(client.get("/api/v1/camat/424242"), 404)


def test_camat_without_a_score_record_is_listed_last_with_null_record(app, client):
    from sqlalchemy import select

    from archive.extensions import db
    from archive.models import Camat, Kecamatan, TripParticipant, Trip

    with app.app_context():
        andir = db.session.scalar(select(Kecamatan).where(Kecamatan.name == "Andir"))
        camat = Camat(name="Camat Andir", kecamatan=andir)
        db.session.add(camat)
        db.session.flush()
        trip = db.session.scalar(select(Trip))
        db.session.add(TripParticipant(trip_id=trip.id, camat_id=camat.id))
        db.session.commit()
    entry_id = make_entry(app, "Andir")
    listed = client.get("/api/v1/camat").get_json()["items"]
    assert listed[-1]["name"] == "Camat Andir" and listed[-1]["score_records"] == []
    detail = client.get(f"/api/v1/camat/{listed[-1]['id']}").get_json()
    assert detail["trips"][0]["score_record"] is None
    assert client.get(f"/api/v1/entries/{entry_id}").get_json()["author"]["score_record"] is None
