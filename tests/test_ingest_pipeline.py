"""The upload pipeline end to end through ``ingest_batch``: results, rows and files on disk.

Every sample file is generated (support.files: Pillow, fpdf2, pypdf), so the
tests run anywhere; the real camera files in /work/shared were tried by hand.
"""
from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from archive.extensions import db
from archive.ingest import records, storage
from archive.ingest.pipeline import EntryFields, Upload, ingest_batch
from archive.ingest.thumbnails import THUMBNAIL_SIZES, thumbnail_file, thumbnail_path
from archive.models import Camat, Entry, PaperPage, StoredFile, Tag, Trip
from support.files import (
    PAGE_TEXTS, camera_exif, encrypted_pdf_bytes, jpeg_bytes, mpo_bytes, noise_image, pdf_bytes,
    png_bytes, two_colour_image, with_app1)
from support.rows import camat_of, seoul

# ---------------------------------------------------------------- helpers


@pytest.fixture
def ctx(app):
    """A request context (as in the upload view) with the camat and trip loaded."""
    with app.test_request_context("/entri/unggah", method="POST"):
        yield type("Ctx", (), {"app": app, "camat": camat_of("Cinambo"), "trip": seoul(),
                               "upload_dir": Path(app.config["UPLOAD_DIR"])})


def ingest(ctx, files: dict[str, bytes] | list[tuple[str, bytes]], fields: EntryFields | None = None,
           camat: Camat | None = None):
    items = files.items() if isinstance(files, dict) else files
    uploads = [Upload(name, io.BytesIO(data)) for name, data in items]
    return ingest_batch(uploads, fields or EntryFields(), camat=camat or ctx.camat, trip=ctx.trip)


def answer_sent(ctx) -> None:
    """What follows the view in a real request: the response is made, and the
    WSGI server closes it after its last byte (the batch's index sync runs then)."""
    ctx.app.process_response(ctx.app.response_class("ok")).close()


def files_on_disk(upload_dir: Path) -> list[str]:
    return sorted(str(p.relative_to(upload_dir)) for p in upload_dir.rglob("*") if p.is_file())


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------- photos


def test_photo_is_added_with_its_exif(ctx):
    data = jpeg_bytes(image=two_colour_image((80, 40)), exif=camera_exif(orientation=1))
    [result] = ingest(ctx, {"IMG_0001.jpg": data}, EntryFields(topic_id=1, place_name="Gangnam"))
    assert (result.status, result.http_status) == ("added", 201)
    assert "IMG_0001.jpg" in result.message
    entry = result.entry
    assert entry.kind == "photo" and entry.status == "draft"
    # no EXIF description: where (the GPS place before the typed one) and when, not the
    # camera's file name
    assert entry.title == "Jung-gu, Seoul, 10 Juli 2018 09:30"
    assert entry.taken_at.isoformat() == "2018-07-10T09:30:00"
    assert entry.latitude == pytest.approx(37.5601, abs=1e-4)
    assert entry.longitude == pytest.approx(126.978117, abs=1e-4)
    assert (entry.place_name, entry.topic_id, entry.camat_id) == ("Gangnam", 1, ctx.camat.id)
    stored = entry.file
    assert (stored.camera_make, stored.camera_model) == ("Samsung", "SM-G960F")
    assert stored.altitude == pytest.approx(38.5)
    assert (stored.width, stored.height, stored.orientation) == (80, 40, 1)
    assert stored.mime_type == "image/jpeg" and stored.size_bytes == len(data)
    assert stored.exif["EXIF DateTimeOriginal"] == "2018:07:10 09:30:00"
    import hashlib
    sha = hashlib.sha256(data).hexdigest()
    assert stored.sha256 == sha
    # The stored name is generated from the hash, and the original is unchanged.
    assert stored.storage_path == f"originals/{sha[:2]}/{sha[2:4]}/{sha}.jpg"
    assert storage.original_path(stored).read_bytes() == data
    assert files_on_disk(ctx.upload_dir) == sorted(
        [stored.storage_path] + [f"thumbs/{sha[:2]}/{sha[2:4]}/{sha}-{s}.jpg" for s in THUMBNAIL_SIZES])


