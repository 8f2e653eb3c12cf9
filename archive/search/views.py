"""The search page ``/cari``: query box, facets, sorting, snippets, paging, suggestion."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _

from ..entries.visibility import current_viewer

from .params import SORTS, SearchParams, SearchResults

bp = Blueprint("search", __name__)


def run_search(args) -> SearchResults:
    """Search for a request's args; also applies any outbox rows left by a failed sync."""
    from .outbox import sync_pending_quietly
    from .searching import search_entries  # numpy: imported by the first search

    sync_pending_quietly()
    return search_entries(SearchParams.from_args(args, current_viewer()))


def search_url(params: SearchParams, **changes) -> str:
    """The shareable address of a search, with some arguments changed (None removes)."""
    args = {"q": params.q, "sort": params.sort if params.sort != "relevance" else None,
            **params.filters()}
    args.update(changes)
    args = {k: v for k, v in args.items() if v not in (None, "")}
    return url_for("search.index", **args)


@bp.route("/cari")
def index():
    results = run_search(request.args)
    sort_labels = {
        "relevance": _("Paling relevan"), "newest": _("Terbaru diunggah"),
        "taken": _("Tanggal pengambilan"), "score": _("Nilai kinerja penulis"),
    }
    return render_template(
        "search/index.html", results=results, params=results.params, sorts=SORTS,
        sort_labels=sort_labels, search_link=search_url,
        debug_timing=current_app.debug,
    )

