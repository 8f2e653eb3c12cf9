"""``GET /api/v1/search``: the search page's search as JSON, with facets and a suggestion."""
from __future__ import annotations

from flask import request

from ..core.urls import external_url
from ..entries.visibility import current_viewer
from .outbox import sync_pending_quietly
from .params import SearchParams
from ..api import bp
from ..api.auth import optional_token
from ..api.serializers import entry_to_json, score_lookup_for
from ..ingest.previews import can_preview


@bp.get("/search")
@optional_token
def search():
    """Query args as on /cari: q, topic, camat, kecamatan, trip, year, kind, gps, sort, page, per_page."""
    sync_pending_quietly()
    params = SearchParams.from_args(request.args, current_viewer())
    per_page = request.args.get("per_page", "")
    if per_page.isdigit():
        params.per_page = min(max(int(per_page), 1), 100)
    from .searching import search_entries  # numpy: imported by the first search

    results = search_entries(params)
    lookup = score_lookup_for([h.entry for h in results.hits])
    args = {"q": params.q or None, "sort": params.sort, **params.filters()}

    def link(page: int) -> str:
        return external_url("api.search", page=page, per_page=params.per_page, **args)

    hits = []
    for hit in results.hits:
        data = entry_to_json(hit.entry, lookup)
        data["search"] = {
            "score": round(hit.score, 4),
            "snippet_html": str(hit.snippet),
            "page": hit.page_number,
            "page_url": external_url("entries.paper", entry_id=hit.entry.id)
            + f"#page={hit.page_number}" if hit.page_number else None,
            # the matching page as a picture (none for a paper locked with a password)
            "page_preview_url": (external_url("entries.thumbnail", entry_id=hit.entry.id,
                                              size="small", page=hit.page_number)
                                 if hit.page_number and can_preview(hit.entry.file) else None),
        }
        hits.append(data)
    return {
        "query": params.q,
        "total": results.total,
        "page": results.page,
        "per_page": results.per_page,
        "pages": results.pages,
        "links": {
            "self": link(results.page),
            "prev": link(results.page - 1) if results.page > 1 else None,
            "next": link(results.page + 1) if results.page < results.pages else None,
        },
        "hits": hits,
        "facets": {
            name: [{"value": f.value, "label": f.label, "count": f.count, "active": f.active}
                   for f in values]
            for name, values in results.facets.items()
        },
        "suggestion": results.suggestion,
        "notices": results.notices,
        "relaxed": results.relaxed,
        "took_ms": round(results.took_ms, 2),
    }
