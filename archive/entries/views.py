"""Entry pages: upload, detail, edit, my entries."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("entries", __name__, url_prefix="/entri")
