"""Safe Markdown for report texts (opening, narratives, closing, card texts).

Two layers, because either one alone has had bypasses in the wild:
markdown-it-py renders with raw HTML switched off (so ``<script>`` typed by a
camat comes out as visible text) and refuses ``javascript:``-style links;
nh3 then cleans the HTML against an allow-list of tags, attributes and URL
schemes, so nothing a future markdown-it option lets through can run.
The presentation engineer reuses :func:`render_markdown` for slides and PDF.
"""
from __future__ import annotations

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "commonmark" with html=False: raw HTML is escaped, not passed through.
    # Tables and strikethrough are handy in reports; linkify needs an extra
    # package and is left off.
    return (
        MarkdownIt("commonmark", {"html": False, "breaks": True})
        .enable("table")
        .enable("strikethrough")
    )


def render_markdown(text: str | None) -> Markup:
    """Markdown to sanitised HTML, safe to put in a page as is."""
    if not text:
        return Markup("")
    html = _parser().render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        # Only text-align survives in table cells (markdown-it's column alignment).
        filter_style_properties={"text-align"},
    )
    return Markup(clean)


def markdown_to_text(text: str | None) -> str:
    """Plain text of a Markdown string (for excerpts and speaker notes); not escaped,
    so let Jinja or the PDF writer escape it where it is used."""
    if not text:
        return ""
    return html.unescape(nh3.clean(_parser().render(text), tags=set())).strip()
