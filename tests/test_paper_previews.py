"""Paper previews: a page rendered with pypdfium2, stored like a thumbnail, shown where a
paper appears (entry, search hit, report), the generic "PDF" box for a locked paper."""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from archive.extensions import db
from archive.ingest import previews
from archive.ingest.thumbnails import THUMBNAIL_SIZES, thumbnail_path
from archive.models import Entry
from support.files import encrypted_pdf_bytes, jpeg_bytes, pdf_bytes
from support.rows import latest_entry_id
from support.uploads import upload


def _jpeg_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG"
        return img.size


def test_render_page_gives_every_size_with_the_longer_side_fitted(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes("Trotoar", pages=2))
    rendered = previews.render_page(path, 2)
    assert set(rendered) == set(THUMBNAIL_SIZES)
    for size, longest in THUMBNAIL_SIZES.items():
        width, height = _jpeg_size(rendered[size])
        assert max(width, height) == longest and height > width  # an A4 page, portrait
    assert previews.render_page(path, 3) is None  # no such page
    assert previews.render_page(path, 0) is None


def test_locked_or_broken_pdfs_have_no_preview(tmp_path):
    locked, broken = tmp_path / "locked.pdf", tmp_path / "broken.pdf"
    locked.write_bytes(encrypted_pdf_bytes())
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF")
    assert previews.render_page(locked) is None
    assert previews.render_page(broken) is None


def _published_paper(app, client, auth, content: bytes, name: str = "makalah.pdf") -> int:
    auth.login("cinambo")
    result = upload(client, [(content, name)], status="published", topic="1")
    assert result.status_code == 201
    auth.logout()
    entry_id = latest_entry_id(app)
    # the upload results show the first page too (a locked paper: the box)
    assert (f"/entri/{entry_id}/thumb/small.jpg" in result.html) != ("<span>PDF</span>" in result.html)
    return entry_id


def _get_jpeg(client, url: str) -> bytes:
    with client.get(url) as response:
        assert response.status_code == 200, url
        assert response.mimetype == "image/jpeg"
        return response.get_data()


def test_first_page_made_at_ingest_other_pages_on_demand_all_removed_with_the_entry(app, client, auth):
    entry_id = _published_paper(app, client, auth, pdf_bytes("Drainase kota", pages=3))
    with app.app_context():
        stored = db.session.get(Entry, entry_id).file
        first = [thumbnail_path(stored, size) for size in THUMBNAIL_SIZES]
        assert all(path.exists() for path in first)  # made by the upload itself
        third = previews.preview_path(stored, "small", 3)
        assert not third.exists()
    assert _get_jpeg(client, f"/entri/{entry_id}/thumb/small.jpg") == first[0].read_bytes()
    _get_jpeg(client, f"/entri/{entry_id}/halaman/3/small.jpg")
    assert third.exists()
    for url in (f"/entri/{entry_id}/halaman/4/small.jpg", f"/entri/{entry_id}/halaman/2/huge.jpg"):
        assert client.get(url).status_code == 404
    # the entry page, a card and a search hit show the first page, not the "PDF" box
    detail = client.get(f"/entri/{entry_id}").get_data(as_text=True)
    assert f"/entri/{entry_id}/thumb/large.jpg" in detail and 'class="paper-preview"' in detail
    search = client.get("/cari?q=drainase").get_data(as_text=True)
    assert f"/entri/{entry_id}/thumb/small.jpg" in search and "<span>PDF</span>" not in search
    # deleting the entry removes the first page and the page made on demand
    auth.login("cinambo")
    assert client.post(f"/entri/{entry_id}/hapus").status_code == 302
    assert not any(path.exists() for path in first + [third])


def test_search_hit_on_a_later_page_shows_that_page(app, client, auth):
    content = pdf_bytes(pages=["Pendahuluan umum.", "Halaman kedua.", "Jembatan penyeberangan orang."])
    entry_id = _published_paper(app, client, auth, content)
    html = client.get("/cari?q=jembatan").get_data(as_text=True)
    assert f"/entri/{entry_id}/halaman/3/small.jpg" in html
    assert "Ditemukan di halaman 3" in html
    [hit] = client.get("/api/v1/search?q=jembatan").get_json()["hits"]
    assert hit["search"]["page_preview_url"].endswith(f"/entri/{entry_id}/halaman/3/small.jpg")


def test_locked_paper_keeps_the_generic_box_and_never_a_500(app, client, auth):
    entry_id = _published_paper(app, client, auth, encrypted_pdf_bytes(), "terkunci.pdf")
    assert client.get(f"/entri/{entry_id}/thumb/small.jpg").status_code == 404
    assert client.get(f"/entri/{entry_id}/halaman/2/small.jpg").status_code == 404
    detail = client.get(f"/entri/{entry_id}")
    assert detail.status_code == 200
    html = detail.get_data(as_text=True)
    assert "paper-preview" not in html and 'class="pdf-frame"' in html
    home = client.get("/").get_data(as_text=True)
    assert "<span>PDF</span>" in home


def test_rebuild_thumbnails_renders_papers_and_skips_locked_ones(app, client, auth, runner):
    entry_id = _published_paper(app, client, auth, pdf_bytes("Taman", pages=1))
    _published_paper(app, client, auth, encrypted_pdf_bytes(), "terkunci.pdf")
    with app.app_context():
        first = [thumbnail_path(db.session.get(Entry, entry_id).file, size)
                 for size in THUMBNAIL_SIZES]
    for path in first:
        path.unlink()
    result = runner.invoke(args=["rebuild-thumbnails"])
    assert result.exit_code == 0, result.output
    assert "dibuat ulang: 1" in result.output  # the locked one is not a failure
    assert all(path.exists() for path in first)


