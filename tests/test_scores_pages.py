"""The public score pages, the record behind an entry's author, the API, and the award."""
from __future__ import annotations

from sqlalchemy import select

from archive.extensions import db
from archive.models import Camat, Kecamatan, ScorePeriod, ScoreRecord, SubScore, Trip


def _record(app, kecamatan: str) -> int:
    with app.app_context():
        return db.session.scalar(select(ScoreRecord.id).join(Kecamatan)
                                 .where(Kecamatan.name == kecamatan))


def test_period_table_lists_all_thirty_with_the_published_distribution(client):
    html = client.get("/nilai/periode/2018").get_data(as_text=True)
    assert html.count('<th scope="row">') == 30
    assert "Cinambo" in html and "Ujungberung" in html and "93,56" in html
    assert "27 dari 30 kecamatan hijau, 3 kuning, 0 merah" in html
    assert "3 kecamatan lagi menuju semua hijau" in html
    assert "Belum diketahui: bobot kriteria" in html and "Belum diketahui: batas nilai zona" in html
    assert client.get("/nilai").headers["Location"].endswith("/nilai/periode/2018")
    assert client.get("/nilai/periode/1999").status_code == 404


def test_period_table_sorts_by_total_and_by_kecamatan(client):
    by_total = client.get("/nilai/periode/2018?urut=total&arah=asc").get_data(as_text=True)
    assert by_total.index("Bojongloa Kaler") < by_total.index("Cinambo") < by_total.index("Andir")
    by_name = client.get("/nilai/periode/2018?urut=kecamatan").get_data(as_text=True)
    assert by_name.index("Andir") < by_name.index("Cinambo")
    assert 'aria-sort="ascending"' in by_name
    by_criterion = client.get("/nilai/periode/2018?urut=public_service")
    assert by_criterion.status_code == 200


def test_table_and_record_in_english(client, app):
    html = client.get("/nilai/periode/2018?lang=en").get_data(as_text=True)
    assert "Quality of public service" in html and "green" in html
    record = client.get(f"/nilai/{_record(app, 'Cinambo')}?lang=en").get_data(as_text=True)
    assert "not published" in record and "Quality of public service" in record


def test_record_page_says_which_figures_are_official(app, client):
    record_id = _record(app, "Cinambo")
    html = client.get(f"/nilai/{record_id}").get_data(as_text=True)
    assert "93,56" in html and "Kualitas pelayanan publik" in html and "tidak dipublikasikan" in html
    assert "angka resmi yang diumumkan kota" in html and "Bobot kriteria periode ini belum diketahui" in html
    with app.app_context():
        record = db.session.get(ScoreRecord, record_id)
        criterion = record.scoring_period.criteria[0]
        db.session.add(SubScore(record=record, criterion=criterion, value=95.5))
        db.session.commit()
    html = client.get(f"/nilai/{record_id}").get_data(as_text=True)
    assert "95,50" in html
    with app.app_context():
        camat_id = db.session.scalar(select(Camat.id).join(Kecamatan).where(Kecamatan.name == "Cinambo"))
    profile = client.get(f"/camat/{camat_id}").get_data(as_text=True)
    assert "95,50" in profile and "Riwayat nilai Kecamatan Cinambo" in profile


def test_kecamatan_history_is_a_chart(app, client):
    with app.app_context():
        kec = db.session.scalar(select(Kecamatan).where(Kecamatan.name == "Cinambo"))
        db.session.add(ScorePeriod(code="2019", name="2019", status="published"))
        db.session.flush()
        db.session.add(ScoreRecord(kecamatan_id=kec.id, period="2019", total=95.1, rank=1,
                                   zone="green"))
        db.session.commit()
        kec_id = kec.id
    html = client.get(f"/kecamatan/{kec_id}").get_data(as_text=True)
    assert "<svg" in html and "93,56" in html and "95,10" in html
    assert html.index("2019") < html.index("/nilai/periode/2018")  # newest first in the table


def test_a_draft_period_is_for_admins_only(app, client, auth):
    with app.app_context():
        period = db.session.scalar(select(ScorePeriod).where(ScorePeriod.code == "2018"))
        period.status = "draft"
        db.session.commit()
    assert client.get("/nilai/periode/2018").status_code == 404
    assert client.get(f"/nilai/{_record(app, 'Cinambo')}").status_code == 404
    assert client.get("/api/v1/score-periods/2018").status_code == 404
    auth.login("admin")
    assert client.get("/nilai/periode/2018").status_code == 200


def test_api_reads_periods_and_an_admin_token_writes(app, client, runner):
    body = client.get("/api/v1/score-periods").get_json()
    assert body["items"][0]["code"] == "2018"
    assert body["items"][0]["published_distribution"] == {"green": 27, "yellow": 3, "red": 0}
    assert body["items"][0]["criteria"][0]["weight"] is None
    detail = client.get("/api/v1/score-periods/2018").get_json()
    assert [r["score"] for r in detail["records"]][:2] == [93.56, 89.89]
    token = runner.invoke(args=["create-token", "admin"]).output.strip().splitlines()[-1]
    camat_token = runner.invoke(args=["create-token", "cinambo"]).output.strip().splitlines()[-1]
    record = {"kecamatan": "andir", "total": 80, "criteria": {"public_service": 82}}
    assert client.post("/api/v1/score-periods/2018/records", json=record).status_code == 401
    assert client.post("/api/v1/score-periods/2018/records", json=record,
                       headers={"Authorization": f"Bearer {camat_token}"}).status_code == 403
    admin = {"Authorization": f"Bearer {token}"}
    bad = client.post("/api/v1/score-periods/2018/records", headers=admin,
                      json={"records": [record, {"kecamatan": "Atlantis", "total": 1}]})
    assert bad.status_code == 422 and bad.get_json()["counts"]["error"] == 1
    ok = client.post("/api/v1/score-periods/2018/records", json=record, headers=admin)
    assert ok.status_code == 200 and ok.get_json()["counts"]["new"] == 1
    andir = client.get("/api/v1/score-periods/2018").get_json()["records"][10]
    assert (andir["kecamatan"], andir["rank"], andir["criteria"]["public_service"]) == ("Andir", 11, 82)


def test_the_award_adds_the_top_n_with_ties_and_the_trip_says_why(app, client, auth):
    with app.app_context():
        trip = Trip(slug="tokyo-2019", title="Tokyo 2019", host_city="Tokyo", year=2019,
                    score_period="2018")
        db.session.add(trip)
        # a tie at place 10: Bojongloa Kaler's 87,04 given to Andir too
        andir = db.session.scalar(select(Kecamatan).where(Kecamatan.name == "Andir"))
        db.session.add(ScoreRecord(kecamatan_id=andir.id, period="2018", total=87.04, rank=10))
        db.session.add(Camat(name="Camat Andir", kecamatan_id=andir.id))
        db.session.commit()
        trip_id = trip.id
    auth.login("admin")
    page = client.get(f"/admin/penghargaan?period=2018&top_n=10&trip_id={trip_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "11 kecamatan" in html and "(sama)" in html
    done = client.post("/admin/penghargaan", data={"period": "2018", "top_n": "10",
                                                   "trip_id": str(trip_id)})
    assert done.status_code == 302
    trip_page = client.get("/kunjungan/tokyo-2019").get_data(as_text=True)
    assert "Peringkat 1 periode 2018" in trip_page and "Peringkat 10 periode 2018" in trip_page
    assert trip_page.count("Peringkat 10 periode 2018") == 2
    seoul = client.get("/kunjungan/seoul-2018").get_data(as_text=True)
    assert "Peringkat 3 periode 2018" in seoul
