"""The proposed title: the EXIF description cut at a word with an ellipsis, a
chosen file name, else date and place; never a camera's counter."""
from __future__ import annotations

from datetime import datetime

import pytest

from archive.ingest.titles import ELLIPSIS, MAX_TITLE_CHARS, propose_title, shorten
from support.files import camera_jpeg
from test_ingest_pipeline import ctx, ingest  # noqa: F401

LONG = ("Petugas kebersihan menyapu trotoar lebar di sepanjang Cheonggyecheon pada pagi hari, "
        "sementara warga berjalan santai di bawah pepohonan rindang yang ditanam berjajar di tepi "
        "sungai buatan yang dipulihkan dari bekas jalan layang pada tahun dua ribu lima")
WHEN = datetime(2018, 7, 10, 9, 30)


@pytest.fixture
def request_ctx(app):
    with app.test_request_context("/"):
        yield


def test_long_description_is_cut_at_a_word_with_an_ellipsis(ctx):
    data = camera_jpeg(5, description=LONG)
    [result] = ingest(ctx, {"DSCN0010.jpg": data})
    title = result.entry.title
    assert title.endswith(ELLIPSIS) and len(title) <= MAX_TITLE_CHARS
    head = title[: -len(ELLIPSIS)]
    assert LONG.startswith(head) and LONG[len(head)] == " "  # a whole word, never half of one
    # The whole description is not lost: it becomes the entry's description.
    assert result.entry.description == LONG


@pytest.mark.parametrize("text, limit, expected", [
    ("Trotoar di Gangnam", 120, "Trotoar di Gangnam"),
    ("Trotoar lebar di Gangnam, Seoul", 20, "Trotoar lebar di" + ELLIPSIS),
    ("Trotoar, lebar", 10, "Trotoar" + ELLIPSIS),
    ("Supercalifragilistic", 8, "Superca" + ELLIPSIS),
])
def test_shorten(text, limit, expected):
    assert shorten(text, limit) == expected and len(shorten(text, limit)) <= limit


@pytest.mark.parametrize("description, taken_at, place, filename, expected", [
    ("Taman di atas jalan layang", WHEN, "Seoullo", "IMG_0001.jpg", "Taman di atas jalan layang"),
    ("OLYMPUS DIGITAL CAMERA", WHEN, None, "P1010001.JPG", "Foto 10 Juli 2018 09:30"),
    ("", WHEN, "Cheonggyecheon", "gps DSCN0010.jpg", "Cheonggyecheon, 10 Juli 2018 09:30"),
    ("", WHEN, None, "IMG_5195.HEIC", "Foto 10 Juli 2018 09:30"),
    ("", None, "Insadong", "PXL_20180710_093000123.jpg", "Foto di Insadong"),
    ("", WHEN, "Insadong", "trotoar-gangnam.jpg", "trotoar-gangnam"),
    ("", None, None, "DSC_0042.jpg", "Foto tanpa judul"),
])
def test_propose_title(request_ctx, description, taken_at, place, filename, expected):
    assert propose_title(description, taken_at, place, filename) == expected


def test_paper_title(request_ctx):
    assert propose_title("Laporan Studi Banding", None, None, "x.pdf", kind="paper") == (
        "Laporan Studi Banding")
    assert propose_title("", None, None, "scan0001.pdf", kind="paper") == "Makalah tanpa judul"
