"""The photo picker of a report section: captions proposed from title and
description (never the file name), the search (text, topic, place, dates),
and several entries added in one POST, all or none."""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest

from archive.extensions import db
from archive.reports import operations
from archive.reports.models import Report, ReportSection
from archive.reports.operations.captions import propose_caption
from support.reports import report_entry, report_of
from support.rows import seoul, topic_id


def _entry(title, description="", original="DSCN0010.JPG"):
    return SimpleNamespace(title=title, description=description,
                           file=SimpleNamespace(original_name=original))


@pytest.mark.parametrize("entry, caption", [
    (_entry("gps DSCN0010", "Jalur pejalan kaki di tepi sungai."), "Jalur pejalan kaki di tepi sungai."),
    (_entry("DSCN0010", ""), ""),
    (_entry("Seoullo 7017", "Jembatan layang jadi taman"), "Seoullo 7017. Jembatan layang jadi taman."),
    (_entry("Taman atap", "Taman atap gedung balai kota."), "Taman atap gedung balai kota."),
    (_entry("trotoar-gangnam", "", original="trotoar-gangnam.jpg"), "trotoar-gangnam"),
    (_entry("trotoar-gangnam", "Ubin pemandu.", original="trotoar-gangnam.jpg"), "Ubin pemandu."),
    (_entry("Sungai", "kata " * 100), None),
])
def test_caption_from_title_and_description_not_the_file_name(entry, caption):
    proposed = propose_caption(entry)
    if caption is None:
        assert proposed.startswith("Sungai. kata") and proposed.endswith("\u2026")
        assert len(proposed) <= 280
    else:
        assert proposed == caption


@pytest.fixture
def picker(app, client, auth):
    """Cinambo's report and five entries to pick from (one of them someone else's)."""
    auth.login("cinambo")
    with app.test_request_context():
        client.post("/laporan/baru", data={"trip_id": seoul().id, "title": ""})
        made = [
            report_entry("cinambo", "Trotoar Myeongdong", "sidewalks", place="Myeongdong",
                         taken_at=datetime(2018, 7, 9, 10)),
            report_entry("cinambo", "Ubin pemandu", "sidewalks", place="Gangnam",
                         taken_at=datetime(2018, 7, 10, 10)),
            report_entry("cinambo", "Cheonggyecheon", "rivers", place="Jongno",
                         taken_at=datetime(2014, 5, 1, 10)),
            report_entry("cinambo", "Seoullo 7017", "parks", place="Jung-gu"),
            report_entry("batununggal", "Trotoar orang lain", "sidewalks"),
        ]
        db.session.commit()
        report = report_of("cinambo")
        return SimpleNamespace(report_id=report.id, section_id=report.sections[0].id,
                               ids=[e.id for e in made])


def _titles(app, report_id, **wanted):
    with app.test_request_context():
        report = db.session.get(Report, report_id)
        found, total = operations.find_candidates(report, operations.PickerFilter(**wanted))
        assert total == len(found)
        return sorted(e.title for e in found)


def test_search_by_text_topic_place_and_dates(app, picker):
    assert _titles(app, picker.report_id) == ["Cheonggyecheon", "Seoullo 7017",
                                              "Trotoar Myeongdong", "Ubin pemandu"]
    assert _titles(app, picker.report_id, text="trotoar") == ["Trotoar Myeongdong"]
    assert _titles(app, picker.report_id, text="keterangan ubin") == ["Ubin pemandu"]
    assert _titles(app, picker.report_id, text="100%_") == []
    assert _titles(app, picker.report_id, topic_id=topic_id(app, "rivers")) == ["Cheonggyecheon"]
    assert _titles(app, picker.report_id, place="gang") == ["Ubin pemandu"]
    assert _titles(app, picker.report_id, date_from=datetime(2018, 7, 10).date()) == ["Ubin pemandu"]
    assert _titles(app, picker.report_id, date_to=datetime(2018, 7, 9).date()) == [
        "Cheonggyecheon", "Trotoar Myeongdong"]


def test_page_filters_default_to_the_sections_topic(client, picker):
    base = f"/laporan/{picker.report_id}/bagian/{picker.section_id}"
    page = client.get(base).get_data(as_text=True)
    assert "Trotoar Myeongdong" in page and "Cheonggyecheon" not in page
    assert "Trotoar orang lain" not in page
    page = client.get(f"{base}?topik=&tempat=jongno").get_data(as_text=True)
    assert "Cheonggyecheon" in page and "Trotoar Myeongdong" not in page
    page = client.get(f"{base}?topik=x&dari=bukan-tanggal").get_data(as_text=True)
    assert "Seoullo 7017" in page  # nonsense filters are ignored, not a 500


def test_three_added_in_one_post_with_proposed_captions(app, client, picker):
    base = f"/laporan/{picker.report_id}/bagian/{picker.section_id}"
    chosen = [picker.ids[3], picker.ids[0], picker.ids[2]]
    response = client.post(f"{base}/entri/pilih", data={"entry_ids": [str(i) for i in chosen]})
    assert response.status_code == 302
    with app.test_request_context():
        items = db.session.get(ReportSection, picker.section_id).items
        assert [i.entry_id for i in items] == chosen
        assert [i.position for i in items] == [0, 1, 2]
        assert items[0].caption == "Seoullo 7017. Keterangan Seoullo 7017."


@pytest.mark.parametrize("which, message", [("foreign", "bukan milik penulis"),
                                            ("again", "sudah ada di bagian ini"),
                                            ("none", "Pilih minimal satu entri")])
def test_one_bad_choice_adds_nothing(app, client, picker, which, message):
    base = f"/laporan/{picker.report_id}/bagian/{picker.section_id}"
    client.post(f"{base}/entri/pilih", data={"entry_ids": [str(picker.ids[1])]})
    extra = {"foreign": [picker.ids[4]], "again": [picker.ids[1]], "none": []}[which]
    sent = [str(i) for i in ([picker.ids[0]] if which != "none" else []) + extra]
    response = client.post(f"{base}/entri/pilih", data={"entry_ids": sent}, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    with app.test_request_context():
        items = db.session.get(ReportSection, picker.section_id).items
        assert [i.entry_id for i in items] == [picker.ids[1]]
