"""Recommendation cards: editing, status after publication, and the public list with counts."""
from __future__ import annotations

from sqlalchemy import select

from archive.extensions import db
from archive.models import Kecamatan, Topic
from archive.reports import operations
from archive.reports.models import Recommendation, Report
from support.reports import report_entry
from support.rows import camat_of, seoul


def _ids(model, column, value) -> int:
    return db.session.scalar(select(model.id).where(column == value))


def _report(username: str, status: str, cards: list[tuple[str, str, str, str | None]]) -> int:
    """cards: (title, topic slug, status, kecamatan name or None for city-wide)."""
    report = operations.create_report(camat_of(username), seoul())
    for title, topic, card_status, kecamatan in cards:
        operations.create_recommendation(report, operations.RecommendationFields(
            title=title, topic_id=_ids(Topic, Topic.slug, topic), status=card_status,
            kecamatan_id=_ids(Kecamatan, Kecamatan.name, kecamatan) if kecamatan else None,
            executor="Dinas Perhubungan",
        ))
    operations.set_report_status(report, status)
    return report.id


def test_card_form_round_trip_and_own_entries_only(app, client, auth):
    with app.test_request_context():
        report_id = operations.create_report(camat_of("cinambo"), seoul()).id
        mine = report_entry("cinambo", "Halte pintar", "street-furniture").id
        foreign = report_entry("coblong", "Halte Coblong", "street-furniture").id
        topic_id = _ids(Topic, Topic.slug, "street-furniture")
        cinambo = _ids(Kecamatan, Kecamatan.name, "Cinambo")
        db.session.commit()
    auth.login("cinambo")
    page = client.get(f"/laporan/{report_id}/rekomendasi/baru").get_data(as_text=True)
    assert "Dinas Lingkungan Hidup dan Kebersihan" in page  # executor suggestions
    assert "Diujicobakan" in page and "Halte pintar" in page and "Halte Coblong" not in page
    form = {"title": "Halte dengan info bus", "topic_id": topic_id, "practice": "Halte Seoul",
            "problem": "Warga menunggu tanpa info", "kecamatan_id": cinambo,
            "executor": "Dinas Perhubungan", "cost_effort": "sedang", "status": "proposed",
            "status_note": "", "entry_ids": [mine]}
    assert client.post(f"/laporan/{report_id}/rekomendasi/baru", data=form).status_code == 302
    refused = client.post(f"/laporan/{report_id}/rekomendasi/baru",
                          data={**form, "title": "Curang", "entry_ids": [foreign]})
    assert refused.status_code == 422 and "bukan milik" in refused.get_data(as_text=True)
    bad_status = client.post(f"/laporan/{report_id}/rekomendasi/baru",
                             data={**form, "status": "selesai"})
    assert bad_status.status_code == 400
    with app.test_request_context():
        cards = db.session.scalars(select(Recommendation)).all()
        assert [c.title for c in cards] == ["Halte dengan info bus"]
        card = cards[0]
        assert ([e.id for e in card.entries], card.kecamatan.name, card.topic.slug) == (
            [mine], "Cinambo", "street-furniture")
        card_id = card.id
    edit = client.get(f"/laporan/{report_id}/rekomendasi/{card_id}").get_data(as_text=True)
    assert "Halte dengan info bus" in edit and f'value="{mine}" checked' in edit
    client.post(f"/laporan/{report_id}/rekomendasi/{card_id}",
                data={**form, "kecamatan_id": "", "entry_ids": []})
    with app.test_request_context():
        card = db.session.get(Recommendation, card_id)
        assert card.is_city_wide and card.entries == []


