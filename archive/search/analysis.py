"""The text analyzer shared by indexing, querying and highlighting.

One analyzer for mixed Indonesian and English text, so an author never picks
a language: Unicode word tokens (Hangul, CJK and Latin with diacritics kept as
words), lower case, accents folded, then one stem per word. The stem is the
Indonesian one (Sastrawi) when Sastrawi recognises the word as an inflected
Indonesian form, otherwise the English (Porter) stem. Emitting exactly one
token per word keeps positions intact, so phrase queries still work.
"""
from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import (
    Analyzer, CharsetFilter, Filter, LowercaseFilter, RegexTokenizer,
)
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

#: a run of letters/digits; an apostrophe inside a word (don't) stays inside it
WORD_PATTERN = re.compile(r"\w+(?:'\w+)*", re.UNICODE)

_LATIN_WORD = re.compile(r"^[a-z]+$")
#: the shapes of affixed Indonesian words (prefixes me-/pe-/be-/te-/di-/ke-/se-,
#: suffixes -an/-kan/-i/-nya/-lah/-kah/-pun/-ku/-mu); only these go to
#: Sastrawi, whose search through prefix rules costs ~0.4 ms for a word it
#: does not know (names, English words) against ~0.01 ms for this test.
_INDONESIAN_AFFIXED = re.compile(
    r"^(?:me|pe|be|te|di|ke|se)|(?:an|i|nya|lah|kah|pun|ku|mu)$"
)


@lru_cache(maxsize=1)
def _sastrawi():
    # Building the stemmer loads Sastrawi's dictionary (~0.3 s): do it once.
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


def _is_root(word: str) -> bool:
    """True when Sastrawi's dictionary knows ``word`` as a root (it would return it unchanged)."""
    return _sastrawi().delegatedStemmer.dictionary.contains(word)


@lru_cache(maxsize=500_000)
def stem_word(word: str) -> str:
    """The one stem of a lower-cased, accent-folded word (cached: Sastrawi is slow)."""
    if len(word) < 4 or not _LATIN_WORD.match(word):
        # Numbers, short words and other scripts (청계천) are kept as written.
        return word
    if not _INDONESIAN_AFFIXED.search(word) or _is_root(word):
        return porter_stem(word)
    indonesian = _sastrawi().stem(word)
    if indonesian and indonesian != word:
        return indonesian
    return porter_stem(word)


class BilingualStemFilter(Filter):
    """Replace each token's text with its Indonesian-or-English stem."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = stem_word(t.text)
            yield t



def word_analyzer() -> Analyzer:
    """Lower-cased, accent-folded words without stemming: for spelling and prefixes."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)


def text_analyzer() -> Analyzer:
    """The full analyzer for every searchable text field."""
    return word_analyzer() | BilingualStemFilter()


_TEXT = text_analyzer()
_WORDS = word_analyzer()


def stems(text: str) -> list[str]:
    """The analyzed terms of ``text``, in order (what the index holds)."""
    return [t.text for t in _TEXT(text)]


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded words of ``text``, unstemmed."""
    return [t.text for t in _WORDS(text)]
