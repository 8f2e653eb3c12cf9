"""Arsip Studi Banding: the study-visit documentation archive.

``create_app`` reads as the table of contents of the application.
"""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from .config import PROJECT_ROOT, load_config
from .core.rows import MAX_ID


class ArchiveApp(Flask):
    """Flask whose views all run inside the one transaction boundary (``core.transaction``)."""

    def dispatch_request(self):
        from .core.transaction import run_view

        return run_view(super().dispatch_request)


def create_app(test_config: dict | None = None) -> Flask:
    app = ArchiveApp(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(load_config(app.instance_path))
    if test_config is not None:
        app.config.from_mapping(test_config)

    from . import audit, auth, cli, errors, extensions, i18n, search, security, storage_paths
    from .identity import city as identity

    security.init_app(app)
    extensions.init_app(app)
    i18n.init_app(app)
    storage_paths.init_app(app)
    auth.init_app(app)
    audit.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    search.init_app(app)
    identity.init_app(app)
    _register_blueprints(app)
    return app


class _DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` in URLs, capped so that an id past a 32-bit integer column
    is a 404 instead of a database error (PostgreSQL rejects it)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = _DatabaseIntConverter
    from .main.views import bp as main_bp
    from .entries.views import bp as entries_bp
    from .entries import review as _entries_review  # noqa: F401  (the review grid, on entries_bp)
    from .admin.views import bp as admin_bp
    from .api import bp as api_bp
    from .api import meta as _api_meta  # noqa: F401  (the API's index and /me)
    from .entries import api as _entries_api  # noqa: F401  (routes on api_bp)
    from .main import api as _main_api  # noqa: F401
    from .reports import api as _reports_api  # noqa: F401
    from .search import api as _search_api  # noqa: F401
    from .districts import api as _districts_api  # noqa: F401
    from .uploads import api as _uploads_api  # noqa: F401
    from .uploads.views import bp as uploads_bp
    from .reports.presentation import bp as presentation_bp
    from .reports.views import bp as reports_bp
    from .search.views import bp as search_bp
    from .places.views import bp as places_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(entries_bp)
    app.register_blueprint(places_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(presentation_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(uploads_bp)
    from . import districts

    districts.init_app(app)
