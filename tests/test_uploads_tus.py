"""Resumable uploads (tus 1.0) through the API and the site: cut and resumed, ended, expired, limited."""
from __future__ import annotations

import base64
import hashlib
import io
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from archive.extensions import db
from archive.models import Entry, PartialUpload
from support.api import assert_json_error, bearer
from support.tus import API, TUS, create, head, patch, photo


def partial_files(app) -> list[Path]:
    return list((Path(app.config["UPLOAD_DIR"]) / "tmp").rglob("*.part"))


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count(Entry.id))),
                db.session.scalar(select(func.count()).select_from(PartialUpload)))


def test_cut_at_half_then_resumed_from_head_gives_one_identical_entry(app, client, tokens):
    auth = bearer(tokens["cinambo"])
    content = photo(1)
    half = len(content) // 2
    entries_before = counts(app)[0]
    created = create(client, len(content), auth, filename="sungai.jpg", topic="rivers",
                     tags="sungai, trotoar", place="Cheonggyecheon", status="published")
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.headers["Tus-Resumable"] == "1.0.0" and created.headers["Upload-Expires"]
    location = created.headers["Location"]
    # The connection drops at half: the body announces every byte, only half arrive.
    cut = client.patch(location, input_stream=io.BytesIO(content[:half]), headers={
        **TUS, **auth, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream",
        "Content-Length": str(len(content))})
    assert cut.status_code in (204, 400)  # the client is gone; what arrived is kept
    offset = head(client, location, auth)
    assert offset.status_code == 200 and offset.headers["Cache-Control"] == "no-store"
    assert int(offset.headers["Upload-Offset"]) == half
    assert offset.headers["Upload-Length"] == str(len(content))
    assert counts(app)[0] == entries_before  # a partial upload is never an entry
    done = patch(client, location, half, content[half:], auth)
    assert done.status_code == 204, done.get_data(as_text=True)
    assert done.headers["Upload-Offset"] == str(len(content))
    assert done.headers["Upload-Result"] == "added"
    entry_id = int(done.headers["Upload-Entry-Id"])
    result = client.get(location, headers=auth).get_json()
    assert result["status"] == "added" and result["entry_id"] == entry_id
    assert "sungai.jpg" in result["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Entry.id))) == entries_before + 1
        entry = db.session.get(Entry, entry_id)
        assert entry.place_name == "Cheonggyecheon" and entry.status == "published"
        assert sorted(t.name for t in entry.tags) == ["sungai", "trotoar"]
        stored = Path(app.config["UPLOAD_DIR"]) / entry.file.storage_path
        assert stored.read_bytes() == content
        assert entry.file.sha256 == hashlib.sha256(content).hexdigest()
    assert partial_files(app) == []


def test_same_content_again_is_a_duplicate_and_bad_bytes_a_failed_line(app, client, tokens):
    auth = bearer(tokens["cinambo"])
    content = photo(2)
    for expected in ("added", "duplicate"):
        location = create(client, len(content), auth).headers["Location"]
        done = patch(client, location, 0, content, auth)
        assert done.headers["Upload-Result"] == expected
    junk = b"not a photo at all" * 10
    location = create(client, len(junk), auth, filename="catatan.txt").headers["Location"]
    done = patch(client, location, 0, junk, auth)
    assert done.status_code == 204 and done.headers["Upload-Result"] == "failed"
    result = client.get(location, headers=auth).get_json()
    assert result["status"] == "failed" and result["http_status"] == 415
    assert "catatan.txt" in result["message"] and result["entry_id"] is None
    assert partial_files(app) == []


def test_protocol_answers(app, client, tokens):
    auth = bearer(tokens["cinambo"])
    options = client.options(API)
    assert options.status_code == 204 and options.headers["Tus-Version"] == "1.0.0"
    assert "termination" in options.headers["Tus-Extension"]
    assert options.headers["Tus-Checksum-Algorithm"] == "sha1"
    wrong = client.post(API, headers={**auth, "Tus-Resumable": "0.2.2", "Upload-Length": "5"})
    assert wrong.status_code == 412 and wrong.headers["Tus-Version"] == "1.0.0"
    assert_json_error(create(client, app.config["MAX_FILE_BYTES"] + 1, auth), 413)
    bad_meta = client.post(API, headers={**TUS, **auth, "Upload-Length": "5",
                                         "Upload-Metadata": "filename ###"})
    assert assert_json_error(bad_meta, 400)["field"] == "Upload-Metadata"
    assert_json_error(create(client, 10, auth, topic="no-such-topic"), 422)
    location = create(client, 10, auth).headers["Location"]
    assert_json_error(patch(client, location, 3, b"abc", auth), 409)
    plain = client.patch(location, data=b"abc", headers={
        **TUS, **auth, "Upload-Offset": "0", "Content-Type": "text/plain"})
    assert_json_error(plain, 415)
    assert_json_error(patch(client, location, 0, b"x" * 11, auth), 413)
    assert head(client, location, auth).headers["Upload-Offset"] == "0"
    # Another camat's upload does not exist for them.
    assert head(client, location, bearer(tokens["batununggal"])).status_code == 404
    assert_json_error(create(client, 10, bearer(tokens["admin"])), 403)


def test_checksum_mismatch_is_460_and_keeps_nothing_of_the_chunk(app, client, tokens):
    auth = bearer(tokens["cinambo"])
    location = create(client, 20, auth).headers["Location"]
    wrong = base64.b64encode(hashlib.sha1(b"other").digest()).decode()
    refused = patch(client, location, 0, b"0123456789", auth, **{"Upload-Checksum": f"sha1 {wrong}"})
    assert_json_error(refused, 460)
    assert head(client, location, auth).headers["Upload-Offset"] == "0"
    assert_json_error(patch(client, location, 0, b"0123456789", auth,
                            **{"Upload-Checksum": "md5 AAAA"}), 400)
    right = base64.b64encode(hashlib.sha1(b"0123456789").digest()).decode()
    accepted = patch(client, location, 0, b"0123456789", auth, **{"Upload-Checksum": f"sha1 {right}"})
    assert accepted.status_code == 204 and accepted.headers["Upload-Offset"] == "10"


def test_termination_removes_row_and_bytes(app, client, tokens):
    auth = bearer(tokens["cinambo"])
    location = create(client, 100, auth).headers["Location"]
    patch(client, location, 0, b"x" * 40, auth)
    assert len(partial_files(app)) == 1
    ended = client.delete(location, headers={**TUS, **auth})
    assert ended.status_code == 204 and ended.headers["Tus-Resumable"] == "1.0.0"
    assert head(client, location, auth).status_code == 404
    assert partial_files(app) == [] and counts(app)[1] == 0


def test_expired_partial_is_refused_then_swept_leaving_nothing(app, client, tokens, runner):
    auth = bearer(tokens["cinambo"])
    entries_before = counts(app)[0]
    locations = [create(client, 100, auth).headers["Location"] for _ in range(2)]
    for location in locations:
        patch(client, location, 0, b"x" * 60, auth)
    with app.app_context():
        for upload in db.session.scalars(select(PartialUpload)):
            upload.expires_at -= timedelta(hours=25)
        db.session.commit()
    assert head(client, locations[0], auth).status_code == 410
    result = runner.invoke(args=["sweep-uploads"])
    assert result.exit_code == 0 and "dihapus: 2" in result.output
    assert partial_files(app) == [] and counts(app) == (entries_before, 0)
    # A new upload also sweeps what expired meanwhile.
    location = create(client, 100, auth).headers["Location"]
    with app.app_context():
        db.session.get(PartialUpload, location.rsplit("/", 1)[1]).expires_at -= timedelta(days=2)
        db.session.commit()
    create(client, 100, auth)
    assert counts(app)[1] == 1 and len(partial_files(app)) == 1


def test_per_user_limits_count_and_bytes(app, client, tokens):
    auth = bearer(tokens["cinambo"])
    app.config.update(UPLOAD_PENDING_MAX_COUNT=2, UPLOAD_PENDING_MAX_BYTES=1000)
    assert create(client, 600, auth).status_code == 201
    too_big = assert_json_error(create(client, 600, auth), 429)
    assert "1000" not in too_big["message"] or "MB" in too_big["message"]
    assert create(client, 300, auth).status_code == 201
    assert "2" in assert_json_error(create(client, 10, auth), 429)["message"]
    # Another camat has limits of their own.
    assert create(client, 10, bearer(tokens["batununggal"])).status_code == 201


def test_api_needs_a_token(client):
    assert_json_error(create(client, 10, {}), 401)
    assert head(client, API + "abc", {}).status_code == 401


def test_site_needs_login_and_csrf_header(csrf_app):
    client = csrf_app.test_client()
    url = "/entri/unggah/tus/"
    assert "Muat ulang" in assert_json_error(create(client, 10, {}, url=url), 400)["message"]
    assert head(client, url + "abc", {}).status_code == 401
    from support.rows import password_of

    page = client.get("/masuk").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/masuk", data={"username": "cinambo", "password": password_of("cinambo"),
                                "csrf_token": token})
    assert_json_error(create(client, 10, {}, url=url), 400)  # no CSRF token
    fresh = client.get("/entri/unggah/token").get_json()["csrf_token"]
    created = create(client, 10, {"X-CSRFToken": fresh}, url=url)
    assert created.status_code == 201, created.get_data(as_text=True)
    location = created.headers["Location"]
    assert "/entri/unggah/tus/" in location
    assert patch(client, location, 0, b"0123456789", {}).status_code == 400
    done = patch(client, location, 0, b"0123456789", {"X-CSRFToken": fresh})
    assert done.status_code == 204 and done.headers["Upload-Result"] == "failed"
    client.post("/keluar", data={"csrf_token": fresh})
    assert head(client, location, {}).status_code == 401
    assert client.get(location).get_json()["status"] == 401


