"""POST /api/v1/entries through the real ingest pipeline: added, duplicate, refused."""
from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select

from archive.extensions import db
from archive.models import Entry, StoredFile, Trip
from support.api import assert_json_error, bearer, issue_token
from support.files import jpeg_bytes


def exif_jpeg(seed: int) -> bytes:
    """A JPEG with the EXIF a phone writes: time taken and a GPS position in Seoul."""
    from PIL import Image

    image = Image.open(io.BytesIO(jpeg_bytes(seed, (320, 240))))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Samsung", "SM-G960F"  # Make, Model
    exif.get_ifd(0x8769)[0x9003] = "2018:07:10 14:05:00"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (37.0, 34.0, 10.0)
    gps[3], gps[4] = "E", (126.0, 58.0, 40.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def pdf_bytes() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    for text in ("Penataan reklame di Seoul", "Halaman kedua"):
        pdf.add_page()
        pdf.set_font("helvetica", size=14)
        pdf.cell(text=text)
    return bytes(pdf.output())


def upload(client, token, content: bytes, filename: str = "foto.jpg", **fields):
    data = {"file": (io.BytesIO(content), filename), **fields}
    return client.post("/api/v1/entries", data=data, headers=bearer(token),
                       content_type="multipart/form-data")


def files_in(folder: str) -> list[Path]:
    return [p for p in Path(folder).rglob("*") if p.is_file()]


def entry_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Entry.id)))


def test_upload_photo_is_201_with_the_entry(app, client, tokens):
    response = upload(client, tokens["cinambo"], exif_jpeg(1), "sungai.jpg",
                      title="Cheonggyecheon", description="Sungai di tengah kota.",
                      topic="rivers", tags="sungai, Ruang Publik", status="published",
                      place_name="Cheonggyecheon, Seoul")
    assert response.status_code == 201, response.get_json()
    e = response.get_json()
    assert response.headers["Location"] == f"http://localhost/api/v1/entries/{e['id']}"
    assert (e["kind"], e["title"], e["status"]) == ("photo", "Cheonggyecheon", "published")
    assert e["description"] == "Sungai di tengah kota."
    assert e["topic"]["slug"] == "rivers" and e["tags"] == ["ruang publik", "sungai"]
    assert e["place_name"] == "Cheonggyecheon, Seoul"
    assert e["taken_at"] == "2018-07-10T14:05:00"
    assert abs(e["latitude"] - 37.5694) < 0.001 and abs(e["longitude"] - 126.9778) < 0.001
    assert e["file"]["original_name"] == "sungai.jpg" and e["file"]["width"] == 320
    record = e["author"]["score_record"]
    assert (e["author"]["name"], e["author"]["kecamatan"]) == ("Camat Cinambo", "Cinambo")
    assert (record["score"], record["rank"], record["zone"], record["period"]) == (
        93.56, 1, "green", "2018")
    assert e["trip"]["slug"] == "seoul-2018"
    # the URLs given work
    with client.get(e["thumbnail_url"]) as thumb:  # file responses must be closed
        assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    with client.get(e["original_url"]) as original:
        assert original.status_code == 200 and original.data == exif_jpeg(1)
    assert client.get(f"/api/v1/entries/{e['id']}").get_json()["title"] == "Cheonggyecheon"


def test_upload_defaults_to_draft_and_a_derived_title(app, client, tokens):
    e = upload(client, tokens["cinambo"], jpeg_bytes(2), "taman_seoul.jpg").get_json()
    assert e["status"] == "draft" and e["title"] and e["topic"] is None
    assert_json_error(client.get(f"/api/v1/entries/{e['id']}"), 404)  # a draft, to visitors


def test_same_content_twice_is_200_with_the_same_entry(app, client, tokens):
    first = upload(client, tokens["cinambo"], jpeg_bytes(3), "a.jpg", status="published")
    again = upload(client, tokens["cinambo"], jpeg_bytes(3), "another-name.jpg")
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["message"]
    assert entry_count(app) == 1
    # another camat uploading a published entry's file is pointed to it too
    theirs = upload(client, tokens["batununggal"], jpeg_bytes(3))
    assert theirs.status_code == 200 and theirs.get_json()["id"] == first.get_json()["id"]


def test_duplicate_of_someone_elses_draft_does_not_reveal_it(app, client, tokens):
    draft = upload(client, tokens["cinambo"], jpeg_bytes(4), "rahasia.jpg", title="Draf saya")
    assert draft.status_code == 201
    body = assert_json_error(upload(client, tokens["batununggal"], jpeg_bytes(4)), 409)
    assert "Draf saya" not in body["message"] and "id" not in body


def test_upload_paper(app, client, tokens):
    response = upload(client, tokens["cinambo"], pdf_bytes(), "laporan.pdf", topic="signage",
                      title="Penataan reklame")
    assert response.status_code == 201, response.get_json()
    e = response.get_json()
    assert (e["kind"], e["page_count"]) == ("paper", 2)
    assert e["thumbnail_url"].endswith(f"/entri/{e['id']}/thumb/small.jpg")  # its first page
    assert e["paper_url"].endswith(f"/entri/{e['id']}/paper.pdf")
    assert e["text_available"] is True


