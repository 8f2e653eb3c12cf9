"""Search results: visibility, facets, sorting, snippets, paper pages, suggestions, related, paging."""
from __future__ import annotations

from datetime import datetime

import pytest
from markupsafe import Markup

from archive.extensions import db
from archive.entries.visibility import Viewer
from archive.search import SearchParams, more_like_this, search_entries

from support.rows import camat_of, make_entry
from support.search import titles


def test_visitors_see_published_camat_their_drafts_admin_all(search_ctx):
    make_entry("Trotoar terbit", status="published")
    make_entry("Trotoar draf Cinambo", status="draft", camat="Cinambo")
    make_entry("Trotoar draf Coblong", status="draft", camat="Coblong")
    assert titles("trotoar") == ["Trotoar terbit"]
    mine = titles("trotoar", viewer=Viewer(camat_id=camat_of("Cinambo").id))
    assert sorted(mine) == ["Trotoar draf Cinambo", "Trotoar terbit"]
    assert len(titles("trotoar", viewer=Viewer(is_admin=True))) == 3


def test_publish_unpublish_and_delete_reach_the_index(search_ctx):
    entry = make_entry("Halte pintar", status="draft")
    assert titles("halte") == []
    entry.status = "published"
    db.session.commit()
    assert titles("halte") == ["Halte pintar"]
    entry.status = "draft"
    db.session.commit()
    assert titles("halte") == []
    entry.status = "published"
    db.session.commit()
    db.session.delete(entry)
    db.session.commit()
    assert titles("halte", viewer=Viewer(is_admin=True)) == []


def test_facets_follow_filters(search_ctx):
    make_entry("Sungai A", topic="rivers", camat="Cinambo", latitude=37.57, longitude=126.98)
    make_entry("Sungai B", topic="rivers", camat="Coblong")
    make_entry("Sungai C", topic="parks", camat="Coblong", kind="paper", pages=["sungai"])
    make_entry("Taman D", topic="parks", camat="Coblong")
    res = search_entries(SearchParams(q="sungai"))
    assert res.total == 3
    counts = {f.value: f.count for f in res.facets["topic"]}
    assert counts == {"rivers": 2, "parks": 1}
    assert {f.label: f.count for f in res.facets["kind"]} == {"Foto": 2, "Paper": 1}
    assert {f.value: f.count for f in res.facets["gps"]} == {"1": 1, "0": 2}
    coblong = camat_of("Coblong")
    res = search_entries(SearchParams(q="sungai", camat=coblong.id))
    assert res.total == 2
    assert {f.value: f.count for f in res.facets["topic"]} == {"rivers": 1, "parks": 1}
    assert [f.active for f in res.facets["camat"]] == [True]
    res = search_entries(SearchParams(q="sungai", camat=coblong.id, topic="rivers", kind="photo"))
    assert [h.entry.title for h in res.hits] == ["Sungai B"]
    assert {f.value: f.count for f in res.facets["kecamatan"]} == {str(coblong.kecamatan_id): 1}
    # A filter naming nothing gives no results rather than an error.
    assert search_entries(SearchParams(q="sungai", topic="no-such-topic")).total == 0


def test_facet_labels_follow_renames(search_ctx):
    # Labels are cached per index layout: a rename must still show at once.
    make_entry("Sungai A", topic="rivers", camat="Coblong")
    camat = camat_of("Coblong")
    res = search_entries(SearchParams(q="sungai"))
    assert [f.label for f in res.facets["camat"]] == [camat.name]
    camat.name = "Camat Baru Coblong"
    db.session.commit()
    res = search_entries(SearchParams(q="sungai"))
    assert [f.label for f in res.facets["camat"]] == ["Camat Baru Coblong"]


def test_browse_without_query_uses_filters_and_newest_first(search_ctx):
    make_entry("Pertama", topic="trees")
    make_entry("Kedua", topic="trees")
    make_entry("Ketiga", topic="rivers")
    assert titles(topic="trees")[:2] in (["Kedua", "Pertama"], ["Pertama", "Kedua"])
    assert len(titles()) == 3


def test_sorting(search_ctx):
    make_entry("Reklame lama", taken_at=datetime(2018, 7, 2), camat="Bojongloa Kaler")
    make_entry("Reklame baru", taken_at=datetime(2018, 7, 6), camat="Cinambo")
    make_entry("Reklame tanpa tanggal", camat="Lengkong")
    assert titles("reklame", sort="taken") == ["Reklame baru", "Reklame lama", "Reklame tanpa tanggal"]
    # Cinambo 93.56 > Lengkong 88.08 > Bojongloa Kaler 87.04
    assert titles("reklame", sort="score") == ["Reklame baru", "Reklame tanpa tanggal", "Reklame lama"]
    assert titles("reklame", sort="newest")[0] == "Reklame tanpa tanggal"


def test_relevance_prefers_title_matches(search_ctx):
    make_entry("Catatan perjalanan", "hari kedua kami melihat halte")
    make_entry("Halte bus", "desain")
    assert titles("halte")[0] == "Halte bus"


