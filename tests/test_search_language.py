"""Language behaviour of search: Indonesian and English stemming, synonyms, scripts, case, accents."""
from __future__ import annotations

import pytest

from archive.extensions import db
from archive.search.models import SearchSynonym

from support.rows import make_entry
from support.search import titles


@pytest.mark.parametrize("query, text", [
    ("pohon", "Pepohonan rindang di sepanjang jalan"),
    ("tata", "Penataan kabel udara di Jongno"),
    ("taman", "Taman-taman kecil di sudut kota"),
    ("sungai", "Sungainya bersih dan jernih"),
    ("sidewalks", "A wide sidewalk near City Hall"),
    ("sidewalk", "Sidewalks paved with permeable blocks"),
    ("penataan", "Tata letak halte yang rapi"),
])
def test_stemming_finds_inflected_forms(search_ctx, query, text):
    make_entry(text)
    make_entry("Sesuatu yang lain sama sekali")
    assert titles(query) == [text]


def test_indonesian_and_english_on_the_same_entry(search_ctx):
    make_entry("Pepohonan and sidewalks", "penataan reklame along the rivers")
    for q in ("pohon", "sidewalk", "tata", "river", "reklame"):
        assert titles(q) == ["Pepohonan and sidewalks"], q


def test_korean_and_diacritics_are_findable(search_ctx):
    make_entry("Sungai 청계천 di pusat Seoul", place_name="청계천 (Cheonggyecheon)")
    make_entry("Kafe di Café Ñandú", "Tempat duduk di Insadong")
    assert titles("청계천") == ["Sungai 청계천 di pusat Seoul"]
    assert titles("cafe nandu") == ["Kafe di Café Ñandú"]
    assert titles("CAFÉ") == ["Kafe di Café Ñandú"]


def test_case_insensitive(search_ctx):
    make_entry("Halte Bus Pintar")
    assert titles("HALTE") == titles("halte") == titles("HaLtE") == ["Halte Bus Pintar"]


@pytest.mark.parametrize("query, text", [
    ("sidewalk", "Trotoar ramah difabel"),
    ("sidewalk", "Jalur pejalan kaki yang lebar"),
    ("trotoar", "Sidewalk with tactile paving"),
    ("river", "Kali yang dinaturalisasi"),
    ("river", "Sungai bersih"),
    ("sungai", "River restoration at Cheonggyecheon"),
    ("kali", "River walk"),
    ("billboard", "Penataan reklame di Gangnam"),
    ("signage", "Papan informasi dua bahasa"),
    ("reklame", "Billboard rules in Seoul"),
    ("park", "Taman atap gedung"),
    ("taman", "Pocket park"),
    ("street furniture", "Aksesoris perkotaan yang kokoh"),
    ("street furniture", "Bangku di tepi jalan"),
    ("street furniture", "Halte dengan layar informasi"),
    ("aksesoris perkotaan", "Street furniture catalogue"),
    ("tree", "Perlakuan pohon tua"),
    ("pohon", "Tree guards on Sejong-daero"),
])
def test_bilingual_synonyms_both_ways(search_ctx, query, text):
    make_entry(text)
    make_entry("Kunjungan ke balai kota")
    assert titles(query) == [text]


def test_admin_added_synonym_group_applies(search_ctx):
    make_entry("Tempat sampah terpilah")
    assert titles("bin") == []
    db.session.add(SearchSynonym(terms="bin, tempat sampah, trash can"))
    db.session.commit()
    assert titles("bin") == ["Tempat sampah terpilah"]
    assert titles("trash can") == ["Tempat sampah terpilah"]


def test_analyzer_stems():
    from archive.search.analysis import stems

    assert stems("pepohonan penataan sungainya taman-taman sidewalks") == [
        "pohon", "tata", "sungai", "taman", "taman", "sidewalk"]
    assert stems("청계천 Ñandú") == ["청계천", "nandu"]


def _sastrawi_words() -> list[str]:
    """Root words with the affixes Sastrawi's rules strip, and words it must leave."""
    roots = ["jalan", "tanam", "pohon", "sapu", "rawat", "bangun", "kelola", "tata", "ajar",
             "lihat", "kembang", "pantau", "bersih", "terang", "sebar", "tiru", "ukur", "rapi",
             "ubah", "nilai", "atur", "olah", "cipta", "guna", "hijau", "sampah", "lebar"]
    affixes = [("", ""), ("me", ""), ("mem", "kan"), ("men", "i"), ("meng", "an"), ("pe", "an"),
               ("pem", "an"), ("pen", "an"), ("peng", "an"), ("ber", ""), ("be", "an"),
               ("ter", ""), ("di", "kan"), ("di", "i"), ("ke", "an"), ("se", "nya"),
               ("per", "an"), ("", "lah"), ("", "kah"), ("", "pun"), ("", "ku"), ("", "mu"),
               ("memper", "kan"), ("diper", "i")]
    others = ["pejalan", "trotoar", "pepohonan", "penyeberangan", "kebahagiaan", "reklame",
              "sidewalks", "planters", "kariteng", "simoraba", "menyapu", "memukul", "penyanyi"]
    return [p + r + s for r in roots for p, s in affixes] + others