def test_bad_files_are_4xx_json_and_leave_nothing(app, client, tokens):
    upload_dir = app.config["UPLOAD_DIR"]
    before = files_in(upload_dir)
    cases = [
        (b"<html><script>alert(1)</script></html>", "foto.jpg", 415),  # not an image at all
        (jpeg_bytes(5, (400, 300))[:300], "potong.jpg", 422),          # a truncated JPEG
        (b"%PDF-1.4\n garbage", "rusak.pdf", 422),                      # a damaged PDF
        (b"", "kosong.jpg", 400),                                       # empty
    ]
    for content, name, status in cases:
        body = assert_json_error(upload(client, tokens["cinambo"], content, name), status)
        assert name in body["message"], body  # the message names the file
    assert entry_count(app) == 0
    assert files_in(upload_dir) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(StoredFile.id))) == 0


def test_field_errors_are_422_and_nothing_is_stored(app, client, tokens):
    token = tokens["cinambo"]
    body = assert_json_error(upload(client, token, jpeg_bytes(6), topic="volcanoes"), 422)
    assert "volcanoes" in body["message"] and "street-furniture" in body["message"]
    body = assert_json_error(upload(client, token, jpeg_bytes(6), status="archived"), 422)
    assert "draft" in body["message"] and "published" in body["message"]
    assert "tag" in assert_json_error(
        upload(client, token, jpeg_bytes(6), tag="typo"), 422)["message"]
    assert "title" in assert_json_error(
        upload(client, token, jpeg_bytes(6), title="x" * 301), 422)["message"]
    assert "mars" in assert_json_error(
        upload(client, token, jpeg_bytes(6), trip="mars"), 422)["message"]
    assert entry_count(app) == 0


def test_missing_or_extra_files_and_wrong_body(client, tokens):
    headers = bearer(tokens["cinambo"])
    body = assert_json_error(client.post("/api/v1/entries", headers=headers,
                                         data={"title": "x"},
                                         content_type="multipart/form-data"), 422)
    assert "file" in body["message"]
    two = {"file": [(io.BytesIO(jpeg_bytes(7)), "a.jpg"), (io.BytesIO(jpeg_bytes(8)), "b.jpg")]}
    assert_json_error(client.post("/api/v1/entries", headers=headers, data=two,
                                  content_type="multipart/form-data"), 422)
    body = assert_json_error(client.post("/api/v1/entries", headers=headers,
                                         json={"title": "x"}), 415)
    assert "multipart/form-data" in body["message"]


def test_user_without_a_camat_cannot_upload(client, tokens):
    body = assert_json_error(upload(client, tokens["admin"], jpeg_bytes(9)), 403)
    assert "camat" in body["message"]


def test_upload_only_to_a_trip_the_camat_joined(app, client, tokens):
    with app.app_context():
        db.session.add(Trip(slug="tokyo-2019", title="Tokyo", host_city="Tokyo", year=2019,
                            score_period="2019"))
        db.session.commit()
    body = assert_json_error(upload(client, tokens["cinambo"], jpeg_bytes(10),
                                    trip="tokyo-2019"), 422)
    assert "tokyo-2019" in body["message"]
    ok = upload(client, tokens["cinambo"], jpeg_bytes(10), trip="seoul-2018")
    assert ok.status_code == 201 and ok.get_json()["trip"]["slug"] == "seoul-2018"


def test_names_and_text_arrive_as_sent(app, client, tokens):
    long_name = "foto-" + "x" * 400 + ".jpg"
    e = upload(client, tokens["cinambo"], jpeg_bytes(13), "报告 청계천.jpg",
               title="Taman <b>inovatif</b>\x00", tags="#Taman, 공원").get_json()
    assert e["file"]["original_name"] == "报告 청계천.jpg"
    assert e["title"] == "Taman <b>inovatif</b>"  # JSON carries it as text; NUL dropped
    assert e["tags"] == ["taman", "공원"]
    long = upload(client, tokens["cinambo"], jpeg_bytes(14), long_name)
    assert long.status_code == 201 and len(long.get_json()["file"]["original_name"]) <= 300


def test_encrypted_pdf_is_accepted_without_text_and_says_so(client, tokens):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("rahasia")
    out = io.BytesIO()
    writer.write(out)
    response = upload(client, tokens["cinambo"], out.getvalue(), "terkunci.pdf")
    assert response.status_code == 201, response.get_json()
    e = response.get_json()
    assert e["kind"] == "paper" and e["text_available"] is False
    assert "terkunci.pdf" in e["message"]


