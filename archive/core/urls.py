"""Absolute URLs for pages of many rows: Flask builds each shape once, ids are filled in.

A page of twenty search hits through the API asks for about 200 absolute
URLs (an entry's own, its original, thumbnails, paper, author, score
record...). Each ``url_for`` goes through Flask's URL defaults, the
blueprint and Werkzeug's rule matching: ~15 % of the API's time for a
page at 20,000 entries (cProfile). ``external_url`` gives the same string:
per app context (a request) it asks ``url_for`` once per endpoint and
per set of non-integer values, with marker numbers for the integers, and
then fills the integers in.
"""
from __future__ import annotations

from flask import g, url_for

#: marker numbers for integer values; a built URL must hold each exactly once
_MARK = 907_151_632_048_201


def external_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, _external=True, **values)``."""
    ints = [name for name, value in values.items() if type(value) is int]
    key = (endpoint, tuple(ints),
           tuple((name, value) for name, value in values.items() if name not in ints))
    cache = g.get("_url_shapes")
    if cache is None:
        cache = g._url_shapes = {}
    try:
        shape = cache.get(key, False)
    except TypeError:  # a value that is not hashable (a list): as Flask builds it
        return url_for(endpoint, _external=True, **values)
    if shape is False:
        shape = cache[key] = _shape(endpoint, ints, values)
    if shape is None:
        return url_for(endpoint, _external=True, **values)
    pieces, order = shape
    out = [pieces[0]]
    for n, name in enumerate(order):
        out.append(str(values[name]))
        out.append(pieces[n + 1])
    return "".join(out)


def _shape(endpoint: str, ints: list[str], values: dict):
    """(the URL's pieces between the integers, the integers' names in order), or
    None when the markers do not come out once each (then ``url_for`` builds
    every such URL). Without integers the URL itself is the one piece."""
    marks = {name: _MARK + n for n, name in enumerate(ints)}
    built = url_for(endpoint, _external=True, **{**values, **marks})
    found = sorted((built.find(str(mark)), name) for name, mark in marks.items())
    if any(pos < 0 or built.count(str(marks[name])) != 1 for pos, name in found):
        return None
    pieces, start = [], 0
    for pos, name in found:
        pieces.append(built[start:pos])
        start = pos + len(str(marks[name]))
    pieces.append(built[start:])
    return pieces, [name for _, name in found]
