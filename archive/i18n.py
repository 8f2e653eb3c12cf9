"""Languages: Bahasa Indonesia first, English second.

Message ids in the code and templates are Indonesian, so a string without an
English translation still reads correctly in the primary language. English
lives in ``archive/translations/en``. The visitor picks a language with
``?lang=en`` / ``?lang=id`` (kept in a cookie); otherwise Indonesian.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT_LANGUAGE = "id"

babel = Babel()


def select_locale() -> str:
    if not has_request_context():  # CLI commands and background work speak Indonesian
        return DEFAULT_LANGUAGE
    wanted = request.args.get("lang") or request.cookies.get("lang")
    if wanted in LANGUAGES:
        return wanted
    return DEFAULT_LANGUAGE


def _remember_language(response):
    wanted = request.args.get("lang")
    if wanted in LANGUAGES and request.cookies.get("lang") != wanted:
        response.set_cookie("lang", wanted, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent / "translations")
    )
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(_remember_language)

    @app.context_processor
    def _languages():
        from flask_babel import get_locale

        return {"LANGUAGES": LANGUAGES, "current_language": str(get_locale() or DEFAULT_LANGUAGE)}
