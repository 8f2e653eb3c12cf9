"""Full-text search over entries (Whoosh), kept in step with the database.

Public interface:

* ``init_app(app)``: session events, CLI commands, admin page for synonyms.
* ``sync_pending() -> int``: apply outbox rows the index has not taken yet;
  ``sync_after_answer()``: the same once the request's answer is sent.
* ``search_entries(params) -> SearchResults``; ``more_like_this(entry, limit)``.
* ``rebuild(progress=None) -> int``: rebuild the index from the database.

Package layout: ``analysis`` (the bilingual analyzer), ``schema``, ``index``
(locks, writers, searchers), ``documents`` (Entry -> document), ``outbox``
(change tracking), ``query`` (safe parsing), ``synonyms``, ``facets``
(in-memory facet values), ``params`` (what a search asks and answers),
``searching`` (search and related entries) with ``labels`` (facet names),
``snippets`` (highlights, paper pages) and ``suggest`` (did you mean), ``maintenance`` (rebuild, check), ``cli``, ``views``, ``admin``.
"""
from __future__ import annotations

from flask import Flask, current_app

from . import models  # noqa: F401  (the tables belong to the metadata)
from .maintenance import CheckReport, check, rebuild
from .outbox import sync_after_answer, sync_pending
from .params import FacetValue, Hit, SearchParams, SearchResults

__all__ = [
    "CheckReport", "FacetValue", "Hit", "SearchParams", "SearchResults", "check", "index_dir",
    "init_app", "more_like_this", "rebuild", "search_entries", "sync_after_answer", "sync_pending",
]


def index_dir() -> str:
    return current_app.config["INDEX_DIR"]


def __getattr__(name: str):
    # The query side (``searching``: numpy, facet columns) is imported by the
    # first search, not by a worker that only takes uploads and indexes them.
    if name in ("search_entries", "more_like_this"):
        from . import searching

        return getattr(searching, name)
    raise AttributeError(name)


def init_app(app: Flask) -> None:
    from . import admin, cli, outbox

    outbox.install()
    cli.init_app(app)
    app.register_blueprint(admin.bp)
