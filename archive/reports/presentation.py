"""Presenting reports: slides, PDF and offline bundle, and the trip compilation."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("presentation", __name__)
