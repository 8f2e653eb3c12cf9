"""Safe Markdown: no raw HTML, no script links, formatting kept."""
from __future__ import annotations

from markupsafe import Markup

from archive.reports.markdown import markdown_to_text, render_markdown


def test_formatting_is_rendered():
    html = render_markdown("# Judul\n\n**tebal** dan *miring*\n\n- satu\n- dua")
    assert isinstance(html, Markup)
    assert "<h1>Judul</h1>" in html
    assert "<strong>tebal</strong>" in html and "<em>miring</em>" in html
    assert "<li>satu</li>" in html


def test_script_tags_are_escaped_not_run():
    html = render_markdown("Halo <script>alert('x')</script> dunia")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_raw_html_is_escaped():
    html = render_markdown('<img src=x onerror="alert(1)"> <b>tebal</b>\n\n<div style="x">blok</div>')
    assert "<img" not in html and "<b>" not in html and "<div" not in html
    assert "&lt;img" in html and "&lt;div" in html


def test_javascript_links_are_not_links():
    for url in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
                "vbscript:msgbox(1)", "java\tscript:alert(1)"):
        html = render_markdown(f"[klik]({url})")
        assert 'href="' not in html, (url, html)
    assert "javascript:" not in render_markdown("<javascript:alert(1)>").lower().replace(
        "&lt;javascript:", "")


def test_safe_links_get_rel_nofollow():
    html = render_markdown("[Seoul](https://english.seoul.go.kr/)")
    assert 'href="https://english.seoul.go.kr/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_empty_and_plain_text():
    assert render_markdown("") == "" and render_markdown(None) == ""
    assert markdown_to_text("**a** & <b>") == "a & <b>"
