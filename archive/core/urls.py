"""Absolute URLs for pages of many rows: Flask builds each shape once, ids are filled in.

A page of twenty search hits through the API asks for about 200 absolute
URLs (an entry's own, its original, thumbnails, paper, author, score
record...). Each ``url_for`` goes through Flask's URL defaults, the
blueprint and Werkzeug's rule matching: ~15 % of the API's time for a
page at 20,000 entries (cProfile). ``external_url`` gives the same string:
it asks ``url_for`` once per endpoint and set of non-integer values, with
marker numbers for the integers, and then fills the integers in.

The shapes are kept per app and per URL root (scheme, host, script root)
for as long as the process lives: built again in every request, they were
~30 ``url_for`` calls a page of hits, 2 ms of a search's answer at a
million entries. The host comes from the request, so the roots and the
shapes kept are bounded (``MAX_ROOTS``, ``MAX_SHAPES``; then they start over).
"""
from __future__ import annotations

import threading

from flask import current_app, g, has_request_context, request, url_for

#: marker numbers for integer values; a built URL must hold each exactly once
_MARK = 907_151_632_048_201
#: URL roots kept per app, and shapes per root, before they start over (hosts
#: are what clients send, and a search's words are values of its links)
MAX_ROOTS = 64
MAX_SHAPES = 4096
_lock = threading.Lock()


def external_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, _external=True, **values)``."""
    ints = [name for name, value in values.items() if type(value) is int]
    key = (endpoint, tuple(ints),
           tuple((name, value) for name, value in values.items() if name not in ints))
    cache = _shapes()
    try:
        shape = cache.get(key, False)
    except TypeError:  # a value that is not hashable (a list): as Flask builds it
        return url_for(endpoint, _external=True, **values)
    if shape is False:
        shape = _shape(endpoint, ints, values)
        with _lock:
            if len(cache) >= MAX_SHAPES:  # other values (a search's words) make shapes too
                cache.clear()
            cache[key] = shape
    if shape is None:
        return url_for(endpoint, _external=True, **values)
    pieces, order = shape
    out = [pieces[0]]
    for n, name in enumerate(order):
        out.append(str(values[name]))
        out.append(pieces[n + 1])
    return "".join(out)


def _shapes() -> dict:
    """The shapes of this app and this request's URL root, found once per request."""
    found = g.get("_url_shapes")
    if found is None:
        kept = current_app.extensions.setdefault("url_shapes", {})
        root = _root()
        with _lock:
            found = kept.get(root)
            if found is None:
                if len(kept) >= MAX_ROOTS:
                    kept.clear()
                found = kept[root] = {}
        g._url_shapes = found
    return found


def _root() -> tuple:
    """What an absolute URL starts with, besides the app: the request's scheme,
    host and script root, or outside a request the app's configured ones."""
    if has_request_context():
        return request.scheme, request.host, request.script_root
    config = current_app.config
    return (config["PREFERRED_URL_SCHEME"], config["SERVER_NAME"],
            config["APPLICATION_ROOT"])


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