def test_slide_pdf_and_zip_show_the_first_page_and_the_chosen_excerpt(app, client, report):
    from archive.reports.models import ReportItem

    with app.app_context():
        item = db.session.scalar(select(ReportItem).where(ReportItem.entry_id == report.paper_id))
        item.excerpt = "Kutipan pilihan camat tentang bantaran."
        db.session.commit()
    reading = client.get(f"/laporan/{report.report_id}").get_data(as_text=True)
    assert f'class="paper-preview" src="/entri/{report.paper_id}/thumb/large.jpg"' in reading
    slides = client.get(f"/laporan/{report.report_id}/slide").get_data(as_text=True)
    assert f'class="slide__page" src="/entri/{report.paper_id}/thumb/large.jpg"' in slides
    assert "Kutipan pilihan camat tentang bantaran." in slides
    assert "Halaman 2." not in slides  # not the whole extracted text
    response = client.get(f"/reports/{report.report_id}.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Kutipan pilihan camat tentang bantaran." in text
    paper_page = next(p for p in reader.pages if "Paper: Paper sungai" in p.extract_text())
    assert len(paper_page.images) == 1  # the paper's first page beside its text


def test_default_excerpt_is_a_short_opening_not_the_whole_text(app):
    from archive.reports.slides import EXCERPT_CHARS, entry_slide
    from support.rows import make_entry

    with app.test_request_context("/"):
        long_pages = [" ".join(["kalimat panjang tentang sungai"] * 60)] * 3
        entry = make_entry(kind="paper", pages=long_pages)
        slide = entry_slide(entry, excerpt="")
        assert len(slide.excerpt) <= EXCERPT_CHARS + 2 and slide.excerpt.endswith("…")
        assert entry_slide(entry, excerpt="  Pilihan.  ").excerpt == "Pilihan."
        assert slide.preview  # three pages: a preview may be made


def test_api_entry_of_a_paper_has_its_first_page_url(app, client, auth):
    entry_id = _published_paper(app, client, auth, pdf_bytes("Halte", pages=1))
    with app.test_request_context("/"):
        from archive.api.serializers import entry_to_json

        data = entry_to_json(db.session.get(Entry, entry_id))
    assert data["thumbnail_url"].endswith(f"/entri/{entry_id}/thumb/small.jpg")
    assert Path(data["paper_url"]).name == "paper.pdf"


def test_camat_chooses_the_excerpt_in_the_section_editor(app, client, auth, report):
    from archive.reports.models import ReportItem

    with app.app_context():
        item = db.session.scalar(select(ReportItem).where(ReportItem.entry_id == report.paper_id))
        item_id, section_id = item.id, item.section_id
    auth.login("cinambo")
    base = f"/laporan/{report.report_id}/bagian/{section_id}"
    editor = client.get(base).get_data(as_text=True)
    assert f'name="item{item_id}-excerpt"' in editor and "Kutipan untuk slide" in editor
    client.post(f"{base}/entri/{item_id}", data={f"item{item_id}-caption": "Paper sungai",
                                                f"item{item_id}-excerpt": "  Bantaran jadi taman.  "})
    with app.app_context():
        assert db.session.get(ReportItem, item_id).excerpt == "Bantaran jadi taman."
    too_long = client.post(f"{base}/entri/{item_id}", data={f"item{item_id}-excerpt": "x" * 1501})
    assert too_long.status_code in (400, 422)
    with app.app_context():
        assert db.session.get(ReportItem, item_id).excerpt == "Bantaran jadi taman."


def test_a_paper_pdfium_cannot_render_answers_404_and_keeps_the_box(app, client, auth, runner):
    entry_id = _published_paper(app, client, auth, pdf_bytes("Rusak", pages=2))
    with app.app_context():
        stored = db.session.get(Entry, entry_id).file
        for path in previews.stored_previews(stored):
            path.unlink()
        from archive.ingest import storage
        storage.original_path(stored).write_bytes(b"%PDF-1.4 rusak setelah diunggah")
    assert client.get(f"/entri/{entry_id}/thumb/small.jpg").status_code == 404
    assert client.get(f"/entri/{entry_id}/halaman/2/large.jpg").status_code == 404
    html = client.get(f"/entri/{entry_id}").get_data(as_text=True)
    assert 'data-preview-fallback="paper-icon"' in html  # static/js/previews.js swaps in the box
    result = runner.invoke(args=["rebuild-thumbnails"])
    assert result.exit_code == 0 and f"Tanpa pratinjau: #{entry_id}" in result.output


def test_api_sets_a_trimmed_excerpt_within_its_limit(app, client, tokens, report):
    from archive.reports.models import ReportItem

    with app.app_context():
        item = db.session.scalar(select(ReportItem).where(ReportItem.entry_id == report.paper_id))
        section_id = item.section_id
        entry_ids = [i.entry_id for i in item.section.items]
    url = f"/api/v1/reports/{report.report_id}/sections/{section_id}/items"
    headers = {"Authorization": f"Bearer {tokens['cinambo']}"}
    items = [{"entry_id": e, "excerpt": " Dikutip. "} if e == report.paper_id else {"entry_id": e}
             for e in entry_ids]
    response = client.put(url, json={"items": items}, headers=headers)
    assert response.status_code == 200, response.get_json()
    [paper] = [i for i in response.get_json()["items"] if i["entry_id"] == report.paper_id]
    assert paper["excerpt"] == "Dikutip."
    items = [{"entry_id": e, "excerpt": "x" * 1501} for e in entry_ids]
    refused = client.put(url, json={"items": items}, headers=headers)
    assert refused.status_code == 422 and refused.get_json()["field"] == "excerpt"
