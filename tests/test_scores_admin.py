"""Admin pages of the evaluation: periods with criteria, one record, the import's preview."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from archive.extensions import db
from archive.models import Kecamatan, ScorePeriod, ScoreRecord


@pytest.fixture
def admin(client, auth):
    auth.login("admin")
    return client


def _kec(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Kecamatan.id).where(Kecamatan.name == name))


def _form(app, **data) -> dict:
    form = {"kecamatan_id": _kec(app, "Andir"), "total": "86,50", "rank": "", "zone": "green",
            "subscores-0": "90.25", "subscores-1": "", "subscores-2": "", "subscores-3": "",
            "source": "SIP 2018", "verification_note": "daring dan lapangan"}
    form.update(data)
    return form


def test_record_added_with_a_decimal_comma_and_its_rank_computed(app, admin):
    response = admin.post("/admin/nilai/baru?periode=2018", data=_form(app))
    assert response.status_code == 302
    with app.app_context():
        record = db.session.scalar(select(ScoreRecord).join(Kecamatan).where(Kecamatan.name == "Andir"))
        assert (record.total, record.rank, record.zone) == (86.5, 11, "green")
        assert record.values()["public_service"] == 90.25
        assert record.verification_note == "daring dan lapangan"
    listing = admin.get("/admin/nilai?periode=2018").get_data(as_text=True)
    assert "Andir" in listing and "1/4" in listing


@pytest.mark.parametrize("data, message", [
    ({"total": "100.5"}, "antara 0 dan 100"),
    ({"total": "tinggi"}, "Isi dengan angka"),
    ({"rank": "0"}, "Peringkat minimal 1"),
    ({"zone": "biru"}, "Pilihan ini tidak tersedia"),
    ({"subscores-2": "101"}, "antara 0 dan 100"),
])
def test_record_validation(app, admin, data, message):
    response = admin.post("/admin/nilai/baru?periode=2018", data=_form(app, **data))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ScoreRecord.id))) == 10


def test_second_record_for_a_kecamatan_and_period_gets_a_clear_message(app, admin):
    response = admin.post("/admin/nilai/baru?periode=2018", data=_form(
        app, kecamatan_id=_kec(app, "Cinambo"), total="50"))
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Kecamatan Cinambo sudah punya nilai untuk periode 2018" in text
    assert 'href="/admin/nilai/' in text
    with app.app_context():
        assert db.session.scalar(select(ScoreRecord.total).join(Kecamatan)
                                 .where(Kecamatan.name == "Cinambo")) == 93.56


def test_period_with_weights_and_thresholds_computes_totals(app, admin):
    with app.app_context():
        period = db.session.scalar(select(ScorePeriod).where(ScorePeriod.code == "2018"))
        ids = [c.id for c in period.criteria]
        period_id = period.id
    data = {"code": "2018", "name": "Penilaian 2018", "status": "published", "green_min": "85",
            "yellow_min": "70", "published_green": "27", "published_yellow": "3",
            "published_red": "0", "source": "SIP", "start_date": "", "end_date": ""}
    for i, (cid, weight) in enumerate(zip(ids, (40, 30, 20, 10))):
        data.update({f"criteria-{i}-id": str(cid), f"criteria-{i}-name_id": f"K{i}",
                     f"criteria-{i}-name_en": f"C{i}", f"criteria-{i}-weight": str(weight),
                     f"criteria-{i}-maximum": ""})
    response = admin.post(f"/admin/periode-nilai/{period_id}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = admin.post("/admin/nilai/baru?periode=2018", data=_form(
        app, total="", zone="", **{"subscores-1": "80", "subscores-2": "70", "subscores-3": "100"}))
    assert saved.status_code == 302
    with app.app_context():
        record = db.session.scalar(select(ScoreRecord).join(Kecamatan).where(Kecamatan.name == "Andir"))
        assert (record.total, record.total_entered, record.zone) == (84.1, False, "yellow")
    # a threshold that turns a zone the city published is refused
    data["green_min"] = "90"
    refused = admin.post(f"/admin/periode-nilai/{period_id}", data=data)
    assert refused.status_code == 409 and "Batununggal" in refused.get_data(as_text=True)


def test_import_preview_then_apply(app, admin):
    csv = b"kecamatan,total\nAndir,80\nCinambo,93.56\nAtlantis,5\n"
    preview = admin.post("/admin/nilai/impor", data={"period": "2018",
                                                     "file": (io.BytesIO(csv), "nilai.csv")},
                         content_type="multipart/form-data")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Atlantis" in html and "tidak dikenal" in html and "Maksudnya" not in html
    assert "baru" in html and "tetap" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(ScoreRecord.id))) == 10  # nothing yet
    import re
    rows = re.search(r'name="rows" type="hidden" value="([^"]*)"', html).group(1)
    import html as html_lib
    rows = html_lib.unescape(rows)
    refused = admin.post("/admin/nilai/impor", data={"period": "2018", "rows": rows, "apply": "1"})
    assert refused.status_code == 422
    applied = admin.post("/admin/nilai/impor", data={"period": "2018", "rows": rows, "apply": "1",
                                                     "skip_bad": "y"})
    assert applied.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(ScoreRecord.id))) == 11


@pytest.mark.parametrize("lang, total, criterion, source", [
    ("id", "80,00", "Kualitas pelayanan publik", "Sumber"),
    ("en", "80.00", "Quality of public service", "Source"),
])
def test_import_preview_names_what_changes_as_people_read_it(admin, lang, total, criterion,
                                                             source):
    """Not "public_service: None -> 77.5": the criterion's name, the locale's numbers."""
    csv = b"kecamatan,nilai,public_service,sumber\nAndir,80,77.5,Rapor SIP\n" \
          b"Cinambo,93.56,,Rapor SIP\n"
    html = admin.post(f"/admin/nilai/impor?lang={lang}",
                      data={"period": "2018", "file": (io.BytesIO(csv), "nilai.csv")},
                      content_type="multipart/form-data").get_data(as_text=True)
    rows = re.findall(r'<li class="status-(\w+)">(.*?)</li>', html, re.S)
    andir = next(body for status, body in rows if "Andir" in body)
    cinambo = next(body for status, body in rows if "Cinambo" in body)
    assert f"<dt>{criterion}</dt>" in andir and f"<ins>{total}</ins>" in andir
    shown = "".join(body for _status, body in rows)
    assert "public_service" not in shown and "None" not in shown
    # an updated record shows the value it had, struck through
    assert f"<dt>{source}</dt>" in cinambo and "<del>" in cinambo and "<ins>Rapor SIP</ins>" in cinambo
