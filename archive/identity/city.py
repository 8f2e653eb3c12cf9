"""``current_city()``: the city's name and short name in the visitor's language, and its mark.

Defaults are Pemerintah Kota Bandung and the mark the project drew for it
(``static/img/city-mark.svg``: a shield with the initials KB over mountains and
a river, not the city's coat of arms). Another city sets ``ARCHIVE_CITY_NAME``,
``ARCHIVE_CITY_NAME_EN``, ``ARCHIVE_CITY_SHORT_NAME``, ``ARCHIVE_CITY_SHORT_NAME_EN``
and ``ARCHIVE_CITY_MARK`` (the path of an SVG file).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, current_app, send_file
from flask_babel import get_locale

bp = Blueprint("identity", __name__)

DEFAULT_MARK = Path(__file__).resolve().parents[2] / "static" / "img" / "city-mark.svg"
#: one day: a new mark set in the config shows within a day
MARK_MAX_AGE = 24 * 3600


def config_from_environment() -> dict:
    """The CITY_* settings (archive/config.py merges them into the app config)."""
    env = os.environ.get
    return {
        "CITY_NAME": env("ARCHIVE_CITY_NAME", "Pemerintah Kota Bandung"),
        "CITY_NAME_EN": env("ARCHIVE_CITY_NAME_EN", "Bandung City Government"),
        "CITY_SHORT_NAME": env("ARCHIVE_CITY_SHORT_NAME", "Kota Bandung"),
        "CITY_SHORT_NAME_EN": env("ARCHIVE_CITY_SHORT_NAME_EN", "Bandung"),
        "CITY_MARK": env("ARCHIVE_CITY_MARK", str(DEFAULT_MARK)),
    }


@dataclass(frozen=True)
class City:
    name: str
    short_name: str
    mark_path: Path


def current_city(language: str | None = None) -> City:
    """The city in ``language`` (the visitor's by default); English falls back to Indonesian."""
    cfg = current_app.config
    if language is None:
        language = str(get_locale() or "id")
    english = language == "en"
    return City(
        name=(english and cfg["CITY_NAME_EN"]) or cfg["CITY_NAME"],
        short_name=(english and cfg["CITY_SHORT_NAME_EN"]) or cfg["CITY_SHORT_NAME"],
        mark_path=Path(cfg["CITY_MARK"]),
    )


@bp.route("/identitas/lambang.svg")
def mark():
    """The city's mark, whichever file the config names."""
    response = send_file(current_city().mark_path, mimetype="image/svg+xml",
                         max_age=MARK_MAX_AGE, conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # an SVG opened on its own is a document: no script may run in it
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


def init_app(app) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _city() -> dict:
        return {"city": current_city()}