def test_snippets_highlight_and_escape(search_ctx):
    make_entry("Jembatan", "Di sini <script>alert(1)</script> ada sungainya yang bersih & jernih")
    hit = search_entries(SearchParams(q="sungai")).hits[0]
    assert isinstance(hit.snippet, Markup)
    assert "<mark>sungainya</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "&amp;" in hit.snippet


def test_the_snippet_shows_the_window_with_the_most_matched_words():
    """The window is the first of those holding the most matched words, as
    counting each window's words one by one finds it."""
    import random

    from archive.search.snippets import best_window, highlight_text

    rng = random.Random(5)
    for _ in range(300):
        spans, pos = [], 0
        for _word in range(rng.randint(1, 60)):
            pos += rng.choice((1, 2, 5, 30, 120))
            length = rng.randint(1, 12)
            spans.append((pos, pos + length))
            pos += length
        width = rng.choice((20, 60, 240))
        counts = [sum(1 for s, e in spans[i:] if e <= start + width)
                  for i, (start, _e) in enumerate(spans)]
        assert best_window(spans, width) == spans[counts.index(max(counts))][0]
    text = "kota " * 100 + "sungai bersih " * 2 + "kota " * 100 + "sungai " * 8 + "kota " * 50
    assert str(highlight_text(text, {"sungai"})).count("<mark>") == 8


def test_highlight_marks_every_form_of_a_term_once():
    from archive.search.snippets import highlight_text

    text = "Sungainya bersih. Café di tepi sungai, SUNGAI <b>Han</b> dan kali"
    out = str(highlight_text(text, {"sungai", "cafe"}))
    assert out.count("<mark>") == 4
    for word in ("Sungainya", "Café", "sungai", "SUNGAI"):
        assert f"<mark>{word}</mark>" in out
    assert "&lt;b&gt;Han&lt;/b&gt;" in out and "<mark>kali</mark>" not in out
    # a term matching both the folded word and its stem marks the word once
    assert str(highlight_text("Sungainya", {"sungainya", "sungai"})) == "<mark>Sungainya</mark>"
    assert highlight_text(text, {"taman"}) is None


def test_paper_hits_name_the_page(search_ctx):
    pages = ["Pendahuluan kunjungan"] + ["isi lain"] * 12 + ["Bab tentang naturalisasi kali di Seoul"]
    entry = make_entry("Makalah kunjungan", kind="paper", pages=pages)
    hit = search_entries(SearchParams(q="naturalisasi")).hits[0]
    assert hit.page_number == 14
    assert hit.page_url == f"/entri/{entry.id}/paper.pdf#page=14"
    assert "<mark>naturalisasi</mark>" in hit.snippet


def test_page_view_shows_page_link(search_ctx, client):
    pages = ["satu", "dua", "Penataan reklame di Gangnam"]
    entry = make_entry("Makalah reklame", kind="paper", pages=pages)
    html = client.get("/cari?q=gangnam").get_data(as_text=True)
    assert "halaman 3" in html
    assert f"/entri/{entry.id}/paper.pdf#page=3" in html


def test_did_you_mean(search_ctx):
    make_entry("Penataan reklame di Gangnam", "trotoar yang lebar")
    res = search_entries(SearchParams(q="trotoir"))
    assert res.total == 0
    assert res.suggestion == "trotoar"
    assert search_entries(SearchParams(q="trutoir")).suggestion == "trotoar"  # two edits
    assert search_entries(SearchParams(q="reklmae gangnam")).suggestion == "reklame gangnam"
    assert search_entries(SearchParams(q="trotoar")).suggestion is None


def test_question_falls_back_to_some_words(search_ctx):
    make_entry("Cheonggyecheon riverbank cleaning", "volunteers keep the river clean")
    res = search_entries(SearchParams(q="how does Seoul keep riverbanks clean?"))
    assert [h.entry.title for h in res.hits] == ["Cheonggyecheon riverbank cleaning"]
    assert res.relaxed


def test_query_syntax(search_ctx):
    make_entry("Taman atap", "taman inovatif di atas gedung", topic="parks")
    make_entry("Taman sungai", "taman di tepi sungai", topic="rivers")
    assert titles('"taman inovatif"') == ["Taman atap"]
    assert titles("taman -sungai") == ["Taman atap"]
    assert titles("topik:sungai") == ["Taman sungai"]
    assert titles("topic:rivers taman") == ["Taman sungai"]
    assert sorted(titles("inova*")) == ["Taman atap"]


def test_related_entries(search_ctx):
    base = make_entry("Naturalisasi sungai Cheonggyecheon", "sungai bersih dengan jalur pejalan kaki",
                      topic="rivers", tags=("naturalisasi",))
    make_entry("Sungai Cheonggyecheon malam hari", "lampu di tepi sungai", topic="rivers",
               tags=("naturalisasi",))
    make_entry("Draf sungai Cheonggyecheon", topic="rivers", status="draft")
    make_entry("Bangku kayu", "aksesoris perkotaan", topic="street-furniture")
    related = [e.title for e in more_like_this(base)]
    assert related == ["Sungai Cheonggyecheon malam hari"]


