"""``core.urls.external_url``: the same absolute URLs as ``url_for``, built once per shape."""
from __future__ import annotations

import pytest
from flask import url_for

from archive.core import urls
from archive.core.urls import external_url

CASES = [
    ("entries.detail", {"entry_id": 7}),
    ("entries.detail", {"entry_id": 123456}),
    ("entries.detail", {"entry_id": 0}),
    ("entries.thumbnail", {"entry_id": 42, "size": "small"}),
    ("entries.thumbnail", {"entry_id": 42, "size": "large"}),
    ("entries.thumbnail", {"entry_id": 9, "size": "small", "page": 3}),  # an integer in the query
    ("entries.thumbnail", {"page": 4, "entry_id": 8, "size": "small"}),  # named out of order
    ("main.topic", {"slug": "sungai"}),  # no integers: the URL itself
    ("main.camat", {"camat_id": 5}),
    ("main.score_record", {"record_id": 11}),
    ("api.search", {"page": 2, "per_page": 20, "q": "taman & trotoar", "sort": "relevance",
                    "year": 2018}),
    ("api.search", {"page": 3, "per_page": 20, "q": "pohon", "sort": "relevance", "year": 2018}),
    ("api.search", {"page": 1, "per_page": 20, "q": None, "sort": "newest"}),  # None is left out
    ("api.search", {"page": 1, "per_page": 20, "q": "x", "tags": ["a", "b"]}),  # not hashable
    ("api.search", {"page": 1, "per_page": 20, "q": "x", "gps": True}),  # a bool is not an int
    ("api.search", {"page": -1, "per_page": 20, "q": "x"}),  # negative numbers
    ("entries.detail", {"entry_id": -5}),
]


@pytest.mark.parametrize("host", ["localhost", "arsip.bandung.go.id:8443"])
def test_every_url_is_what_url_for_gives(app, host):
    with app.test_request_context(base_url=f"https://{host}/"):
        for _ in range(2):  # building the shape, then filling it in
            for endpoint, values in CASES:
                assert external_url(endpoint, **values) == url_for(endpoint, _external=True, **values)


def test_flask_builds_each_shape_once_per_url_root(app, monkeypatch):
    calls = []
    real = urls.url_for

    def counting(endpoint, **values):
        calls.append(endpoint)
        return real(endpoint, **values)

    monkeypatch.setattr(urls, "url_for", counting)
    with app.test_request_context(base_url="http://a.example/"):
        first = [external_url("entries.detail", entry_id=n) for n in range(1, 50)]
        assert calls == ["entries.detail"]
        assert first[41] == "http://a.example" + real("entries.detail", entry_id=42)
    # the next request (another host) builds its own
    with app.test_request_context(base_url="http://b.example/"):
        assert external_url("entries.detail", entry_id=3).startswith("http://b.example/")
    assert calls == ["entries.detail", "entries.detail"]
    # a later request on a host seen before uses the shape kept, another scheme or
    # script root does not
    with app.test_request_context(base_url="http://a.example/"):
        assert external_url("entries.detail", entry_id=5) == "http://a.example/entri/5"
    assert len(calls) == 2
    for base in ("https://a.example/", "http://a.example/arsip/"):
        with app.test_request_context(base_url=base):
            assert external_url("entries.detail", entry_id=5) == base + "entri/5"
    assert len(calls) == 4
    app.config.update(SERVER_NAME="arsip.example", PREFERRED_URL_SCHEME="https")
    with app.app_context():  # outside a request: the configured server name
        assert external_url("entries.detail", entry_id=6) == "https://arsip.example/entri/6"


def test_the_roots_and_shapes_kept_are_bounded(app, monkeypatch):
    monkeypatch.setattr(urls, "MAX_ROOTS", 3)
    monkeypatch.setattr(urls, "MAX_SHAPES", 5)
    for n in range(10):
        with app.test_request_context(base_url=f"http://host{n}.example/"):
            assert external_url("entries.detail", entry_id=n).startswith(f"http://host{n}.")
    assert 1 <= len(app.extensions["url_shapes"]) <= 3
    with app.test_request_context(base_url="http://a.example/"):
        for n in range(12):
            assert external_url("main.topic", slug=f"t{n}") == f"http://a.example/topik/t{n}"
        shapes = app.extensions["url_shapes"][("http", "a.example", "")]
        assert 1 <= len(shapes) <= 5

