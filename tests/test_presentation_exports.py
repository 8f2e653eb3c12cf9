"""The report exports: PDF (/reports/<id>.pdf) and offline bundle (/reports/<id>.zip)."""
from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from posixpath import normpath
from urllib.parse import urlsplit

import pytest

from support.reports import KOREAN_PLACE, build_report, pdf_text


@pytest.fixture
def draft_report(app):
    with app.test_request_context("/"):
        return build_report("batununggal", photos=1, status="draft", with_paper=False,
                            with_draft_entry=False, seed=40)



def test_pdf_has_cover_sections_captions_cards_and_page_numbers(client, report):
    response = client.get(f"/reports/{report.report_id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    reader, pages = pdf_text(response)
    # cover; section + photo 1; photos 2 and 3 (two to a page); paper; cards; closing
    assert len(reader.pages) == 6
    assert "Keterangan foto nomor 2" in pages[2] and "Keterangan foto nomor 3" in pages[2]
    text = "\n".join(pages)
    assert "Laporan Studi Banding Cinambo" in pages[0]
    assert "93,56" in pages[0] and "Camat Cinambo" in pages[0]
    assert "Sungai yang hidup kembali" in text
    for caption in report.captions:
        assert caption in text
    assert "Paper: Paper sungai 1" in text and "3 halaman" in text
    assert "Restorasi Sungai Cikapundung" in text and "Dinas Sumber Daya Air" in text
    assert "Kesimpulan" in pages[-1]
    assert "Halaman 1 dari 6" in pages[0] and "Halaman 6 dari 6" in pages[-1]
    assert reader.metadata.title == "Laporan Studi Banding Cinambo"


def test_pdf_draws_korean_place_names_with_an_embedded_cjk_font(app, client, report):
    from archive.extensions import db
    from archive.reports.models import Report

    with app.test_request_context("/"):
        db.session.get(Report, report.report_id).sections[0].title = "Sungai 청계천"  # bold
        db.session.commit()
    reader, pages = pdf_text(client.get(f"/reports/{report.report_id}.pdf"))
    assert "Sungai 청계천" in pages[1].replace("\x00", "")
    # pypdf 7 puts a NUL before each two-byte glyph of the fallback CID font;
    # PDFium (Chrome's viewer) extracts the same text cleanly.
    assert KOREAN_PLACE in "\n".join(pages).replace("\x00", "")
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("NotoSansCJKKR" in f for f in fonts), fonts
    assert any("DejaVuSans" in f for f in fonts), fonts


def test_markdown_is_rendered_not_printed_raw(client, report):
    _, pages = pdf_text(client.get(f"/reports/{report.report_id}.pdf"))
    text = "\n".join(pages)
    assert "Cheonggyecheon dipulihkan" in text
    assert "**" not in text


def test_visitors_never_get_draft_entries_in_a_published_report(client, auth, report):
    _, pages = pdf_text(client.get(f"/reports/{report.report_id}.pdf"))
    assert "Foto draf rahasia" not in "\n".join(pages)
    slides = client.get(f"/laporan/{report.report_id}/slide").get_data(as_text=True)
    assert "Foto draf rahasia" not in slides
    auth.login("cinambo")
    _, pages = pdf_text(client.get(f"/reports/{report.report_id}.pdf"))
    assert "Foto draf rahasia" in "\n".join(pages)


@pytest.mark.parametrize("suffix", [".pdf", ".zip", "/slide"])
def test_a_draft_report_is_404_for_visitors_and_other_camat(client, auth, draft_report, suffix):
    url = (f"/laporan/{draft_report.report_id}/slide" if suffix == "/slide"
           else f"/reports/{draft_report.report_id}{suffix}")
    assert client.get(url).status_code == 404
    auth.login("cinambo")
    assert client.get(url).status_code == 404
    auth.logout()
    for who in ("batununggal", "admin"):
        auth.login(who)
        response = client.get(url)
        assert response.status_code == 200, who
        response.close()
        auth.logout()


def test_unknown_report_is_a_clear_404(client):
    response = client.get("/reports/9999.pdf")
    assert response.status_code == 404
    assert "tidak ditemukan" in response.get_data(as_text=True)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "poster", "srcset", "data-src") and value:
                self.refs.append(value)


def test_bundle_holds_everything_its_html_references(client, report):
    response = client.get(f"/reports/{report.report_id}.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    names = set(archive.namelist())
    [folder] = {n.split("/")[0] for n in names}
    assert folder == f"laporan-{report.report_id}-cinambo"
    for page in ("index.html", "slides.html"):
        html = archive.read(f"{folder}/{page}").decode()
        parser = _Refs()
        parser.feed(html)
        assert parser.refs, page
        for ref in parser.refs:
            parts = urlsplit(ref)
            assert not parts.scheme and not parts.netloc and not ref.startswith("/"), ref
            if parts.path:
                assert normpath(f"{folder}/{parts.path}") in names, (page, ref)
        assert "http://" not in html and "https://" not in html
    # three visible photos and the paper's first page, large and small; not the draft photo
    images = sorted(n for n in names if "/images/" in n)
    assert len(images) == 8 and f"{folder}/images/{report.paper_id}-large.jpg" in images
    assert not any(f"/{report.draft_photo_id}-" in n for n in images)
    for asset in ("assets/slides.js", "assets/slides.css"):
        text = archive.read(f"{folder}/{asset}").decode()
        assert "http://" not in text and "https://" not in text and "url(" not in text
    index = archive.read(f"{folder}/index.html").decode()
    assert "Restorasi Sungai Cikapundung" in index and report.captions[0] in index


def test_bundle_images_are_the_thumbnails_not_the_originals(app, client, report):
    from archive.extensions import db
    from archive.models import Entry
    from archive.reports.presentation import image_path

    response = client.get(f"/reports/{report.report_id}.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    with app.test_request_context("/"):
        entry = db.session.get(Entry, report.photo_ids[0])
        expected = image_path(entry, "large").read_bytes()
    [large] = [n for n in archive.namelist() if n.endswith(f"/images/{entry.id}-large.jpg")]
    assert archive.read(large) == expected


def test_a_photo_whose_files_are_gone_gives_a_placeholder_not_an_error(app, client, report):
    from archive.extensions import db
    from archive.ingest.storage import original_path
    from archive.ingest.thumbnails import THUMBNAIL_SIZES, thumbnail_path
    from archive.models import Entry

    with app.test_request_context("/"):
        stored = db.session.get(Entry, report.photo_ids[1]).file
        original_path(stored).unlink()
        for size in THUMBNAIL_SIZES:
            thumbnail_path(stored, size).unlink()
    response = client.get(f"/reports/{report.report_id}.pdf")
    assert response.status_code == 200
    _, pages = pdf_text(response)
    assert "Gambar tidak tersedia" in "\n".join(pages)
    assert report.captions[1] in "\n".join(pages)
    response = client.get(f"/reports/{report.report_id}.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    assert any(n.endswith(f"/images/{report.photo_ids[1]}-large.jpg") for n in archive.namelist())


def test_the_cjk_font_is_only_loaded_when_the_text_needs_it(app, client, report):
    from archive.extensions import db
    from archive.models import Entry

    with app.test_request_context("/"):
        for entry_id in report.photo_ids:
            db.session.get(Entry, entry_id).place_name = "Cheonggyecheon, Seoul"
        db.session.commit()
    reader, pages = pdf_text(client.get(f"/reports/{report.report_id}.pdf"))
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert not any("NotoSansCJK" in f for f in fonts), fonts
    assert "Cheonggyecheon, Seoul" in "\n".join(pages)
