"""Facet counts as labelled choices: the names of topics, camat, kecamatan and
trips, read once per index layout."""
from __future__ import annotations

import weakref
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Camat, Kecamatan, Topic, Trip
from ..places.queries import area_labels
from . import facets as facet_values
from .params import KIND_NAMES, FacetValue, SearchParams

# --------------------------------------------------------------------- facets


@dataclass
class _Labels:
    """Names of the facet values, read once per index layout."""

    topics: dict[int, tuple[str, str, int]]   # id -> (slug, name, position)
    camat: dict[int, str]
    kecamatan: dict[int, str]
    trips: dict[int, tuple[str, str]]         # id -> (slug, title)
    places: dict[int, str]                    # area code -> "Jongno-gu (종로구), Seoul"


#: facet labels per index layout; dropped with the layout's DocValues
_labels_by_layout: "weakref.WeakKeyDictionary[facet_values.DocValues, _Labels]" = (
    weakref.WeakKeyDictionary())


def facet_labels(values) -> _Labels:
    """The small label tables, cached on the index layout's DocValues.

    Renaming a topic, camat, kecamatan or trip rewrites its entries' documents
    (outbox), which gives a new layout and so a fresh read; four queries per
    request were a fifth of a search's database time.
    """
    labels = _labels_by_layout.get(values)
    if labels is None:
        labels = _Labels(
            topics={i: (slug, (name_id, name_en), pos)
                    for i, slug, name_id, name_en, pos in db.session.execute(
                        select(Topic.id, Topic.slug, Topic.name_id, Topic.name_en,
                               Topic.position))},
            camat=dict(db.session.execute(select(Camat.id, Camat.name)).all()),
            kecamatan=dict(db.session.execute(select(Kecamatan.id, Kecamatan.name)).all()),
            trips={i: (slug, title) for i, slug, title in db.session.execute(
                select(Trip.id, Trip.slug, Trip.title))},
            places=area_labels(),
        )
        _labels_by_layout[values] = labels
    return labels


def label_facets(counts: dict[str, dict[int, int]], params: SearchParams, ids: dict,
                  labels: _Labels) -> dict[str, list[FacetValue]]:
    out: dict[str, list[FacetValue]] = {}
    topics = labels.topics
    english = str(get_locale()) == "en"
    out["topic"] = [
        FacetValue(topics[i][0], topics[i][1][1 if english else 0], c, ids["topic_id"] == i)
        for i, c in sorted((i, c) for i, c in counts["topic"].items() if i in topics)
    ]
    out["topic"].sort(key=lambda f: (_topic_position(topics, f.value), f.label))
    camat = labels.camat
    out["camat"] = sorted((FacetValue(str(i), camat[i], c, params.camat == i)
                           for i, c in counts["camat"].items() if i in camat), key=lambda f: (-f.count, f.label))
    kec = labels.kecamatan
    out["kecamatan"] = sorted((FacetValue(str(i), kec[i], c, params.kecamatan == i)
                               for i, c in counts["kecamatan"].items() if i in kec), key=lambda f: (-f.count, f.label))
    trips = labels.trips
    out["trip"] = [FacetValue(trips[i][0], trips[i][1], c, ids["trip_id"] == i)
                   for i, c in counts["trip"].items() if i in trips]
    out["year"] = sorted((FacetValue(str(y), str(y), c, params.year == y)
                          for y, c in counts["year"].items() if y), key=lambda f: f.value, reverse=True)
    labels_kind = {"photo": _("Foto"), "paper": _("Paper")}
    out["kind"] = [FacetValue(KIND_NAMES[k], labels_kind[KIND_NAMES[k]], c, params.kind == KIND_NAMES[k])
                   for k, c in sorted(counts["kind"].items()) if k in KIND_NAMES]
    places = labels.places
    out["place"] = sorted((FacetValue(str(a), places[a], c, params.place == a)
                           for a, c in counts["place"].items() if a in places),
                          key=lambda f: (-f.count, f.label))
    gps_labels = {1: _("Ada lokasi GPS"), 0: _("Tanpa lokasi GPS")}
    out["gps"] = [FacetValue(str(g), gps_labels[g], c, params.gps == str(g))
                  for g, c in sorted(counts["gps"].items(), reverse=True) if g in gps_labels]
    return out


def _topic_position(topics: dict[int, tuple[str, str, int]], slug: str) -> int:
    for topic_slug, _name, position in topics.values():
        if topic_slug == slug:
            return position
    return 0