def test_every_kept_original_is_fsynced_before_its_row_commits(ctx, monkeypatch):
    synced: list[bytes] = []
    real = storage.make_durable
    monkeypatch.setattr(storage, "make_durable",
                        lambda path: (synced.append(path.read_bytes()), real(path)))
    photo, paper = jpeg_bytes(), pdf_bytes()
    results = ingest(ctx, [("a.jpg", photo), ("b.pdf", paper), ("c.txt", b"teks")])
    assert [r.status for r in results] == ["added", "added", "failed"]
    assert synced == [photo, paper]


def test_southern_western_hemisphere_and_below_sea_level(ctx):
    exif = camera_exif(gps=(-6.91, -107.6), altitude=-12.5)
    [result] = ingest(ctx, {"a.jpg": jpeg_bytes(exif=exif)})
    entry = result.entry
    assert entry.latitude == pytest.approx(-6.91) and entry.longitude == pytest.approx(-107.6)
    assert entry.file.altitude == pytest.approx(-12.5)


def test_title_from_exif_description_and_given_title_wins(ctx):
    exif = camera_exif(description="Trotoar di Gangnam")
    [from_exif] = ingest(ctx, {"x.jpg": jpeg_bytes(exif=exif)})
    assert from_exif.entry.title == "Trotoar di Gangnam"
    other = jpeg_bytes(image=two_colour_image((30, 30)), exif=exif)
    [given] = ingest(ctx, {"y.jpg": other}, EntryFields(title="  Judul   pilihan "))
    assert given.entry.title == "Judul pilihan"


@pytest.mark.parametrize("orientation, upright_size, top_colour", [
    (1, (80, 40), None), (3, (80, 40), None), (6, (40, 80), "red"), (8, (40, 80), "blue"),
])
def test_thumbnails_are_upright(ctx, orientation, upright_size, top_colour):
    data = jpeg_bytes(image=two_colour_image((80, 40)), exif=camera_exif(orientation=orientation))
    [result] = ingest(ctx, {"o.jpg": data})
    assert result.status == "added", result.message
    assert_thumbnails_upright(result.entry.file, upright_size, top_colour)


