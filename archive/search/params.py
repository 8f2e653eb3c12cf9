"""What a search asks and what it answers: parameters from the query string, hits,
facet values and the result page."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from markupsafe import Markup

from ..entries.visibility import Viewer
from ..models import Entry
from .schema import KIND_CODES

SORTS = ("relevance", "newest", "taken", "score")
PER_PAGE = 20
MAX_PAGE = 500
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}


@dataclass
class SearchParams:
    q: str = ""
    topic: str = ""             # topic slug
    camat: int | None = None
    kecamatan: int | None = None
    trip: str = ""              # trip slug (or id)
    year: int | None = None
    kind: str = ""              # "photo" | "paper"
    gps: str = ""               # "1" with a position, "0" without
    place: int | None = None    # the GPS place's area code (places.stored.area_code)
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    #: who is looking: visitors see published entries; a camat also their drafts
    viewer: Viewer = field(default_factory=Viewer)
    with_facets: bool = True

    @classmethod
    def from_args(cls, args, viewer: Viewer | None = None) -> "SearchParams":
        """Read request query args; bad values are ignored rather than failing."""
        def to_int(name: str) -> int | None:
            value = (args.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) < 10 else None

        place = (args.get("place") or "").strip()
        sort = args.get("sort") or "relevance"
        kind = args.get("kind") or ""
        gps = args.get("gps") or ""
        return cls(
            q=args.get("q") or "",
            topic=(args.get("topic") or "")[:64],
            camat=to_int("camat"),
            kecamatan=to_int("kecamatan"),
            trip=(args.get("trip") or "")[:120],
            year=to_int("year"),
            kind=kind if kind in KIND_CODES else "",
            gps=gps if gps in ("0", "1") else "",
            place=int(place) if place.isdigit() and len(place) < 19 else None,
            sort=sort if sort in SORTS else "relevance",
            page=min(max(to_int("page") or 1, 1), MAX_PAGE),
            viewer=viewer or Viewer(),
        )

    def filters(self) -> dict[str, str]:
        """The active filters as URL args (for links that keep them)."""
        out = {"topic": self.topic, "camat": self.camat, "kecamatan": self.kecamatan,
               "trip": self.trip, "year": self.year, "kind": self.kind, "gps": self.gps,
               "place": self.place}
        return {k: str(v) for k, v in out.items() if v not in (None, "")}


@dataclass
class Hit:
    entry: Entry
    score: float
    snippet: Markup
    #: for papers: the page where the words stand, and its link
    page_number: int | None = None
    page_url: str | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    active: bool = False


@dataclass
class SearchResults:
    params: SearchParams
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    notices: list[str] = field(default_factory=list)
    #: True when no entry had every word, and entries with some of them are shown
    relaxed: bool = False
    took_ms: float = 0.0

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))
