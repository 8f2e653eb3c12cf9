"""Content the city writes in two languages: "the text in the visitor's language".

A bilingual field is a pair of columns: ``title`` holds the Indonesian text
(the first language, always there for required fields) and ``title_en`` the
English one, which may be empty. A page shows the visitor's language and falls
back to the other with a small note, "(belum ada terjemahan)" / "(not yet
translated)". Templates use the filters ``in_language`` (the text, marked with
its ``lang`` and the note when it fell back) and ``in_language_text`` (the text
alone, for a ``<title>``, an attribute or a sentence); Python code (slides, PDF)
uses :func:`text_in_language`.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

#: the languages content is written in, first one first
LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class InLanguage:
    """A text and the language it is in; ``fallback`` when that is not the one asked for."""

    text: str
    lang: str
    fallback: bool

    def __str__(self) -> str:
        return self.text


def visitor_language() -> str:
    """The page's language ("id" or "en"); Indonesian outside a request."""
    if not has_request_context():
        return LANGUAGES[0]
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "id"


def pick(indonesian: str | None, english: str | None, lang: str | None = None) -> InLanguage:
    """The text in ``lang`` (the visitor's by default), else the other one."""
    lang = lang or visitor_language()
    texts = {"id": (indonesian or "").strip(), "en": (english or "").strip()}
    if texts[lang]:
        return InLanguage(texts[lang], lang, False)
    other = "en" if lang == "id" else "id"
    if texts[other]:
        return InLanguage(texts[other], other, True)
    return InLanguage("", lang, False)


def field_in_language(row, name: str, lang: str | None = None) -> InLanguage:
    """``row.<name>`` (Indonesian) or ``row.<name>_en`` (English), as the visitor reads it."""
    if row is None:
        return InLanguage("", lang or visitor_language(), False)
    return pick(getattr(row, name, ""), getattr(row, f"{name}_en", ""), lang)


def text_in_language(row, name: str, lang: str | None = None) -> str:
    return field_in_language(row, name, lang).text


def both_languages(row, name: str) -> dict[str, str]:
    """``{"id": ..., "en": ...}``: what the API answers for a bilingual field."""
    return {"id": getattr(row, name, "") or "", "en": getattr(row, f"{name}_en", "") or ""}


def untranslated_note() -> str:
    return _("(belum ada terjemahan)")


def in_language_markup(row, name: str) -> Markup:
    """The text for a page: a fallback carries its ``lang`` and the small note."""
    shown = field_in_language(row, name)
    if not shown.fallback:
        return escape(shown.text)
    return Markup('<span lang="{lang}">{text}</span> <small class="untranslated">{note}</small>').format(
        lang=shown.lang, text=shown.text, note=untranslated_note())


def init_app(app) -> None:
    app.add_template_filter(in_language_markup, "in_language")
    app.add_template_filter(text_in_language, "in_language_text")
