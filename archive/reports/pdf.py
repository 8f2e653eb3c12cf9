"""PDF export of a deck (a camat's report or a trip compilation), made on the server.

fpdf2 with real Unicode TrueType fonts: DejaVu Sans (Debian package
``fonts-dejavu-core``) for Latin text, Noto Sans CJK KR (``fonts-noto-cjk``)
as fallback so that Korean place names such as 청계천 and 서울 come out as
text, not boxes. Photos are the archive's re-encoded JPEG thumbnails, which
fpdf2 embeds without decoding, so a 60-photo report stays fast. Nothing is
cached: every PDF is made from the database as it is now.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from fpdf import FPDF
from fpdf.fonts import FontFace, TextStyle
from PIL import Image

from ..models import Entry
from .markdown import render_markdown
from .slides import Deck, Slide

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
NOTO_CJK_DIR = Path("/usr/share/fonts/opentype/noto")
#: face index of "Noto Sans CJK KR" inside the Noto Sans CJK collections
NOTO_CJK_KR_FACE = 1

#: Hangul (jamo, compatibility jamo, syllables), CJK symbols, kana, Han, full-width forms
CJK = re.compile("[\u1100-\u11ff\u3000-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
                 "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
FONT = "dejavu"
FALLBACK = "notocjk"
INK = (33, 37, 41)
MUTED = (96, 103, 112)
ACCENT = (22, 101, 52)
RULE = (206, 212, 218)

#: entry -> JPEG path of a thumbnail ("large" or "small"), None if it cannot be had
ImagePath = Callable[[Entry, str], "Path | None"]


@dataclass
class FontFiles:
    regular: Path
    bold: Path
    italic: Path
    cjk_regular: Path | None


def font_files() -> FontFiles:
    """The font files, from the app config or Debian's standard places."""
    cfg = current_app.config
    dejavu = Path(cfg.get("PDF_FONT_DIR", DEJAVU_DIR))
    cjk = Path(cfg.get("PDF_CJK_FONT_DIR", NOTO_CJK_DIR))
    files = FontFiles(
        regular=dejavu / "DejaVuSans.ttf",
        bold=dejavu / "DejaVuSans-Bold.ttf",
        italic=dejavu / "DejaVuSans-Oblique.ttf",
        cjk_regular=cjk / "NotoSansCJK-Regular.ttc",
    )
    for required in (files.regular, files.bold, files.italic):
        if not required.exists():
            raise RuntimeError(
                f"PDF font {required} missing: install the Debian package fonts-dejavu-core")
    if not files.cjk_regular.exists():
        # Korean would come out as empty boxes; the rest of the PDF is still right.
        current_app.logger.warning("fonts-noto-cjk missing: Hangul in PDFs cannot be drawn")
        files.cjk_regular = None
    return files


