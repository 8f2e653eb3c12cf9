"""The review grid of a batch: the bulk edit operation (every row checked, all
rows or none) and its three ways in (the page, the plain form, the JSON save)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from archive.audit.models import AuditRecord
from archive.entries import batch
from archive.entries.visibility import Viewer
from archive.extensions import db
from archive.models import Entry

from support.rows import add_entry, camat_id, topic_id
from support.search import titles


@pytest.fixture
def rows(app):
    """Two draft entries of Cinambo and one of Batununggal."""
    return (add_entry(app, title="gps DSCN0010", status="draft"),
            add_entry(app, title="gps DSCN0011", status="draft"),
            add_entry(app, "Batununggal", title="Milik orang lain", status="draft"))


def _titles_of(app, ids):
    with app.app_context():
        return [db.session.get(Entry, i).title for i in ids]


def test_save_rows_applies_every_row_with_audit_and_search(app, rows):
    mine = rows[:2]
    parks = topic_id(app, "parks")
    with app.test_request_context():
        viewer = Viewer(camat_id=camat_id(app, "cinambo"))
        audits = db.session.scalar(select(func.count(AuditRecord.id)))
        batch.save_rows(viewer, [
            batch.RowChange(id=mine[0], title="Taman Seoullo", topic_id=parks, tags="Taman, #jalan"),
            batch.RowChange(id=mine[1], place_name="Cheonggyecheon", status="published"),
        ])
        db.session.commit()
        first, second = (db.session.get(Entry, i) for i in mine)
        assert (first.title, first.topic_id, first.tag_names) == ("Taman Seoullo", parks,
                                                                   ["jalan", "taman"])
        # A field left out stays as it was.
        assert (second.title, second.place_name, second.status) == (
            "gps DSCN0011", "Cheonggyecheon", "published")
        assert db.session.scalar(select(func.count(AuditRecord.id))) >= audits + 2
        assert "Taman Seoullo" in titles("seoullo", viewer=viewer)


@pytest.mark.parametrize("bad, field", [
    ({"title": "   "}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"topic_id": 99999}, "topic_id"),
    ({"tags": ",".join(f"t{i}" for i in range(31))}, "tags"),
    ({"status": "secret"}, "status"),
    ({"place_name": "p" * 301}, "place_name"),
])
def test_one_bad_row_saves_nothing(app, rows, bad, field):
    mine = rows[:2]
    with app.test_request_context():
        viewer = Viewer(camat_id=camat_id(app, "cinambo"))
        with pytest.raises(batch.RowsRefused) as refused:
            batch.save_rows(viewer, [batch.RowChange(id=mine[0], title="Baik"),
                                     batch.RowChange(id=mine[1], **bad)])
        assert list(refused.value.errors) == [mine[1]]
        assert field in refused.value.errors[mine[1]]
        assert refused.value.status == 422
        db.session.rollback()
    assert _titles_of(app, mine) == ["gps DSCN0010", "gps DSCN0011"]


def test_someone_elses_entry_is_a_row_error(app, rows):
    with app.test_request_context():
        viewer = Viewer(camat_id=camat_id(app, "cinambo"))
        with pytest.raises(batch.RowsRefused) as refused:
            batch.save_rows(viewer, [batch.RowChange(id=rows[0], title="Baik"),
                                     batch.RowChange(id=rows[2], title="Curian")])
        assert list(refused.value.errors) == [rows[2]]
        entries, left_out = batch.editable_entries(viewer, [rows[2], rows[0], 10**15])
        assert [e.id for e in entries] == [rows[0]]
        assert left_out == [rows[2], 10**15]


def test_grid_page_leaves_out_others_entries(client, auth, rows):
    assert client.get(f"/entri/tinjau?ids={rows[0]}").status_code == 302  # log in first
    auth.login("cinambo")
    html = client.get(f"/entri/tinjau?ids={rows[0]},{rows[1]},{rows[2]},abc").get_data(as_text=True)
    assert f'id="title-{rows[0]}"' in html and f'id="title-{rows[1]}"' in html
    assert "Milik orang lain" not in html
    assert f"tidak ada atau bukan milik Anda: {rows[2]}" in html


def test_plain_form_saves_all_rows_and_the_bulk_fields(app, client, auth, rows):
    mine = rows[:2]
    parks = topic_id(app, "parks")
    auth.login("cinambo")
    form = {"ids": f"{mine[0]},{mine[1]}", "selected": [str(mine[1])],
            "bulk_topic_id": str(parks), "bulk_tags": "taman", "bulk_status": "published"}
    for i, title in zip(mine, ["Satu", "Dua"]):
        form |= {f"title-{i}": title, f"topic_id-{i}": "", f"tags-{i}": "air",
                 f"place_name-{i}": "Seoul", f"status-{i}": "draft", f"description-{i}": "d"}
    response = client.post("/entri/tinjau", data=form)
    assert response.status_code == 302
    with app.app_context():
        one, two = (db.session.get(Entry, i) for i in mine)
        assert (one.title, one.topic_id, one.status, one.tag_names) == ("Satu", None, "draft", ["air"])
        assert (two.title, two.topic_id, two.status, two.tag_names) == (
            "Dua", parks, "published", ["air", "taman"])


def test_plain_form_with_an_error_shows_it_by_its_row_and_saves_nothing(app, client, auth, rows):
    mine = rows[:2]
    auth.login("cinambo")
    response = client.post("/entri/tinjau", data={
        "ids": f"{mine[0]},{mine[1]}", f"title-{mine[0]}": "Baru", f"title-{mine[1]}": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="title-{mine[1]}-error" data-error-for="title">Judul wajib diisi.' in html
    assert 'value="Baru"' in html  # what was typed is kept
    assert _titles_of(app, mine) == ["gps DSCN0010", "gps DSCN0011"]


def test_json_save_answers_rows_or_errors_per_row(app, client, auth, rows):
    mine = rows[:2]
    auth.login("cinambo")
    ok = client.post("/entri/tinjau/simpan", json={"rows": [
        {"id": mine[0], "title": "Jemba\x00tan", "tags": "Sungai, air", "place_name": "\x00"}]})
    assert ok.status_code == 200
    saved = ok.json["rows"][0]
    assert (saved["id"], saved["title"], sorted(saved["tags"]), saved["status"]) == (
        mine[0], "Jembatan", ["air", "sungai"], "draft")
    bad = client.post("/entri/tinjau/simpan", json={"rows": [
        {"id": mine[0], "title": "Lagi"}, {"id": mine[1], "title": ""}, {"id": rows[2], "title": "x"}]})
    assert bad.status_code == 422
    assert set(bad.json["errors"]) == {str(mine[1]), str(rows[2])}
    assert bad.json["errors"][str(mine[1])] == {"title": "Judul wajib diisi."}
    assert _titles_of(app, mine) == ["Jembatan", "gps DSCN0011"]
    for body in ({"rows": "x"}, {"rows": [{"id": "1"}]}, {"rows": [{"id": mine[0], "colour": 1}]},
                 {"rows": [{"id": mine[0], "title": 5}]}, {"rows": []}):
        response = client.post("/entri/tinjau/simpan", json=body)
        assert response.status_code in (400, 422), body
        assert response.is_json and response.json["message"], body


def test_upload_results_link_to_the_grid_which_flags_a_date_outside_the_trip(client, auth):
    import re

    from support.files import camera_jpeg
    from support.uploads import upload

    auth.login("cinambo")
    result = upload(client, [(camera_jpeg(11), "a.jpg"),
                             (camera_jpeg(12, taken="2014:05:01 10:00:00"), "b.jpg")])
    assert result.status_code == 201
    assert 'class="result-thumb"' in result.html
    grid = re.search(r'href="(/entri/tinjau\?ids=[0-9%C,]+)"', result.html).group(1)
    html = client.get(grid.replace("%2C", ",")).get_data(as_text=True)
    assert html.count('class="review-row"') == 2
    assert html.count("review-date-flag") == 1
    assert "Foto ini diambil 1 Mei 2014, di luar" in html
