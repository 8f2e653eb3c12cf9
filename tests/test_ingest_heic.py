"""HEIC/HEIF photos (pillow-heif): accepted, upright, EXIF read, kept unchanged,
served only as a download; damaged ones refused with a 4xx and nothing left behind."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from archive.ingest import storage
from archive.ingest.sniff import HEIC, HEIF, sniff
from archive.ingest.thumbnails import THUMBNAIL_SIZES, thumbnail_file
from support.api import bearer
from support.files import SEOUL, camera_exif, heic_bytes, two_colour_image
from test_ingest_pipeline import (  # noqa: F401
    _assert_rejected, assert_thumbnails_upright, ctx, ingest)

#: the real iPhone photo shipped with the demo samples (see README)
IPHONE = Path(__file__).resolve().parents[1] / "archive/demo/samples/heic_IMG_5195.HEIC"


@pytest.fixture(scope="module")
def heic_with_exif() -> bytes:
    return heic_bytes(image=two_colour_image((80, 40)),
                      exif=camera_exif(make="Apple", model="iPhone XR", gps=SEOUL))


def test_heic_is_added_with_its_exif_and_kept_byte_identical(ctx, heic_with_exif):
    [result] = ingest(ctx, {"IMG_0007.HEIC": heic_with_exif})
    assert (result.status, result.http_status) == ("added", 201), result.message
    stored = result.entry.file
    assert (stored.mime_type, stored.kind) == ("image/heic", "photo")
    assert (stored.camera_make, stored.camera_model) == ("Apple", "iPhone XR")
    assert (stored.width, stored.height) == (80, 40)
    assert result.entry.taken_at.isoformat() == "2018-07-10T09:30:00"
    assert result.entry.latitude == pytest.approx(SEOUL[0], abs=1e-4)
    assert result.entry.longitude == pytest.approx(SEOUL[1], abs=1e-4)
    sha = hashlib.sha256(heic_with_exif).hexdigest()
    assert stored.storage_path == f"originals/{sha[:2]}/{sha[2:4]}/{sha}.heic"
    assert storage.original_path(stored).read_bytes() == heic_with_exif
    for size in THUMBNAIL_SIZES:
        with Image.open(thumbnail_file(stored, size)) as thumb:
            assert thumb.format == "JPEG" and thumb.size == (80, 40)


@pytest.mark.parametrize("orientation, upright_size, top_colour", [
    (1, (80, 40), None), (6, (40, 80), "red"), (8, (40, 80), "blue"),
])
def test_heic_thumbnails_are_upright(ctx, orientation, upright_size, top_colour):
    data = heic_bytes(image=two_colour_image((80, 40)), exif=camera_exif(orientation=orientation))
    [result] = ingest(ctx, {"o.heic": data})
    assert result.status == "added", result.message
    assert_thumbnails_upright(result.entry.file, upright_size, top_colour)
    # A rebuilt thumbnail comes out the same way up.
    small = thumbnail_file(result.entry.file, "small")
    small.unlink()
    with Image.open(thumbnail_file(result.entry.file, "small")) as thumb:
        assert thumb.size == upright_size


def test_heic_without_exif_is_added(ctx):
    [result] = ingest(ctx, {"tanpa-exif.heic": heic_bytes(3)})
    assert result.status == "added", result.message
    assert result.entry.taken_at is None and result.entry.latitude is None
    assert result.entry.file.camera_make is None


def test_real_iphone_heic(ctx):
    data = IPHONE.read_bytes()
    [result] = ingest(ctx, {"IMG_5195.HEIC": data})
    assert result.status == "added", result.message
    entry, stored = result.entry, result.entry.file
    assert (stored.camera_make, stored.camera_model) == ("Apple", "iPhone 11 Pro Max")
    assert entry.taken_at.isoformat() == "2021-04-11T15:47:53"
    assert entry.latitude == pytest.approx(39.0514, abs=1e-3)
    assert entry.longitude == pytest.approx(-94.2888, abs=1e-3)
    assert (stored.width, stored.height) == (2566, 3313)
    assert storage.original_path(stored).read_bytes() == data
    with Image.open(thumbnail_file(stored, "large")) as thumb:
        assert thumb.size == (1239, 1600)


def test_truncated_heic_is_refused(ctx, heic_with_exif):
    # libheif alone would decode some cut files with grey tiles: the box walk notices.
    real = IPHONE.read_bytes()
    [cut_real, cut_small] = ingest(ctx, {"potong.HEIC": real[: len(real) // 2],
                                         "kecil.heic": heic_with_exif[:-40]})
    _assert_rejected(ctx, cut_real, 422, "rusak", "potong.HEIC")
    _assert_rejected(ctx, cut_small, 422, "rusak", "kecil.heic")


@pytest.mark.parametrize("name, tail", [
    ("sampah.heic", b"\x00" * 300),
    ("html.heic", b"<html><script>alert(1)</script></html>"),
])
def test_undecodable_or_appended_heic_is_refused(ctx, heic_with_exif, name, tail):
    data = (heic_with_exif[:40] + tail) if name == "sampah.heic" else heic_with_exif + tail
    [result] = ingest(ctx, {name: data})
    _assert_rejected(ctx, result, 422, name)


def test_sniff_tells_heic_heif_and_avif_apart(app):
    with app.test_request_context():
        assert sniff(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "a") is HEIC
        assert sniff(b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", "a") is HEIC
        assert sniff(b"\x00\x00\x00\x14ftypmif1\x00\x00\x00\x00mif1", "a") is HEIF


def test_heic_entry_shows_jpeg_thumbnails_and_downloads_the_original(app, client, tokens,
                                                                     heic_with_exif):
    response = client.post(
        "/api/v1/entries", headers=bearer(tokens["cinambo"]), content_type="multipart/form-data",
        data={"file": (io.BytesIO(heic_with_exif), "IMG_0007.HEIC"), "status": "published"})
    assert response.status_code == 201, response.get_json()
    entry = response.get_json()
    assert entry["file"]["mime_type"] == "image/heic"
    page = client.get(f"/entri/{entry['id']}").get_data(as_text=True)
    assert f"/entri/{entry['id']}/thumb/" in page
    assert f'src="/entri/{entry["id"]}/unduh' not in page  # the HEIC is never an <img>
    with client.get(entry["original_url"]) as original:
        assert original.status_code == 200 and original.mimetype == "image/heic"
        assert original.headers["Content-Disposition"].startswith("attachment;")
        assert "IMG_0007.HEIC" in original.headers["Content-Disposition"]
        assert original.get_data() == heic_with_exif
    with client.get(entry["thumbnail_url"]) as thumb:
        assert thumb.mimetype == "image/jpeg"
        assert Image.open(io.BytesIO(thumb.get_data())).format == "JPEG"
    # A truncated HEIC through the API: a 422 with the message, never a 500.
    cut = client.post(
        "/api/v1/entries", headers=bearer(tokens["cinambo"]), content_type="multipart/form-data",
        data={"file": (io.BytesIO(heic_with_exif[:200]), "potong.heic")})
    assert cut.status_code == 422 and "potong.heic" in cut.get_json()["message"]