def test_sastrawi_with_compiled_patterns_stems_as_with_re():
    """``CompiledPatterns`` only makes Sastrawi faster: every stem is the one it gives with ``re``."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from archive.search import analysis

    analysis._sastrawi()  # installs the compiled patterns
    words = _sastrawi_words()
    fast = [StemmerFactory().create_stemmer().stem(w) for w in words]
    try:
        analysis.use_compiled_patterns(False)
        plain = [StemmerFactory().create_stemmer().stem(w) for w in words]
    finally:
        analysis.use_compiled_patterns(True)
    assert fast == plain
    assert sum(f != w for f, w in zip(fast, words)) > len(words) // 2  # most were stemmed


def test_compiled_patterns_answer_like_re():
    import re

    from archive.search.analysis import CompiledPatterns

    patterns = CompiledPatterns()
    for pattern, word in [(r"^ber([aiueo].*)$", "berani"), (r"^ber([aiueo].*)$", "tanam"),
                          (r"^(di|ke|se)", "dijual")]:
        ours, theirs = patterns.match(pattern, word), re.match(pattern, word)
        assert (ours and ours.groups()) == (theirs and theirs.groups())
    # a literal removed once, as re.sub(word, '', ...) does; patterns that are not literals
    assert patterns.sub("jalan", "", "jalanjalan", count=1) == "jalan"
    assert patterns.sub(r"-*(ku|mu|nya)$", "", "rumahnya", count=1) == "rumah"
    assert patterns.sub("a.b", "", "axbacb") == re.sub("a.b", "", "axbacb")


#: mixed text with the cases a fused analysis could get wrong: accents and
#: ligatures, Hangul, capitals that lower-case to two characters, apostrophes,
#: digits, underscores, repeated words (positions and frequencies)
MIXED_TEXTS = [
    "Trotoar lebar di Cheonggyecheon 청계천 — ÉCOLE naïve Straße İstanbul don't 2018 pejalan_kaki",
    "sungai sungai kali SUNGAI-nya pembangunannya, penataan reklame; river's rivers",
    "ﬁne Ǆemal ǅ ŉ Ångström São Paulo Ñandú Ελληνικά Кириллица 東京 Ｆｕｌｌ",
    "", "   ", "...", "a", "pepohonan penataan sungainya taman-taman sidewalks " * 3,
]


def test_one_pass_analysis_gives_the_analyzer_chains_terms():
    from archive.search.analysis import stems, text_analyzer, word_analyzer, words

    for text in MIXED_TEXTS:
        assert stems(text) == [t.text for t in text_analyzer()(text)], text
        assert words(text) == [t.text for t in word_analyzer()(text)], text
    assert stems(MIXED_TEXTS[0])[:3] == ["trotoar", "lebar", "di"]


def test_analysis_caches_give_the_same_terms_and_stay_bounded(monkeypatch):
    """``stems`` and ``words`` look tokens up in caches kept by the token as
    written; a hit must give what the analyzer gives, and a full cache is emptied."""
    from archive.search import analysis

    monkeypatch.setattr(analysis, "_CACHE_LIMIT", 5)
    monkeypatch.setattr(analysis, "_STEMMED", {})
    monkeypatch.setattr(analysis, "_FOLDED", {})
    longest = max(len(analysis.WORD_PATTERN.findall(text)) for text in MIXED_TEXTS)
    for _round in range(2):
        for text in MIXED_TEXTS:
            assert analysis.stems(text) == [t.text for t in analysis.text_analyzer()(text)]
            assert analysis.words(text) == [t.text for t in analysis.word_analyzer()(text)]
            # emptied before a text's new tokens go in once it holds more than 5
            assert len(analysis._STEMMED) <= 5 + longest
            assert len(analysis._FOLDED) <= 5 + longest
    analysis._STEMMED["Sungai"] = "wrong"  # the cache is what answers a known token
    assert analysis.stems("Sungai") == ["wrong"]


def test_bilingual_text_fields_post_what_whoosh_would():
    """``BilingualText.index`` (one pass) gives Whoosh's own TEXT postings: terms,
    frequencies, weights with the field boost, and encoded positions."""
    from whoosh.fields import TEXT

    from archive.search.schema import BilingualText, build_schema

    schema = build_schema()
    fields = [name for name in schema.names() if isinstance(schema[name], BilingualText)]
    assert {"title", "body", "content", "words"} <= set(fields)
    for name in fields:
        field = schema[name]
        for text in MIXED_TEXTS:
            assert sorted(field.index(text)) == sorted(TEXT.index(field, text)), (name, text)
    title = dict((t, (f, w)) for t, f, w, _ in schema["title"].index("sungai Sungai kali"))
    assert title[b"sungai"] == (2, 6.0)  # the title's boost of 3