def assert_thumbnails_upright(stored, upright_size, top_colour: str | None) -> None:
    """Every JPEG thumbnail of ``stored`` has ``upright_size``, and red or blue on top."""
    for size in THUMBNAIL_SIZES:
        with Image.open(thumbnail_file(stored, size)) as thumb:
            assert thumb.format == "JPEG"
            assert thumb.size == upright_size  # turned once, not twice
            if top_colour:
                r, _g, b = thumb.convert("RGB").getpixel((upright_size[0] // 2, 2))
                assert (r > b) == (top_colour == "red")


def test_thumbnail_sizes_are_bounded_and_never_upscaled(ctx):
    big = jpeg_bytes(image=noise_image((2400, 1200), seed=3))
    small = jpeg_bytes(image=two_colour_image((120, 90)))
    big_result, small_result = ingest(ctx, {"big.jpg": big, "small.jpg": small})
    with Image.open(thumbnail_file(big_result.entry.file, "large")) as large:
        assert large.size == (1600, 800)
    with Image.open(thumbnail_file(big_result.entry.file, "small")) as thumb:
        assert thumb.size == (400, 200)
    with Image.open(thumbnail_file(small_result.entry.file, "large")) as thumb:
        assert thumb.size == (120, 90)


def test_missing_thumbnail_is_rebuilt_from_the_original(ctx):
    [result] = ingest(ctx, {"r.jpg": jpeg_bytes(image=two_colour_image((90, 60)), exif=camera_exif(6))})
    stored = result.entry.file
    path = thumbnail_path(stored, "small")
    path.unlink()
    assert thumbnail_file(stored, "small") == path and path.exists()
    with Image.open(path) as thumb:
        assert thumb.size == (60, 90)


def test_png_and_multi_picture_jpeg_are_accepted(ctx):
    with Image.open(io.BytesIO(mpo_bytes())) as sample:
        assert (sample.format, sample.n_frames) == ("MPO", 2)  # what phones send
    png, mpo = ingest(ctx, {"denah.png": png_bytes(), "phone.jpg": mpo_bytes()})
    assert (png.status, png.entry.file.mime_type) == ("added", "image/png")
    assert (mpo.status, mpo.entry.file.mime_type) == ("added", "image/jpeg")
    assert mpo.entry.taken_at is not None  # EXIF of the first frame
    with Image.open(thumbnail_file(mpo.entry.file, "small")) as thumb:
        assert thumb.size == (60, 40) and thumb.format == "JPEG"


def test_transparent_png_thumbnail_is_on_white(ctx):
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    [result] = ingest(ctx, {"t.png": png_bytes(image=image)})
    with Image.open(thumbnail_file(result.entry.file, "small")) as thumb:
        assert thumb.convert("RGB").getpixel((10, 10)) >= (250, 250, 250)


def test_malformed_exif_never_rejects_a_good_photo(ctx):
    bad_offsets = b"Exif\x00\x00II*\x00\xff\xff\xff\x7f"
    # An IFD claiming two billion rationals: exifread would read for ever.
    endless = (b"Exif\x00\x00II*\x00\x08\x00\x00\x00" + b"\x01\x00"
               + b"\x1a\x01\x05\x00\xff\xff\xff\x7f\x1a\x00\x00\x00" + b"\x00\x00\x00\x00"
               + b"\x01\x00\x00\x00" * 4)
    import time

    started = time.monotonic()
    results = ingest(ctx, {
        "offsets.jpg": with_app1(jpeg_bytes(image=two_colour_image((40, 30))), bad_offsets),
        "endless.jpg": with_app1(jpeg_bytes(image=two_colour_image((41, 30))), endless),
    })
    assert time.monotonic() - started < 5
    assert [r.status for r in results] == ["added", "added"], [r.message for r in results]
    assert all(r.entry.taken_at is None for r in results)


def test_exif_strings_lose_nuls_and_are_capped(ctx):
    exif = Image.Exif()
    exif[0x010F] = "Canon\x00\x00\x00\x00"
    exif[0x0110] = "M" * 500
    exif[0x010E] = "Jalan\x00 Cheonggye"
    [result] = ingest(ctx, {"n.jpg": jpeg_bytes(exif=exif.tobytes())})
    assert result.status == "added"
    db.session.expire_all()  # read back what the database kept
    stored = db.session.get(StoredFile, result.entry.file_id)
    assert stored.camera_make == "Canon"
    assert len(stored.camera_model) <= 120
    assert all("\x00" not in v and len(v) <= 300 for v in stored.exif.values())


# ---------------------------------------------------------------- rejections


def _assert_rejected(ctx, result, http_status: int, *words: str) -> None:
    assert result.status == "failed" and result.entry is None
    assert result.http_status == http_status, result.message
    for word in words:
        assert word.lower() in result.message.lower(), result.message
    assert count(StoredFile) == 0 and count(Entry) == 0
    # Nothing left behind: no original, no thumbnail, no temporary file.
    assert files_on_disk(ctx.upload_dir) == []


@pytest.mark.parametrize("name, data, http_status, words", [
    ("kosong.jpg", b"", 400, ["kosong"]),
    ("catatan.jpg", b"Ini bukan gambar, hanya teks.\n" * 20, 415, ["tidak didukung", "JPEG"]),
    ("halaman.png", b"<!doctype html><script>alert(1)</script>", 415, ["tidak didukung"]),
    ("anim.gif", b"GIF89a" + b"\x00" * 40, 415, ["tidak didukung"]),
    ("IMG_5195.AVIF", b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1" + b"\x00" * 64, 415,
     ["AVIF", "JPEG"]),
    ("rusak.pdf", b"%PDF-1.4\n" + b"\x00garbage\x01" * 50, 422, ["rusak"]),
])
def test_bad_files_are_refused_and_leave_nothing(ctx, name, data, http_status, words):
    [result] = ingest(ctx, {name: data})
    _assert_rejected(ctx, result, http_status, name, *words)


def test_truncated_jpeg_is_refused(ctx):
    data = jpeg_bytes(image=noise_image((200, 150)))
    [result] = ingest(ctx, {"potong.jpg": data[: len(data) // 2]})
    _assert_rejected(ctx, result, 422, "rusak", "potong.jpg")


def test_png_with_html_appended_is_refused(ctx):
    data = png_bytes() + b"<html><script>alert('xss')</script></html>"
    [result] = ingest(ctx, {"poliglot.png": data})
    _assert_rejected(ctx, result, 422, "PNG", "poliglot.png")


def test_jpeg_with_html_appended_is_refused_but_nul_padding_is_kept(ctx):
    data = jpeg_bytes(image=noise_image((120, 90)))
    [result] = ingest(ctx, {"poliglot.jpg": data + b"<html><script>alert('xss')</script></html>"})
    _assert_rejected(ctx, result, 422, "poliglot.jpg", "JPEG", "data tambahan")
    # Some cameras pad the file with NULs after the end marker: still a photo.
    [padded] = ingest(ctx, {"kamera.jpg": data + b"\x00" * 512})
    assert padded.status == "added", padded.message
    assert storage.original_path(padded.entry.file).read_bytes() == data + b"\x00" * 512


def test_file_over_the_size_limit_is_refused(ctx):
    ctx.app.config["MAX_FILE_BYTES"] = 2000
    [result] = ingest(ctx, {"besar.jpg": jpeg_bytes(image=noise_image((100, 100)))})
    _assert_rejected(ctx, result, 413, "terlalu besar", "besar.jpg", "2 KB")


def test_image_past_the_pixel_limit_is_refused_before_decoding(ctx, monkeypatch):
    ctx.app.config["MAX_IMAGE_PIXELS"] = 100 * 100
    data = png_bytes(image=Image.new("RGB", (200, 120)))
    # Refused from the header: no pixel is decoded.
    from PIL import ImageFile
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    [result] = ingest(ctx, {"lebar.png": data})
    _assert_rejected(ctx, result, 413, "megapiksel")


def test_image_past_pillows_own_bomb_limit_gives_a_message(ctx):
    # Pillow raises DecompressionBombError past 2x its limit; a PNG header is enough.
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
    [result] = ingest(ctx, {"bom.png": data})
    _assert_rejected(ctx, result, 413, "megapiksel")


def test_bad_fields_fail_every_file(ctx):
    [bad_status] = ingest(ctx, {"a.jpg": jpeg_bytes()}, EntryFields(status="hidden"))
    _assert_rejected(ctx, bad_status, 422, "status")
    [bad_topic] = ingest(ctx, {"a.jpg": jpeg_bytes()}, EntryFields(topic_id=9999))
    _assert_rejected(ctx, bad_topic, 422, "topik")


def test_fields_left_out_arrive_as_none_and_are_empty(ctx):
    fields = EntryFields(title=None, description=None, tags=None, place_name=None)
    [result] = ingest(ctx, {"kosong-kolom.jpg": jpeg_bytes()}, fields)
    assert result.status == "added"
    entry = result.entry
    assert (entry.title, entry.description, entry.place_name, entry.tag_names) == (
        "kosong-kolom", "", "", [])


def test_one_bad_file_does_not_sink_the_batch(ctx):
    results = ingest(ctx, [
        ("satu.jpg", jpeg_bytes(image=two_colour_image((30, 20)))),
        ("rusak.jpg", b"\xff\xd8\xff\xe0 not really"),
        ("dua.png", png_bytes()),
    ])
    assert [r.status for r in results] == ["added", "failed", "added"]
    assert [r.filename for r in results] == ["satu.jpg", "rusak.jpg", "dua.png"]
    assert count(Entry) == 2
    stored = db.session.scalars(select(StoredFile)).all()
    expected = {s.storage_path for s in stored} | {
        str(thumbnail_path(s, size).relative_to(ctx.upload_dir))
        for s in stored for size in THUMBNAIL_SIZES}
    assert set(files_on_disk(ctx.upload_dir)) == expected


@pytest.mark.parametrize("failing_commit", [1, 2])
def test_failed_commit_deletes_the_files_it_wrote(ctx, monkeypatch, failing_commit):
    # Commit 1 ends the duplicate check; commit 2 is the entry's own, after the files are written.
    real_commit, calls = db.session.commit, []

    def broken_commit():
        calls.append(1)
        if len(calls) == failing_commit:
            raise RuntimeError("database went away")
        real_commit()
    monkeypatch.setattr(db.session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        ingest(ctx, {"x.jpg": jpeg_bytes()})
    monkeypatch.undo()
    db.session.rollback()
    assert count(StoredFile) == 0
    assert files_on_disk(ctx.upload_dir) == []


def test_a_library_crash_on_a_file_is_a_clear_422(ctx, monkeypatch):
    from archive.ingest import images

    def crash(*args, **kwargs):
        raise KeyError("some decoder table")
    monkeypatch.setattr(images.Image, "open", crash)
    [result] = ingest(ctx, {"aneh.jpg": jpeg_bytes()})
    _assert_rejected(ctx, result, 422, "aneh.jpg", "tidak dapat diproses")


def test_the_batch_is_indexed_once_its_answer_is_sent(ctx):
    """The uploader does not wait for the index commit: the entries' outbox rows
    are committed with them, and the index takes them when the server closes
    the response (or sooner, when a search runs first)."""
    from archive import search
    from archive.search.outbox import pending_count

    results = ingest(ctx, {"a.jpg": jpeg_bytes(), "b.pdf": pdf_bytes()})
    assert [r.status for r in results] == ["added", "added"]
    assert pending_count() > 0  # committed, not yet indexed: the answer goes first
    answer_sent(ctx)
    assert pending_count() == 0
    assert search.sync_pending() == 0


def test_a_command_indexes_the_batch_before_it_returns(app):
    from archive.search.outbox import pending_count

    with app.app_context():
        results = ingest_batch([Upload("a.jpg", io.BytesIO(jpeg_bytes()))], EntryFields(),
                               camat=camat_of("Cinambo"), trip=seoul())
        assert results[0].status == "added"
        assert pending_count() == 0


# ---------------------------------------------------------------- names


def test_long_and_cjk_names_are_kept_cut_and_never_used_on_disk(ctx):
    long_name = "报告" * 200 + ".pdf"
    evil = "../../etc/passwd\x00.jpg"
    paper, photo = ingest(ctx, [(long_name, pdf_bytes()), (evil, jpeg_bytes())])
    assert paper.status == "added" and photo.status == "added"
    assert paper.entry.file.original_name == long_name[:300]
    assert len(paper.filename) == 300
    assert photo.entry.file.original_name == "passwd.jpg"
    for name in files_on_disk(ctx.upload_dir):
        assert "报告" not in name and "passwd" not in name
        assert name.startswith(("originals/", "thumbs/"))


# ---------------------------------------------------------------- papers


def test_paper_pages_text_and_title(ctx):
    [result] = ingest(ctx, {"laporan.pdf": pdf_bytes(title="Laporan Studi Banding Seoul")},
                      EntryFields(tags=["Sungai"]))
    assert (result.status, result.http_status) == ("added", 201)
    entry = result.entry
    assert entry.kind == "paper" and entry.title == "Laporan Studi Banding Seoul"
    stored = entry.file
    assert (stored.page_count, stored.text_available, stored.mime_type) == (
        3, True, "application/pdf")
    pages = db.session.scalars(
        select(PaperPage).where(PaperPage.file_id == stored.id).order_by(PaperPage.number)).all()
    assert [p.number for p in pages] == [1, 2, 3]
    for page, text in zip(pages, PAGE_TEXTS):
        assert text in " ".join(page.text.split())
    assert entry.latitude is None and entry.taken_at is None
    # A paper's thumbnails are its first page (tests/test_paper_previews.py).
    assert files_on_disk(ctx.upload_dir) == sorted(
        [stored.storage_path] + [str(thumbnail_path(stored, size).relative_to(ctx.upload_dir))
                                 for size in THUMBNAIL_SIZES])


def test_encrypted_paper_is_accepted_without_text(ctx):
    [result] = ingest(ctx, {"terkunci.pdf": encrypted_pdf_bytes()})
    assert (result.status, result.http_status) == ("added", 201)
    assert "kata sandi" in result.message
    assert result.entry.file.text_available is False
    assert result.entry.file.pages == []


def test_paper_locked_only_against_editing_is_read(ctx):
    [result] = ingest(ctx, {"owner.pdf": encrypted_pdf_bytes(user_password="")})
    assert result.status == "added"
    assert result.entry.file.text_available is True
    assert result.entry.file.page_count == 3


def test_pdf_without_text_is_accepted_and_said_so(ctx):
    [result] = ingest(ctx, {"pindaian.pdf": pdf_bytes(pages=["", ""], title="")})
    assert result.status == "added" and "tidak memuat teks" in result.message
    assert result.entry.title == "pindaian"
    assert result.entry.file.text_available is False


# ---------------------------------------------------------------- tags


def test_tags_are_normalised_and_shared(ctx):
    [first] = ingest(ctx, {"a.jpg": jpeg_bytes()},
                     EntryFields(tags=["  Trotoar ", "trotoar", "#Seoul", "", "Jalan   Kaki",
                                       "x" * 80]))
    assert first.entry.tag_names == sorted(["trotoar", "seoul", "jalan kaki", "x" * 80])
    [second] = ingest(ctx, {"b.png": png_bytes()}, EntryFields(tags=["SEOUL"]))
    assert second.entry.tag_names == ["seoul"]
    assert count(Tag) == 4
    # The Tag model's one limit, as on the forms and the API: refused, not cut.
    [refused] = ingest(ctx, {"c.jpg": jpeg_bytes(image=two_colour_image((3, 4)))}, EntryFields(tags=["y" * 81]))
    assert refused.status == "failed" and "80" in refused.message
    assert count(Tag) == 4 and count(Entry) == 2


# ---------------------------------------------------------------- duplicates


def test_same_content_is_a_duplicate_even_for_another_camat(ctx):
    data = jpeg_bytes(image=two_colour_image((33, 22)))
    [first] = ingest(ctx, {"asli.jpg": data})
    other = camat_of("Coblong")
    before = files_on_disk(ctx.upload_dir)
    [again] = ingest(ctx, {"salinan.jpg": data}, camat=other)
    assert (again.status, again.http_status) == ("duplicate", 200)
    assert again.entry.id == first.entry.id
    assert first.entry.title in again.message and "salinan.jpg" in again.message
    assert count(Entry) == 1 and files_on_disk(ctx.upload_dir) == before


def test_duplicate_inside_one_batch(ctx):
    data = pdf_bytes()
    results = ingest(ctx, [("a.pdf", data), ("b.pdf", data)])
    assert [r.status for r in results] == ["added", "duplicate"]
    assert results[1].entry.id == results[0].entry.id
    # The batch's index sync was not blocked by the last duplicate check's
    # transaction (on SQLite it would wait for the lock, then give up).
    from archive import search
    db.session.commit()  # our reads above hold SQLite's write lock (BEGIN IMMEDIATE)
    answer_sent(ctx)
    assert search.sync_pending() == 0


def test_lost_race_is_answered_as_duplicate_and_keeps_the_winners_file(ctx, monkeypatch):
    data = jpeg_bytes(image=two_colour_image((44, 33)))
    [winner] = ingest(ctx, {"a.jpg": data})
    before = files_on_disk(ctx.upload_dir)
    # As if the other upload committed between our duplicate check and our insert.
    real = records.existing_entry
    calls = []

    def late_lookup(sha256):
        calls.append(sha256)
        return None if len(calls) == 1 else real(sha256)
    monkeypatch.setattr(records, "existing_entry", late_lookup)
    [loser] = ingest(ctx, {"b.jpg": data})
    assert (loser.status, loser.http_status) == ("duplicate", 200)
    assert loser.entry.id == winner.entry.id
    assert count(Entry) == 1 and count(StoredFile) == 1
    assert files_on_disk(ctx.upload_dir) == before
    assert storage.original_path(winner.entry.file).read_bytes() == data


def test_concurrent_uploads_of_the_same_content(app):
    """Two threads, two sessions, one content: one entry, one duplicate, no 500."""
    data = jpeg_bytes(image=noise_image((600, 400), seed=7), exif=camera_exif())
    barrier = threading.Barrier(2)
    results: list = []
    errors: list = []

    def upload(name: str) -> None:
        try:
            with app.test_request_context("/entri/unggah", method="POST"):
                camat, trip = camat_of("Cinambo"), seoul()
                db.session.commit()
                barrier.wait(timeout=10)
                [result] = ingest_batch([Upload(name, io.BytesIO(data))], EntryFields(),
                                        camat=camat, trip=trip)
                results.append((result.status, result.http_status, result.entry.id))
                db.session.remove()
        except Exception as err:  # reported below, with the thread's traceback lost
            errors.append(repr(err))

    threads = [threading.Thread(target=upload, args=(n,)) for n in ("a.jpg", "b.jpg")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(r[:2] for r in results) == [("added", 201), ("duplicate", 200)]
    assert results[0][2] == results[1][2]
    with app.app_context():
        assert count(Entry) == 1
        stored = db.session.scalar(select(StoredFile))
        upload_dir = Path(app.config["UPLOAD_DIR"])
        assert storage.original_path(stored).read_bytes() == data
        assert len(files_on_disk(upload_dir)) == 1 + len(THUMBNAIL_SIZES)


def test_file_of_a_deleted_entry_is_reused(ctx):
    data = jpeg_bytes(image=two_colour_image((20, 20)))
    [first] = ingest(ctx, {"a.jpg": data})
    db.session.delete(first.entry)
    db.session.commit()
    [again] = ingest(ctx, {"a.jpg": data})
    assert again.status == "added"
    assert count(StoredFile) == 1 and count(Entry) == 1
    assert storage.original_path(again.entry.file).read_bytes() == data


# ---------------------------------------------------------------- command


def test_rebuild_thumbnails_command(app, runner):
    with app.test_request_context("/", method="POST"):
        camat = db.session.scalar(select(Camat).where(Camat.user_id.is_not(None)))
        trip = db.session.scalar(select(Trip))
        ingest_batch([Upload("a.jpg", io.BytesIO(jpeg_bytes())),
                      Upload("b.pdf", io.BytesIO(pdf_bytes()))],
                     EntryFields(), camat=camat, trip=trip)
        stored = db.session.scalar(select(StoredFile).where(StoredFile.kind == "photo"))
        thumbs = [thumbnail_path(stored, size) for size in THUMBNAIL_SIZES]
        original = storage.original_path(stored)
    for path in thumbs:
        path.unlink()
    # What a worker killed mid-upload leaves behind, and one upload still under way.
    temp_dir = Path(app.config["UPLOAD_DIR"]) / "tmp"
    stale, fresh = temp_dir / "upload-x.part", temp_dir / "upload-y.part"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(stale, (1, 1))
    result = runner.invoke(args=["rebuild-thumbnails"])
    assert result.exit_code == 0, result.output
    assert "dibuat ulang: 2" in result.output  # the photo, and the paper's first page
    assert all(path.exists() for path in thumbs)
    assert not stale.exists() and fresh.exists()
    assert "dihapus: 1" in result.output

    result = runner.invoke(args=["rebuild-thumbnails", "--missing-only"])
    assert "dibuat ulang: 0, sudah ada: 2" in result.output

    original.unlink()
    result = runner.invoke(args=["rebuild-thumbnails"])
    assert result.exit_code == 1
    assert "berkas asli hilang: 1" in result.output


@pytest.mark.parametrize("setting, expected", [(0, 1), (1, 1), (2, 2)])
def test_the_analysis_threads_follow_the_setting(ctx, monkeypatch, setting, expected):
    """A web request analyses one photo at a time unless ARCHIVE_INGEST_THREADS
    says otherwise (a worker stays small); the batch's result is the same."""
    from archive.ingest import pipeline

    ctx.app.config["INGEST_THREADS"] = setting
    names: set[str] = set()
    analyse = pipeline.analyse

    def watched(*args, **kwargs):
        names.add(threading.current_thread().name)
        return analyse(*args, **kwargs)

    monkeypatch.setattr(pipeline, "analyse", watched)
    results = ingest(ctx, {f"p{i}.jpg": jpeg_bytes(seed=i) for i in range(6)})
    assert [r.status for r in results] == ["added"] * 6
    assert pipeline.analysis_threads() == expected
    assert 1 <= len(names) <= expected


def test_a_command_analyses_on_every_core(app, monkeypatch):
    from archive.ingest import pipeline

    monkeypatch.setattr(pipeline, "COMMAND_THREADS", 2)
    with app.app_context():
        assert pipeline.analysis_threads() == 2
        app.config["INGEST_THREADS"] = 1
        assert pipeline.analysis_threads() == 1
