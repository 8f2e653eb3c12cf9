"""Uploading through the form: several files in one POST, duplicates, bad files, statuses."""
from __future__ import annotations

from sqlalchemy import func, select

from archive.extensions import db
from archive.models import Entry, StoredFile

from support.files import SEOUL, camera_jpeg, pdf_bytes, png_bytes
from support.rows import latest_entry_id, topic_id
from support.uploads import upload


def _count(app, model=Entry) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


def test_upload_page_needs_a_camat(client, auth):
    assert client.get("/entri/unggah").status_code == 302  # to the login page
    auth.login("admin")
    assert client.get("/entri/unggah").status_code == 403
    auth.logout()
    auth.login("cinambo")
    html = client.get("/entri/unggah").get_data(as_text=True)
    assert 'type="file"' in html and "multiple" in html and 'enctype="multipart/form-data"' in html
    assert '<label for="files">' in html and '<label for="topic">' in html
    assert "js/upload.js" in html and "data-dropzone" in html


def test_several_photos_and_a_paper_in_one_post(app, client, auth):
    auth.login("cinambo")
    result = upload(client, [(camera_jpeg(1, gps=SEOUL), "trotoar_1.jpg"), (png_bytes(2), "trotoar_2.png"),
                             (pdf_bytes(), "makalah.pdf")],
                    topic=topic_id(app, "sidewalks"), tags="Trotoar, difabel, trotoar",
                    place_name="Gangnam", description="Ubin pemandu", status="published")
    assert result.status_code == 201
    assert result.html.count("Ditambahkan") >= 3 and "3 ditambahkan, 0 sudah ada, 0 gagal" in result.html
    with app.app_context():
        entries = db.session.scalars(select(Entry).order_by(Entry.id)).all()
        assert [e.kind for e in entries] == ["photo", "photo", "paper"]
        first = entries[0]
        assert first.topic.slug == "sidewalks" and first.tag_names == ["difabel", "trotoar"]
        assert first.place_name == "Gangnam" and first.status == "published"
        assert first.camat.kecamatan.name == "Cinambo" and first.trip.slug == "seoul-2018"
        assert abs(first.latitude - SEOUL[0]) < 1e-3


def test_duplicate_is_answered_with_a_link_to_the_existing_entry(app, client, auth):
    auth.login("cinambo")
    assert upload(client, [(camera_jpeg(5), "asli.jpg")]).status_code == 201
    existing = latest_entry_id(app)
    again = upload(client, [(camera_jpeg(5), "salinan.jpg")])
    assert again.status_code == 200
    assert "Sudah ada" in again.html and f'href="/entri/{existing}"' in again.html
    assert _count(app) == 1


def test_a_bad_file_among_good_ones_keeps_the_good_ones(app, client, auth):
    auth.login("cinambo")
    result = upload(client, [(camera_jpeg(6), "baik_1.jpg"), (b"GIF89a bukan foto", "jelek.jpg"),
                             (camera_jpeg(7), "baik_2.jpg")])
    assert result.status_code == 200
    assert "2 ditambahkan, 0 sudah ada, 1 gagal" in result.html
    assert "Gagal" in result.html and "jelek.jpg" in result.html
    assert _count(app) == 2 and _count(app, StoredFile) == 2


def test_every_file_failing_gives_the_failures_4xx(app, client, auth):
    auth.login("cinambo")
    result = upload(client, [(b"just text", "catatan.txt")])
    assert 400 <= result.status_code < 500
    assert "Gagal" in result.html
    assert _count(app) == 0


def test_only_files_and_trip_is_enough(app, client, auth):
    import io

    auth.login("cinambo")
    response = client.post("/entri/unggah", data={"trip": "1", "files": [(io.BytesIO(camera_jpeg(12)), "a.jpg")]},
                           content_type="multipart/form-data")
    assert response.status_code == 201
    with app.app_context():
        entry = db.session.get(Entry, latest_entry_id(app))
        assert entry.status == "draft" and entry.topic is None and entry.tags == []


def test_no_file_chosen_is_a_form_error(client, auth):
    auth.login("cinambo")
    result = upload(client, [])
    assert result.status_code == 400
    assert "Pilih minimal satu berkas" in result.html and 'class="field-error"' in result.html


def test_upload_to_a_trip_the_camat_did_not_join_is_refused(app, client, auth):
    auth.login("cinambo")
    result = upload(client, [(camera_jpeg(8), "x.jpg")], trip="999")
    assert result.status_code == 400
    assert "Pilihan ini tidak tersedia." in result.html and "Not a valid" not in result.html
    assert upload(client, [(camera_jpeg(8), "x.jpg")], trip="abc").status_code == 400
    assert _count(app) == 0


def test_original_file_name_is_escaped_on_results_and_entry_pages(app, client, auth):
    auth.login("cinambo")
    name = "<img src=x onerror=alert(1)>.jpg"
    result = upload(client, [(camera_jpeg(9), name), (camera_jpeg(19), "<script>alert(1)</script>.jpg")],
                    status="published")
    assert result.status_code == 201
    assert "<img src=x" not in result.html and "<script>alert" not in result.html
    assert "&lt;img src=x onerror=alert(1)&gt;.jpg" in result.html
    first = latest_entry_id(app) - 1
    page = client.get(f"/entri/{first}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;.jpg" in page
    second = client.get(f"/entri/{first + 1}").get_data(as_text=True)
    assert "<script>alert" not in second and "</script>.jpg" not in second


def test_upload_form_works_with_csrf(csrf_app):
    import re

    client = csrf_app.test_client()
    login_page = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/masuk", data={"username": "cinambo", "password": "cinambo-demo", "csrf_token": token})
    assert upload(client, [(camera_jpeg(30), "tanpa-token.jpg")]).status_code == 400
    form = client.get("/entri/unggah").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    assert upload(client, [(camera_jpeg(30), "dengan-token.jpg")], csrf_token=token).status_code == 201


def test_camat_without_a_trip_is_told_so(app, client, runner):
    result = runner.invoke(args=["create-user", "budi", "--role", "camat", "--kecamatan", "Andir",
                                 "--password", "Trotoar-Sungai-Taman-9"])
    assert result.exit_code == 0, result.output
    client.post("/masuk", data={"username": "budi", "password": "Trotoar-Sungai-Taman-9"})
    page = client.get("/entri/unggah")
    assert page.status_code == 200
    assert "belum terdaftar sebagai peserta kunjungan" in page.get_data(as_text=True)
    refused = upload(client, [(camera_jpeg(99), "x.jpg")])
    assert refused.status_code == 409 and _count(app) == 0


def test_an_oversized_file_alone_answers_413_with_its_name(app, client, auth):
    app.config["MAX_FILE_BYTES"] = 2000
    auth.login("cinambo")
    result = upload(client, [(camera_jpeg(3, size=(400, 300)) + b"\0" * 4000, "besar_sekali.jpg")])
    assert result.status_code == 413
    assert "besar_sekali.jpg" in result.html and "Gagal" in result.html
    assert _count(app) == 0