def test_a_slow_upload_does_not_hold_the_database(app, live_server):
    """While an upload's body is still arriving, other writers get through (SQLite's lock)."""
    import socket
    import threading

    from archive.api.auth import token_authenticated
    from archive.models import Tag

    token = issue_token(app, "cinambo")
    authenticated = threading.Event()

    def on_authenticated(_sender, **_extra) -> None:
        authenticated.set()

    token_authenticated.connect(on_authenticated, weak=False)
    boundary = "archive-test-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"pelan.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").encode()
    body = head + jpeg_bytes(20) + f"\r\n--{boundary}--\r\n".encode()
    sent = len(head) + 10
    sock = socket.create_connection(("127.0.0.1", live_server.server_port), timeout=60)
    sock.sendall((f"POST /api/v1/entries HTTP/1.1\r\nHost: localhost\r\n"
                  f"Authorization: Bearer {token}\r\n"
                  f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
                 + body[:sent])
    assert authenticated.wait(10), "the request was never authenticated"
    # The view now reads the rest of the body, which has not been sent.

    wrote = threading.Event()

    def write() -> None:
        with app.app_context():
            db.session.add(Tag(name="ditulis-saat-unggah"))
            db.session.commit()
        wrote.set()

    writer = threading.Thread(target=write)
    writer.start()
    in_time = wrote.wait(2.0)
    sock.sendall(body[sent:])  # let the upload finish either way
    writer.join(40)
    response = b""
    while chunk := sock.recv(65536):
        response += chunk
    sock.close()
    token_authenticated.disconnect(on_authenticated)
    assert in_time, "a writer waited for the upload's body"
    assert response.startswith(b"HTTP/1.1 201"), response[:200]


def test_size_limits_are_413_json_and_store_nothing(app, client, tokens):
    """Each limit in turn on one app (config is read per request), to keep the test cheap."""
    token = tokens["cinambo"]
    defaults = {key: app.config[key] for key in
                ("MAX_CONTENT_LENGTH", "MAX_FILE_BYTES", "MAX_IMAGE_PIXELS")}
    cases = [
        # the whole request, over the app's limit
        ({"MAX_CONTENT_LENGTH": 20_000}, jpeg_bytes(11) + b"\0" * 30_000, None),
        # over one file plus its fields: refused before the body is spooled to disk
        ({"MAX_FILE_BYTES": 64 * 1024}, jpeg_bytes(15) + b"\0" * (400 * 1024), "0,06 MB"),
        # within the request but over the per-file limit: the pipeline refuses it
        ({"MAX_FILE_BYTES": 1_000}, jpeg_bytes(12, (300, 300)), "besar.jpg"),
        # too many pixels
        ({"MAX_IMAGE_PIXELS": 10_000}, jpeg_bytes(21, (200, 100)), "megapiksel"),
    ]
    for overrides, content, expected in cases:
        app.config.update(defaults | overrides)
        body = assert_json_error(upload(client, token, content, "besar.jpg"), 413)
        assert expected is None or expected in body["message"], (overrides, body)
    app.config.update(defaults)
    assert entry_count(app) == 0
    assert files_in(app.config["UPLOAD_DIR"]) == []


def _thumbnails_of(app, entry_id: int) -> list[Path]:
    from archive.ingest.thumbnails import THUMBNAIL_SIZES, thumbnail_path

    with app.app_context():
        stored = db.session.get(Entry, entry_id).file
        return [thumbnail_path(stored, size) for size in THUMBNAIL_SIZES]


def test_a_single_photo_is_answered_before_its_thumbnails_are_made(app, client, tokens):
    """The answer waits for the original and the rows, not for the thumbnails:
    they are made once the answer is sent, when the server closes the response."""
    from PIL import Image

    response = upload(client, tokens["cinambo"], exif_jpeg(5), "trotoar.jpg")
    assert response.status_code == 201
    entry_id = response.get_json()["id"]
    paths = _thumbnails_of(app, entry_id)
    with app.app_context():
        stored = db.session.get(Entry, entry_id).file
        from archive.ingest import storage
        assert storage.original_path(stored).read_bytes() == exif_jpeg(5)  # durable first
    assert not any(p.exists() for p in paths)
    response.close()  # as the server does after the last byte
    assert all(p.exists() for p in paths)
    with Image.open(paths[0]) as small:
        assert max(small.size) == 320  # a 320 px photo is never enlarged
    assert files_in(Path(app.config["UPLOAD_DIR"]) / "tmp") == []


def test_thumbnails_lost_with_a_worker_that_died_after_the_answer_are_made_when_asked(
        app, client, tokens):
    response = upload(client, tokens["cinambo"], exif_jpeg(6), "taman.jpg", status="published")
    body = response.get_json()
    # the response is never closed: the worker died before the work after the answer
    paths = _thumbnails_of(app, body["id"])
    assert not any(p.exists() for p in paths)
    with client.get(body["thumbnail_large_url"]) as thumb:
        assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert paths[1].exists() or paths[0].exists()


def test_a_failed_thumbnail_after_the_answer_is_logged_and_the_entry_stays(
        app, client, tokens, monkeypatch, caplog):
    from archive.ingest import thumbnails

    def broken(*args):
        raise OSError("disk gone")

    monkeypatch.setattr(thumbnails, "store", broken)
    response = upload(client, tokens["cinambo"], exif_jpeg(7), "jalan.jpg")
    assert response.status_code == 201
    response.close()
    assert "work after the answer failed" in caplog.text
    assert entry_count(app) == 1
