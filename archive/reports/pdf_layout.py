"""The PDF page itself: fonts (DejaVu Sans, Noto Sans CJK KR for Korean), colours,
the running header and footer, and the building blocks the slide renderers use
(headings, Markdown text, facts, pictures that fit a box)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from flask import current_app
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace, TextStyle
from PIL import Image

from ..identity.city import current_city
from ..models import Entry
from .markdown import render_markdown

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
        self.city = current_city()
        self.set_title(running_title)
        self.set_author(self.city.name)
        self.set_creator("Arsip Studi Banding")
        self.set_font(FONT, size=11)
        self.set_text_color(*INK)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        top = self.get_y()
        self.cell(0, 6, self.city.name, align="R")
        self.set_xy(self.l_margin, top)
        self.cell(self.content_width - self.get_string_width(self.city.name) - 4, 6,
                  self.running_title, new_x="LMARGIN", new_y="NEXT")
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

    def city_mark(self, width: float = 14) -> None:
        """The city's mark with its name beside it (the cover), then move below them."""
        top, x, height = self.get_y(), self.l_margin + width + 4, 0.0
        try:
            info = self.image(str(self.city.mark_path), x=self.l_margin, y=top, w=width)
            height = info.rendered_height
        except Exception:  # a configured mark fpdf2 cannot draw: the name alone
            current_app.logger.warning("City mark %s not drawn", self.city.mark_path, exc_info=True)
            x = self.l_margin
        self.set_xy(x, top + 2)
        self.set_font(FONT, "B", 11)
        self.set_text_color(*ACCENT)
        self.cell(0, 6, self.city.name, new_x="LEFT", new_y="NEXT")
        self.set_font(FONT, "", 10)
        self.set_text_color(*MUTED)
        self.cell(0, 6, _("Arsip Studi Banding"), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.set_y(max(self.get_y(), top + height) + 2)

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
