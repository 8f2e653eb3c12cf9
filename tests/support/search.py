"""What a search finds, as titles."""
from __future__ import annotations


def titles(q: str = "", **kwargs) -> list[str]:
    """The titles of every hit for ``q`` (and SearchParams ``kwargs``), best first."""
    from archive.search import SearchParams, search_entries

    return [h.entry.title for h in search_entries(SearchParams(q=q, per_page=100, **kwargs)).hits]
