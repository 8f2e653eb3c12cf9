"""Make sure the folders the archive writes to exist."""
from __future__ import annotations

from pathlib import Path

from flask import Flask


def init_app(app: Flask) -> None:
    for key in ("UPLOAD_DIR", "INDEX_DIR"):
        Path(app.config[key]).mkdir(parents=True, exist_ok=True)
