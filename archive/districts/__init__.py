"""Kecamatan, their camat and the city's evaluation (SIP): periods, criteria, score
records, their files, pages, API and the award that follows from them."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The public score pages, the admin's import and award pages, the file commands."""
    from . import admin, cli, views
    from .operations.periods import period_by_code

    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.cli.add_command(cli.import_scores)
    app.cli.add_command(cli.export_scores)
    app.add_template_global(period_by_code)
