"""PDF export of a deck (a camat's report or a trip compilation), made on the server.

fpdf2 with real Unicode TrueType fonts: DejaVu Sans (Debian package
``fonts-dejavu-core``) for Latin text, Noto Sans CJK KR (``fonts-noto-cjk``)
as fallback so that Korean place names such as 청계천 and 서울 come out as
text, not boxes. Photos are the archive's re-encoded JPEG thumbnails, which
fpdf2 embeds without decoding, so a 60-photo report stays fast. Nothing is
cached: every PDF is made from the database as it is now.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from fpdf.fonts import FontFace

from .pdf_layout import (
    ACCENT,
    CJK,
    FONT,
    INK,
    RULE,
    DeckPDF,
    ImagePath,
    fitted_size,
    missing_height,
)
from .slides import Deck, Slide


def render_deck_pdf(deck: Deck, image_path: ImagePath) -> bytes:
    """The whole deck as a printable document; returns the PDF bytes."""
    pdf = DeckPDF(deck.title, cjk=any(CJK.search(text) for text in deck_texts(deck)))
    pdf.add_page()
    renderers = {
        "cover": _cover, "section": _section, "topic": _section, "closing": _section,
        "map": _section,  # on paper: the list of places
        "photo": _photo, "paper": _paper, "recommendation": _recommendation,
        "findings": _findings, "coverage": _coverage,
    }
    previous: Slide | None = None
    for slide in deck.slides:
        renderers[slide.kind](pdf, slide, image_path, previous)
        previous = slide
    return bytes(pdf.output())


def deck_texts(deck: Deck):
    """Every string the PDF may draw (to decide which fonts it needs)."""
    yield deck.title
    yield deck.subtitle
    for slide in deck.slides:
        yield from (slide.title, slide.subtitle, slide.markdown, slide.caption, slide.place,
                    slide.excerpt)
        for label, value in slide.facts:
            yield label
            yield value
        for entry in slide.photos:
            yield entry.title
        if slide.coverage:
            yield from (c.name for c in slide.coverage.camats)
            yield from (t.name_id for t in slide.coverage.topics)


def _cover(pdf: DeckPDF, slide: Slide, image_path: ImagePath, previous) -> None:
    pdf.ln(20)
    pdf.city_mark()
    pdf.ln(4)
    pdf.heading(slide.title, 24, slide.subtitle)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 40, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(6)
    pdf.facts(slide.facts)
    pdf.markdown(slide.markdown)


def _section(pdf: DeckPDF, slide: Slide, image_path: ImagePath, previous) -> None:
    if slide.kind == "topic" and pdf.space_left() > 90:
        # topics follow each other on a page; an empty one is only two lines
        pdf.ln(8)
    else:
        pdf.add_page()
    pdf.heading(slide.title, 18, slide.subtitle)
    pdf.markdown(slide.markdown)
    pdf.small_text(slide.caption)
    pdf.ln(3)


#: a landscape photo's height on the page: two photos with captions fit on one A4
PHOTO_MAX_H = 95.0


def _photo(pdf: DeckPDF, slide: Slide, image_path: ImagePath, previous) -> None:
    path = image_path(slide.entry, "large")
    width = pdf.content_width
    caption = slide.caption if slide.caption and slide.caption != slide.title else ""
    meta = " · ".join(p for p in (slide.place, slide.taken_at) if p)
    # The photo and its caption stay together: measure both before placing.
    height = (fitted_size(path, width, PHOTO_MAX_H)[1] if path
              else missing_height(width, PHOTO_MAX_H))
    needed = (2 + height + 2 + pdf.text_height(slide.title, 5.5, "B", 10.5)
              + pdf.text_height(caption, 5) + pdf.text_height(meta, 5, size=9))
    if pdf.space_left() < needed:
        pdf.add_page()
    pdf.ln(2)
    pdf.picture(path, width, PHOTO_MAX_H)
    pdf.set_y(pdf.get_y() + height + 2)
    pdf.set_font(FONT, "B", 10.5)
    pdf.multi_cell(0, 5.5, slide.title, align="L", new_x="LMARGIN", new_y="NEXT")
    if caption:
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5, caption, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.small_text(meta, size=9)
    pdf.ln(4)


#: a paper's first page beside its title and passage (A4 portrait fits 42 x 60 mm)
PAPER_PAGE_W, PAPER_PAGE_H = 42.0, 60.0


def _paper(pdf: DeckPDF, slide: Slide, image_path: ImagePath, previous) -> None:
    path = image_path(slide.entry, "small") if slide.preview else None
    if pdf.space_left() < (PAPER_PAGE_H + 8 if path else 50):
        pdf.add_page()
    top, margin, height = pdf.get_y(), pdf.l_margin, 0.0
    if path is not None:
        # The first page on the left, the text in a column to its right.
        width = fitted_size(path, PAPER_PAGE_W, PAPER_PAGE_H)[0]
        height = pdf.picture(path, PAPER_PAGE_W, PAPER_PAGE_H, x=margin)
        pdf.set_draw_color(*RULE)
        pdf.rect(margin, top, width, height)
        pdf.set_left_margin(margin + width + 6)
        pdf.set_xy(pdf.l_margin, top)
    try:
        _paper_text(pdf, slide)
    finally:
        pdf.set_left_margin(margin)
    pdf.set_xy(margin, max(pdf.get_y(), top + height + 2) if path else pdf.get_y())
    pdf.ln(5)


def _paper_text(pdf: DeckPDF, slide: Slide) -> None:
    pdf.set_draw_color(*RULE)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 6, _("Paper: %(title)s", title=slide.title), align="L",
                   new_x="LMARGIN", new_y="NEXT")
    if slide.page_count:
        pdf.small_text(ngettext("%(num)s halaman", "%(num)s halaman", slide.page_count))
    if slide.caption and slide.caption != slide.title:
        pdf.small_text(slide.caption, color=INK, size=10)
    if slide.excerpt:
        pdf.set_font(FONT, "I", 9.5)
        pdf.set_fill_color(244, 246, 248)
        pdf.multi_cell(0, 5, slide.excerpt, fill=True, padding=3, align="L",
                       new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.small_text(_("Teks paper tidak tersedia."))


def _recommendation(pdf: DeckPDF, slide: Slide, image_path: ImagePath, previous) -> None:
    if previous is None or previous.kind != "recommendation":
        pdf.add_page()
        pdf.heading(_("Rekomendasi untuk Bandung"), 18)
    elif pdf.space_left() < 70:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_font(FONT, "B", 12.5)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, 6.5, slide.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.small_text(slide.subtitle)
    pdf.ln(1)
    pdf.facts(slide.facts, label_width=42)
    if slide.photos and pdf.space_left() > 40:
        pdf.thumbnail_row([image_path(e, "small") for e in slide.photos], 50, 34)
    pdf.set_draw_color(*RULE)
    if pdf.page_no() and pdf.get_y() > top:
        pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(6)


def _findings(pdf: DeckPDF, slide: Slide, image_path: ImagePath, previous) -> None:
    if pdf.space_left() < 60:
        pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, slide.title, align="L", new_x="LMARGIN", new_y="NEXT")
    counts = ", ".join(f"{label}: {value}" for label, value in slide.facts)
    pdf.small_text(f"{slide.subtitle} · {counts}")
    pdf.markdown(slide.markdown)
    if slide.photos:
        if pdf.space_left() < 42:
            pdf.add_page()
        pdf.thumbnail_row([image_path(e, "small") for e in slide.photos], 40, 30)
    pdf.ln(4)


def _coverage(pdf: DeckPDF, slide: Slide, image_path: ImagePath, previous) -> None:
    coverage = slide.coverage
    pdf.add_page()
    pdf.heading(slide.title, 18, slide.subtitle)
    pdf.set_font(FONT, "", 8.5)
    header = [_("Camat")] + [t.name_id for t in coverage.topics] + [_("Jumlah")]
    widths = [38] + [19.5] * len(coverage.topics) + [17]
    gap = FontFace(color=(153, 27, 27), fill_color=(254, 226, 226), emphasis="BOLD")
    with pdf.table(col_widths=widths, text_align=["LEFT"] + ["CENTER"] * (len(header) - 1),
                   line_height=5, headings_style=FontFace(emphasis="BOLD",
                                                          fill_color=(230, 240, 233))) as table:
        row = table.row()
        for text in header:
            row.cell(text)
        for camat in coverage.camats:
            row = table.row()
            row.cell(f"{camat.name}")
            for topic in coverage.topics:
                cell = coverage.cell(camat, topic)
                row.cell(_cell_text(cell), style=gap if cell.is_gap else None)
            row.cell(_cell_text(coverage.camat_total(camat)))
        row = table.row()
        row.cell(_("Jumlah"))
        for topic in coverage.topics:
            row.cell(_cell_text(coverage.topic_total(topic)))
        row.cell(_cell_text(coverage.grand_total))
    pdf.ln(3)
    pdf.small_text(_("Sel berisi \"foto / paper\". Sel merah: belum ada yang diterbitkan "
                     "untuk topik itu (%(count)s celah).", count=coverage.gap_count))


def _cell_text(cell) -> str:
    return f"{cell.photos} / {cell.papers}"