def test_service_worker_and_manifest_make_the_page_an_app(client, auth):
    worker = client.get("/entri/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Service-Worker-Allowed"] == "/entri/unggah"
    assert "no-cache" in worker.headers["Cache-Control"]
    assert b"arsip-unggah" in worker.get_data()
    worker.close()
    manifest = client.get("/entri/unggah/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    body = manifest.get_json(force=True)
    assert body["start_url"] == "/entri/unggah" and body["scope"] == "/entri/unggah"
    auth.login("cinambo")
    page = client.get("/entri/unggah")
    policy = page.headers["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
    html = page.get_data(as_text=True)
    assert 'rel="manifest"' in html and 'data-tus-endpoint="/entri/unggah/tus/"' in html
    # Without JavaScript the same form still posts every file at once.
    assert 'enctype="multipart/form-data"' in html and 'action="/entri/unggah"' in html


def test_a_real_connection_cut_mid_body_keeps_what_arrived(app, live_server, tokens):
    """Over a socket to the real server: half the body, then the connection closes."""
    import http.client
    import socket
    from urllib.parse import urlsplit

    auth = bearer(tokens["cinambo"])
    content = photo(3)
    half = len(content) // 2
    host = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    connection.request("POST", API, headers={**TUS, **auth, "Upload-Length": str(len(content))})
    location = urlsplit(connection.getresponse().getheader("Location")).path
    connection.close()
    with socket.create_connection((host.hostname, host.port), timeout=10) as raw:
        head_lines = [f"PATCH {location} HTTP/1.1", f"Host: {host.netloc}",
                      "Tus-Resumable: 1.0.0", f"Authorization: {auth['Authorization']}",
                      "Upload-Offset: 0", "Content-Type: application/offset+octet-stream",
                      f"Content-Length: {len(content)}"]
        raw.sendall(("\r\n".join(head_lines) + "\r\n\r\n").encode() + content[:half])
        raw.shutdown(socket.SHUT_WR)  # the phone's signal is gone
        raw.recv(1024)  # the server gives up on the rest
    client = app.test_client()
    assert head(client, location, auth).headers["Upload-Offset"] == str(half)
    done = patch(client, location, half, content[half:], auth)
    assert done.headers["Upload-Result"] == "added"
    with app.app_context():
        entry = db.session.get(Entry, int(done.headers["Upload-Entry-Id"]))
        assert (Path(app.config["UPLOAD_DIR"]) / entry.file.storage_path).read_bytes() == content