class DeckPDF(FPDF):
    """A4 portrait with a running title and "Halaman 3 dari 12" at the foot."""

    def __init__(self, running_title: str, cjk: bool = True) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.running_title = running_title
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)
        files = font_files()
        self.add_font(FONT, "", files.regular)
        self.add_font(FONT, "B", files.bold)
        self.add_font(FONT, "I", files.italic)
        self.add_font(FONT, "BI", files.bold)
        # Parsing and subsetting the CJK collection costs about a second, so
        # it is loaded only for decks that hold Han, Hangul or kana text.
        if cjk and files.cjk_regular:
            self.add_font(FALLBACK, "", files.cjk_regular, collection_font_number=NOTO_CJK_KR_FACE)
            # Regular weight only, also under bold text: a second face of the
            # collection would add another half second to every PDF.
            self.set_fallback_fonts([FALLBACK], exact_match=False)
        self.set_title(running_title)
        self.set_creator("Arsip Studi Banding")
        self.set_font(FONT, size=11)
        self.set_text_color(*INK)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, self.running_title, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, _("Halaman %(page)s dari %(total)s", page=self.page_no(),
                          total=self.str_alias_nb_pages), align="C")
        self.set_text_color(*INK)

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def space_left(self) -> float:
        return self.page_break_trigger - self.get_y()

    # -- building blocks --------------------------------------------------

    def heading(self, text: str, size: float = 18, subtitle: str = "") -> None:
        self.set_font(FONT, "B", size)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        if subtitle:
            self.set_font(FONT, "", 11)
            self.set_text_color(*MUTED)
            self.multi_cell(0, 6, subtitle, align="L", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(*INK)
        self.ln(3)

    def markdown(self, text: str) -> None:
        if not text.strip():
            return
        self.set_font(FONT, "", 11)
        heading = {f"h{n}": TextStyle(font_family=FONT, font_style="B", font_size_pt=size,
                                      color=INK, t_margin=3, b_margin=1)
                   for n, size in ((1, 15), (2, 13.5), (3, 12), (4, 11), (5, 11), (6, 11))}
        self.write_html(
            str(render_markdown(text)), font_family=FONT, warn_on_tags_not_matching=False,
            tag_styles={**heading, "code": FontFace(family=FONT), "pre": FontFace(family=FONT),
                        "a": FontFace(family=FONT, color=ACCENT),
                        "blockquote": TextStyle(font_family=FONT, font_style="I", color=MUTED,
                                                l_margin=6)},
        )
        self.ln(2)

    def facts(self, facts: list[tuple[str, str]], label_width: float = 45) -> None:
        for label, value in facts:
            self.set_font(FONT, "B", 10)
            label_lines = self.multi_cell(label_width, 5.5, label, align="L", dry_run=True,
                                           output="LINES")
            if self.space_left() < 5.5 * len(label_lines):
                self.add_page()
            y = self.get_y()
            self.multi_cell(label_width, 5.5, label, align="L", new_x="RIGHT", new_y="TOP")
            self.set_font(FONT, "", 10)
            self.multi_cell(0, 5.5, value, align="L", new_x="LMARGIN", new_y="NEXT")
            # a label that wrapped may be taller than its value
            self.set_y(max(self.get_y(), y + 5.5 * len(label_lines)) + 0.8)
        self.ln(2)

    def picture(self, path: Path | None, max_w: float, max_h: float,
                x: float | None = None) -> float:
        """Place a JPEG fitted in max_w x max_h at (x, current y); return its height."""
        if path is None:
            return self._missing_picture(max_w, max_h, x)
        w, h = fitted_size(path, max_w, max_h)
        self.image(str(path), x=self.l_margin + (max_w - w) / 2 if x is None else x,
                   y=self.get_y(), w=w, h=h)
        return h

    def thumbnail_row(self, paths: list[Path | None], max_w: float, max_h: float) -> None:
        """Small pictures side by side from the left margin, then move below them."""
        x = self.l_margin
        tallest = 0.0
        for path in paths:
            tallest = max(tallest, self.picture(path, max_w, max_h, x=x))
            x += max_w + 3.5
        self.set_y(self.get_y() + tallest + 2)

    def text_height(self, text: str, line_height: float, style: str = "",
                    size: float = 10) -> float:
        """How tall ``text`` will be across the full width, without drawing it."""
        if not text:
            return 0.0
        self.set_font(FONT, style, size)
        return line_height * len(self.multi_cell(0, line_height, text, align="L",
                                                 dry_run=True, output="LINES"))

    def _missing_picture(self, max_w: float, max_h: float, x: float | None) -> float:
        h = missing_height(max_w, max_h)
        x = self.l_margin if x is None else x
        y = self.get_y()
        self.set_fill_color(236, 238, 241)
        self.rect(x, y, max_w, h, style="F")
        self.set_font(FONT, "I", 9)
        self.set_text_color(*MUTED)
        self.set_xy(x, y + h / 2 - 3)
        self.cell(max_w, 6, _("Gambar tidak tersedia"), align="C")
        self.set_xy(self.l_margin, y)
        self.set_text_color(*INK)
        return h

    def small_text(self, text: str, style: str = "", color=MUTED, size: float = 9.5) -> None:
        if not text:
            return
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)


def fitted_size(path: Path, max_w: float, max_h: float) -> tuple[float, float]:
    with Image.open(path) as img:  # reads the header only
        width, height = img.size
    scale = min(max_w / width, max_h / height)
    return width * scale, height * scale


def missing_height(max_w: float, max_h: float) -> float:
    return min(max_h, max_w * 0.5)


def render_deck_pdf(deck: Deck, image_path: ImagePath) -> bytes:
    """The whole deck as a printable document; returns the PDF bytes."""
    pdf = DeckPDF(deck.title, cjk=any(CJK.search(text) for text in deck_texts(deck)))
    pdf.add_page()
    renderers = {
        "cover": _cover, "section": _section, "topic": _section, "closing": _section,
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
    pdf.ln(25)
    pdf.small_text(_("Arsip Studi Banding"), "B", ACCENT, 11)
    pdf.ln(2)
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


def _paper(pdf: DeckPDF, slide: Slide, image_path: ImagePath, previous) -> None:
    if pdf.space_left() < 50:
        pdf.add_page()
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
    pdf.ln(5)


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
