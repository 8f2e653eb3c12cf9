"""Data after a picture's end is refused for JPEG (and MPO) exactly as for PNG,
also when the appended data itself ends with the format's end marker."""
from __future__ import annotations

import pytest

from archive.ingest import storage
from support.files import jpeg_bytes, mpo_bytes, noise_image, png_bytes
from test_ingest_pipeline import _assert_rejected, ctx, ingest  # noqa: F401

HTML = b"<html><script>alert('xss')</script></html>"
PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"


@pytest.mark.parametrize("name, data, kind", [
    ("palsu.jpg", jpeg_bytes(image=noise_image((120, 90))) + HTML + b"\xff\xd9", "JPEG"),
    ("palsu.png", png_bytes() + HTML + PNG_IEND, "PNG"),
    ("palsu-mpo.jpg", mpo_bytes() + HTML, "JPEG"),
    ("palsu-mpo2.jpg", mpo_bytes() + HTML + b"\xff\xd9", "JPEG"),
])
def test_data_after_the_end_is_refused_even_behind_a_fake_end_marker(ctx, name, data, kind):
    [result] = ingest(ctx, {name: data})
    _assert_rejected(ctx, result, 422, name, kind, "data tambahan")


def test_progressive_jpeg_and_mpo_are_accepted_whole(ctx):
    progressive = jpeg_bytes(image=noise_image((160, 120), seed=4), progressive=True)
    mpo = mpo_bytes()
    results = ingest(ctx, {"progresif.jpg": progressive, "ganda.jpg": mpo})
    assert [r.status for r in results] == ["added", "added"], [r.message for r in results]
    assert storage.original_path(results[0].entry.file).read_bytes() == progressive
    assert storage.original_path(results[1].entry.file).read_bytes() == mpo


def _with_fill_before_eoi(data: bytes, fill: bytes) -> bytes:
    """A JPEG whose EOI is preceded by ``fill`` (0xFF fill bytes, a restart marker)."""
    assert data.endswith(b"\xff\xd9")
    return data[:-2] + fill + b"\xff\xd9"


@pytest.mark.parametrize("fill", [b"\xff", b"\xff\xff\xff", b"\xff\xd3", b"\xff\x00"])
def test_fill_bytes_and_restart_markers_before_the_end_are_walked(tmp_path, fill):
    from archive.ingest import ends

    path = tmp_path / "isi.jpg"
    good = _with_fill_before_eoi(jpeg_bytes(image=noise_image((64, 48))), fill)
    path.write_bytes(good)
    ends.check_end(path, "image/jpeg")  # the picture fills the file
    path.write_bytes(good + b"\x00\x00")  # camera padding is allowed
    ends.check_end(path, "image/jpeg")
    path.write_bytes(good + HTML)
    with pytest.raises(ends.Trailing):
        ends.check_end(path, "image/jpeg")
    path.write_bytes(good[:-2])  # no end marker at all
    with pytest.raises(ends.CutShort):
        ends.check_end(path, "image/jpeg")
