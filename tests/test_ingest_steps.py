"""The ingest steps one by one: sniffing, storage limits, guarded EXIF, PDF limits, names and text."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from archive.ingest import exif, pdf, storage
from archive.core.refusal import Refused
from archive.ingest.pipeline import display_name
from archive.models import Tag
from archive.ingest.sniff import JPEG, PDF, PNG, sniff
from archive.ingest.text import clean_text, one_line
from support.files import camera_exif, jpeg_bytes, pdf_bytes


@pytest.fixture
def request_ctx(app):
    with app.test_request_context("/", method="POST"):
        yield app


# ---------------------------------------------------------------- sniff


def test_sniff_decides_from_content_only(request_ctx):
    assert sniff(jpeg_bytes()[:1024], "foto.pdf") is JPEG
    assert sniff(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "x.jpg") is PNG
    # Readers accept a PDF header a little way into the file.
    assert sniff(b"\xef\xbb\xbf  \n%PDF-1.7\n", "makalah") is PDF


@pytest.mark.parametrize("head, words", [
    (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", ["AVIF"]),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", ["tidak didukung"]),
    (b"PK\x03\x04" + b"\x00" * 30, ["tidak didukung"]),
    (b"%!PS-Adobe-3.0\n", ["tidak didukung"]),
])
def test_sniff_refuses_other_types_with_415(request_ctx, head, words):
    with pytest.raises(Refused) as caught:
        sniff(head, "berkas.jpg")
    assert caught.value.status == 415
    assert all(w in caught.value.message for w in words)
    assert "berkas.jpg" in caught.value.message


# ---------------------------------------------------------------- storage


def test_receive_counts_bytes_against_the_limit(request_ctx):
    upload_dir = Path(request_ctx.config["UPLOAD_DIR"])
    exact = storage.receive(io.BytesIO(b"x" * 100), "a", max_bytes=100)
    assert exact.size_bytes == 100 and exact.temp_path.read_bytes() == b"x" * 100
    storage.discard(exact.temp_path)
    with pytest.raises(Refused) as caught:
        storage.receive(io.BytesIO(b"x" * 101), "b", max_bytes=100)
    assert caught.value.status == 413
    assert [p for p in upload_dir.rglob("*") if p.is_file()] == []


def test_place_never_overwrites_stored_content(request_ctx):
    first = storage.receive(io.BytesIO(b"isi"), "a", max_bytes=10)
    relpath = storage.original_relpath(first.sha256, "jpg")
    assert storage.place(first, relpath) is True
    second = storage.receive(io.BytesIO(b"isi"), "b", max_bytes=10)
    assert storage.place(second, relpath) is False
    target = Path(request_ctx.config["UPLOAD_DIR"]) / relpath
    assert not first.temp_path.exists() and target.read_bytes() == b"isi"
    # The existing file vanished (its entry deleted meanwhile): the new row gets it back.
    target.unlink()
    storage.ensure_placed(second, relpath)
    assert target.read_bytes() == b"isi" and not second.temp_path.exists()


# ---------------------------------------------------------------- EXIF


def _exif_block(data: bytes) -> bytes:
    return Image.open(io.BytesIO(data)).info["exif"]


def test_exif_reading_gives_up_within_its_budget(monkeypatch):
    block = _exif_block(jpeg_bytes(exif=camera_exif(orientation=6)))
    assert exif.read_exif_block(block).orientation == 6
    monkeypatch.setattr(exif, "CALL_BUDGET", 3)
    assert exif.read_exif_block(block) == exif.PhotoMetadata()


@pytest.mark.parametrize("block", [
    None, b"", b"Exif\x00\x00", b"Exif\x00\x00garbage", b"Exif\x00\x00MM\x00*\xff\xff\xff\xff",
    b"Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xff",
])
def test_broken_exif_blocks_mean_no_metadata(block):
    assert exif.read_exif_block(block).taken_at is None


def test_gps_out_of_range_or_at_null_island_is_dropped():
    def block(lat, lon) -> bytes:
        return _exif_block(jpeg_bytes(exif=camera_exif(gps=(lat, lon), altitude=10.0)))
    assert exif.read_exif_block(block(95, 100)).latitude is None
    meta = exif.read_exif_block(block(0, 0))
    assert (meta.latitude, meta.longitude) == (None, None)


def test_impossible_dates_are_ignored():
    data = jpeg_bytes(exif=camera_exif(taken="0000:00:00 00:00:00"))
    assert exif.read_exif_block(_exif_block(data)).taken_at is None


# ---------------------------------------------------------------- PDF


def test_pdf_text_is_bounded_in_pages(request_ctx, tmp_path, monkeypatch):
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf_bytes(pages=["satu", "dua", "tiga", "empat"]))
    monkeypatch.setattr(pdf, "MAX_TEXT_PAGES", 2)
    info = pdf.read_pdf(path, "p.pdf")
    assert info.page_count == 4 and len(info.pages) == 2
    assert [t.strip() for t in info.pages] == ["satu", "dua"]


def test_pdf_over_its_time_budget_is_kept_without_text(request_ctx, tmp_path, monkeypatch):
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf_bytes())
    monkeypatch.setattr(pdf, "TEXT_TIME_BUDGET", -1.0)
    info = pdf.read_pdf(path, "p.pdf")
    assert (info.page_count, info.pages, info.text_available) == (3, [], False)


def test_truncated_pdf_is_refused_or_read_never_crashes(request_ctx, tmp_path):
    data = pdf_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    try:
        info = pdf.read_pdf(path, "cut.pdf")
    except Refused as rejection:
        assert rejection.status == 422 and "rusak" in rejection.message
    else:  # pypdf rebuilt what it could
        assert info.page_count is None or info.page_count >= 1


# ---------------------------------------------------------------- names and text


def test_text_is_made_safe_for_every_database():
    assert clean_text("  Ca\x00non\x00 ") == "Canon"
    assert clean_text("a\ud800b") == "a?b"  # a lone surrogate is not UTF-8
    assert clean_text(b"caf\xc3\xa9\xff") == "café\ufffd"
    assert len(clean_text("x" * 1000, 300)) == 300
    assert one_line(" Jalan \n\t Cheonggye  ") == "Jalan Cheonggye"


def test_display_name_drops_folders_and_is_capped(request_ctx):
    assert display_name("C:\\Users\\camat\\Foto Seoul.jpg") == "Foto Seoul.jpg"
    assert display_name("../../etc/passwd") == "passwd"
    assert len(display_name("报" * 400 + ".jpg")) == 300
    assert display_name("") == "(tanpa nama)"


def test_tags_have_one_rule_on_the_tag_model(request_ctx):
    assert Tag.normalise([" Sungai ", "SUNGAI", "#taman", "", "  ", "a  b"]) == [
        "sungai", "taman", "a b"]
    assert Tag.normalise("Sungai, #Taman ,, sungai") == ["sungai", "taman"]
    assert Tag.normalise(["t%d" % i for i in range(30)]) == ["t%d" % i for i in range(30)]
    for too_much in (["t%d" % i for i in range(31)], "x" * 81, [1, 2]):
        with pytest.raises(Refused) as refused:
            Tag.normalise(too_much)
        assert refused.value.field == "tags" and refused.value.status == 422


# ---------------------------------------------------------------- quiet warnings


def test_quiet_warnings_overlapping_threads_restore_the_filters():
    """Two workers inside at once: both silent, and the filters are back afterwards."""
    import threading
    import warnings

    from archive.ingest.quiet import quiet_warnings

    before = list(warnings.filters)
    a_inside, b_inside, a_left = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            with quiet_warnings():
                if name == "a":
                    a_inside.set()
                    assert b_inside.wait(5)
                else:
                    assert a_inside.wait(5)
                    b_inside.set()
                    assert a_left.wait(5)
                    # A has left, B is still inside: still silent (filterwarnings=error).
                    warnings.warn("DecompressionBombWarning stand-in", UserWarning)
            if name == "a":
                a_left.set()
        except BaseException as err:  # reported below, from the test's own thread
            errors.append(err)
            a_left.set()

    threads = [threading.Thread(target=worker, args=(n,)) for n in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert errors == []
    assert warnings.filters == before
    with pytest.raises(UserWarning):
        warnings.warn("not silenced any more", UserWarning)


@pytest.mark.parametrize("source, target", [((2000, 1500), (1600, 1200)), ((1501, 2003), (1199, 1600))])
def test_banded_resize_is_the_whole_resize(source, target):
    """The largest thumbnail is resampled a band of rows at a time (a tenth of the
    memory): the same picture as one resize, within fixed-point rounding."""
    from PIL import ImageChops

    from archive.ingest.thumbnails import _resize_in_bands

    noise = Image.effect_noise(source, 90).convert("RGB")
    gradient = Image.linear_gradient("L").resize(source).convert("RGB")
    picture = ImageChops.add(noise, gradient, scale=2.0)
    whole = picture.resize(target, Image.Resampling.BILINEAR)
    banded = _resize_in_bands(picture, target, Image.Resampling.BILINEAR)
    assert banded.size == whole.size and banded.mode == whole.mode
    assert max(high for _, high in ImageChops.difference(whole, banded).getextrema()) <= 1