def test_status_can_change_after_publication(app, client, auth):
    with app.test_request_context():
        report_id = _report("cinambo", "published", [("Trotoar lebar", "sidewalks", "proposed", None)])
        card_id = db.session.get(Report, report_id).recommendations[0].id
        db.session.commit()
    auth.login("cinambo")
    response = client.post(f"/laporan/{report_id}/rekomendasi/{card_id}/status",
                           data={"status": "adopted", "status_note": "Masuk APBD 2019"})
    assert response.status_code == 302
    wrong = client.post(f"/laporan/{report_id}/rekomendasi/{card_id}/status",
                        data={"status": "done"})
    assert wrong.status_code == 400
    with app.test_request_context():
        card = db.session.get(Recommendation, card_id)
        assert (card.status, card.status_note) == ("adopted", "Masuk APBD 2019")
    auth.logout()
    text = client.get(f"/laporan/{report_id}").get_data(as_text=True)
    assert "Diterapkan" in text and "Masuk APBD 2019" in text


def test_cards_move_and_delete_keep_positions_dense(app, client, auth):
    with app.test_request_context():
        report_id = _report("cinambo", "draft", [(f"Kartu {i}", "parks", "proposed", None)
                                                  for i in range(3)])
        ids = [c.id for c in db.session.get(Report, report_id).recommendations]
        db.session.commit()
    auth.login("cinambo")
    client.post(f"/laporan/{report_id}/rekomendasi/{ids[2]}/geser", data={"direction": "up"})
    client.post(f"/laporan/{report_id}/rekomendasi/{ids[0]}/hapus")
    with app.test_request_context():
        cards = db.session.get(Report, report_id).recommendations
        assert [c.id for c in cards] == [ids[2], ids[1]]
        assert [c.position for c in cards] == [0, 1]


def test_public_list_filters_and_counts(app, client):
    with app.test_request_context():
        _report("cinambo", "published", [
            ("Trotoar difabel", "sidewalks", "adopted", "Cinambo"),
            ("Pohon peneduh", "trees", "piloting", None),
            ("Reklame tertib", "signage", "rejected", None),
        ])
        _report("lengkong", "published", [
            ("Trotoar Lengkong", "sidewalks", "proposed", "Lengkong"),
            ("Taman tematik", "parks", "adopted", "Lengkong"),
        ])
        _report("coblong", "draft", [("Kartu dalam draf", "sidewalks", "adopted", None)])
        lengkong = _ids(Kecamatan, Kecamatan.name, "Lengkong")
        trip_id = seoul().id
        db.session.commit()

    def titles(query: str) -> tuple[list[str], str]:
        response = client.get(f"/rekomendasi{query}")
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        names = ["Trotoar difabel", "Pohon peneduh", "Reklame tertib", "Trotoar Lengkong",
                 "Taman tematik", "Kartu dalam draf"]
        return [n for n in names if f"<h3>{n}</h3>" in text], text

    shown, _ = titles("")
    assert shown == ["Trotoar difabel", "Pohon peneduh", "Reklame tertib", "Trotoar Lengkong",
                     "Taman tematik"]
    assert titles("?topic=sidewalks")[0] == ["Trotoar difabel", "Trotoar Lengkong"]
    assert titles("?status=adopted")[0] == ["Trotoar difabel", "Taman tematik"]
    assert titles(f"?kecamatan={lengkong}")[0] == ["Trotoar Lengkong", "Taman tematik"]
    assert titles("?kecamatan=kota")[0] == ["Pohon peneduh", "Reklame tertib"]
    assert titles(f"?trip={trip_id}&topic=parks&status=adopted")[0] == ["Taman tematik"]
    assert client.get("/rekomendasi?kecamatan=abc").status_code == 400
    assert client.get("/rekomendasi?status=bogus").status_code == 400

    with app.test_request_context():
        result = operations.public_recommendations(operations.RecommendationFilters())
        assert result.counts == {"proposed": 1, "piloting": 1, "adopted": 2, "rejected": 1}
        assert result.total == 5
        # counts follow the other filters but not the status filter itself
        filtered = operations.public_recommendations(
            operations.RecommendationFilters(topic="sidewalks", status="adopted"))
        assert filtered.counts == {"proposed": 1, "piloting": 0, "adopted": 1, "rejected": 0}
        assert [c.title for c in filtered.cards] == ["Trotoar difabel"]
    api = client.get("/api/v1/recommendations?topic=sidewalks").json
    assert api["counts"]["adopted"] == 1 and api["total"] == 2
