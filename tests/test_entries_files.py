"""The entry's files: thumbnail caching, the original as a download, the paper inline."""
from __future__ import annotations

from support.files import camera_jpeg, pdf_bytes
from support.rows import latest_entry_id
from support.uploads import upload


def _published(app, client, auth, content: bytes, name: str) -> int:
    auth.login("cinambo")
    assert upload(client, [(content, name)], status="published").status_code == 201
    auth.logout()
    return latest_entry_id(app)


def test_thumbnail_is_a_cached_jpeg(app, client, auth):
    entry_id = _published(app, client, auth, camera_jpeg(50, size=(900, 600)), "besar.jpg")
    response = client.get(f"/entri/{entry_id}/thumb/small.jpg")
    response.get_data()  # buffer the body, then release the file
    response.close()
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.data[:3] == b"\xff\xd8\xff"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cache = response.cache_control
    assert cache.public and cache.immutable and cache.max_age >= 86400
    etag = response.headers["ETag"]
    again = client.get(f"/entri/{entry_id}/thumb/small.jpg", headers={"If-None-Match": etag})
    again.close()
    assert again.status_code == 304
    assert client.get(f"/entri/{entry_id}/thumb/huge.jpg").status_code == 404


def test_original_is_an_attachment_with_nosniff(app, client, auth):
    content = camera_jpeg(51)
    entry_id = _published(app, client, auth, content, "Foto Sungai Cheonggyecheon.jpg")
    response = client.get(f"/entri/{entry_id}/unduh")
    response.get_data()  # buffer the body, then release the file
    response.close()
    assert response.status_code == 200 and response.data == content
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "Cheonggyecheon.jpg" in disposition


def test_non_ascii_and_hostile_names_download_safely(app, client, auth):
    entry_id = _published(app, client, auth, camera_jpeg(52), '报告 "x"\r\n.jpg')
    response = client.get(f"/entri/{entry_id}/unduh")
    response.get_data()  # buffer the body, then release the file
    response.close()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "filename*=UTF-8''" in disposition
    assert "\r" not in disposition and "\n" not in disposition


def test_a_name_in_another_script_keeps_a_readable_ascii_fallback(app, client, auth):
    from urllib.parse import quote

    entry_id = _published(app, client, auth, camera_jpeg(53), "清溪川照片.jpg")
    response = client.get(f"/entri/{entry_id}/unduh")
    response.get_data()
    response.close()
    disposition = response.headers["Content-Disposition"]
    # Browsers that only read filename= get a real name, not ".jpg".
    assert f'filename="entri-{entry_id}.jpg"' in disposition
    assert "filename*=UTF-8''" + quote("清溪川照片.jpg") in disposition
    # A Latin name with accents keeps its letters in the fallback.
    entry_id = _published(app, client, auth, camera_jpeg(54), "Café Seoul.jpg")
    response = client.get(f"/entri/{entry_id}/unduh")
    response.get_data()
    response.close()
    assert 'filename="Cafe Seoul.jpg"' in response.headers["Content-Disposition"]


def test_paper_is_inline_pdf_in_a_sandbox(app, client, auth):
    content = pdf_bytes()
    entry_id = _published(app, client, auth, content, "makalah.pdf")
    response = client.get(f"/entri/{entry_id}/paper.pdf")
    response.get_data()  # buffer the body, then release the file
    response.close()
    assert response.status_code == 200 and response.data == content
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert "makalah.pdf" in response.headers["Content-Disposition"]


def test_paper_route_is_only_for_papers(app, client, auth):
    entry_id = _published(app, client, auth, camera_jpeg(53), "foto.jpg")
    assert client.get(f"/entri/{entry_id}/paper.pdf").status_code == 404


def test_missing_entry_files_are_404(client):
    for url in ("/entri/9999", "/entri/9999/unduh", "/entri/9999/paper.pdf", "/entri/9999/thumb/small.jpg"):
        assert client.get(url).status_code == 404
