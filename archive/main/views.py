"""Public pages: home, topics, camat profiles, score records."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    return render_template("main/home.html")