def test_deep_pagination(search_ctx):
    for i in range(45):
        make_entry(f"Pohon nomor {i}", commit=False)
    db.session.commit()
    res = search_entries(SearchParams(q="pohon", page=3, per_page=20))
    assert res.total == 45 and res.pages == 3 and len(res.hits) == 5
    seen = set()
    for page in (1, 2, 3):
        seen |= {h.entry.id for h in search_entries(SearchParams(q="pohon", page=page)).hits}
    assert len(seen) == 45


HOSTILE = [
    '"unbalanced', 'a"b"c"', "-", "--", "+", "AND", "OR OR", "NOT", "(", ")", "[1 TO 9]",
    "*", "*pohon", "?ohon", "p*", "a" * 5000, "🌳🌊", "\x01\x1b[31m\x7f\u200b", "topik:", ":", "::::",
    "judul:\"", "year:1..99999999", "tahun:[0 TO 9999999]", "%s%s%n", "\\", "'; DROP TABLE entry; --",
    "<script>alert(1)</script>", "pohon~2", "pohon^10", "{}", "名字 🤖 청계천", " ", "",
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_never_fail(search_ctx, client, q):
    make_entry("Pohon di taman")
    page = client.get("/cari", query_string={"q": q, "page": "x", "sort": "nope", "camat": "-1"})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.get_data(as_text=True)
    api = client.get("/api/v1/search", query_string={"q": q})
    assert api.status_code == 200
    assert isinstance(api.get_json()["hits"], list)


def test_nul_is_refused_clearly_and_harmless_below_the_page(search_ctx, client):
    # The app refuses NUL in any address with a 400 and a message (archive.errors);
    # the search function itself just drops it.
    make_entry("Pohon di taman")
    r = client.get("/api/v1/search", query_string={"q": "pohon\x00"})
    assert r.status_code == 400 and r.get_json()["message"]
    assert titles("pohon\x00") == ["Pohon di taman"]


def test_long_query_gets_a_notice(search_ctx):
    res = search_entries(SearchParams(q="pohon " * 1000))
    assert res.notices
    res = search_entries(SearchParams(q="*ohon"))
    assert any("*" in n for n in res.notices)


def test_search_page_facet_links_keep_other_filters(search_ctx, client):
    make_entry("Sungai A", topic="rivers", camat="Coblong")
    make_entry("Sungai B", topic="parks", camat="Coblong", kind="paper", pages=["x"])
    coblong = camat_of("Coblong").id
    html = client.get(f"/cari?q=sungai&camat={coblong}&sort=newest").get_data(as_text=True)
    assert f"/cari?q=sungai&amp;sort=newest&amp;camat={coblong}&amp;topic=rivers" in html
    # the active camat filter is removable
    assert "/cari?q=sungai&amp;sort=newest&amp;topic" not in html
    assert 'href="/cari?q=sungai&amp;sort=newest"' in html


def test_api_search_returns_hits_facets_and_pages(search_ctx, client):
    make_entry("Trotoar Myeongdong", topic="sidewalks")
    make_entry("Draf trotoar", status="draft")
    data = client.get("/api/v1/search?q=sidewalk").get_json()
    assert data["total"] == 1
    assert data["hits"][0]["title"] == "Trotoar Myeongdong"
    assert data["hits"][0]["author"]["score_record"]["rank"] == 1
    assert {f["value"]: f["count"] for f in data["facets"]["topic"]} == {"sidewalks": 1}
    assert data["pages"] == 1 and data["links"]["next"] is None
    assert "<mark>" in data["hits"][0]["search"]["snippet_html"]


def test_api_token_owner_sees_own_drafts(search_ctx, client):
    from archive.models import ApiToken, User
    from sqlalchemy import select

    make_entry("Draf trotoar", status="draft", camat="Cinambo")
    user = db.session.scalar(select(User).where(User.username == "cinambo"))
    row, token = ApiToken.issue(user)
    db.session.add(row)
    db.session.commit()
    assert client.get("/api/v1/search?q=trotoar").get_json()["total"] == 0
    data = client.get("/api/v1/search?q=trotoar", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert data["total"] == 1


def test_numpy_evaluation_matches_whoosh(search_ctx):
    """The set-based evaluator finds exactly what Whoosh's own matchers find, deletions included."""
    from archive.search import facets
    from archive.search.index import current_searcher
    from archive.search.matching import Evaluator
    from archive.search.query import build, parse
    from archive.search.synonyms import load_groups

    made = [make_entry(f"Taman {i}", "sungai bersih" if i % 2 else "trotoar lebar dan taman",
                       commit=False) for i in range(12)]
    db.session.commit()
    db.session.delete(made[3])
    made[4].description = "tidak ada lagi"
    db.session.commit()
    searcher = current_searcher(search_ctx.config["INDEX_DIR"])
    values = facets.doc_values(searcher)
    for text in ("taman", "sungai", "taman -sungai", '"trotoar lebar"', "river", "taman sungai"):
        q, _ = build(parse(text), searcher, load_groups())
        ours = Evaluator(searcher, values).evaluate(q)
        assert sorted(ours.ids.tolist()) == sorted(q.docs(searcher)), text
        assert (ours.scores > 0).all()
