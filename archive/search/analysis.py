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
import sys
from functools import lru_cache

from whoosh.analysis import (
    Analyzer, CharsetFilter, Filter, LowercaseFilter, RegexTokenizer,
)
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

#: a run of letters/digits; an apostrophe inside a word (don't) stays inside it
WORD_PATTERN = re.compile(r"\w+(?:'\w+)*", re.UNICODE)
_findall = WORD_PATTERN.findall

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

    stemmer = StemmerFactory().create_stemmer()
    use_compiled_patterns(True)
    return stemmer


class CompiledPatterns:
    """Stands in for ``re`` in Sastrawi's modules, with the same results.

    Sastrawi's prefix rules call ``re.match`` with pattern strings, dozens of
    times for each word it stems, and ``re``'s own cache lookup cost more than
    the matching (a profile of indexing 2,000 generated entries: 2.1 million
    calls, 2.6 s of Sastrawi's 6.6 s). Here each pattern is compiled once and
    found in a plain dict. Its visitors also remove the part they stripped
    with ``re.sub(word, '', current, count=1)``, a new pattern per word: a
    plain word is a literal, so ``str.replace`` does it without compiling.
    """

    _LITERAL = re.compile(r"[A-Za-z0-9]+")
    #: Sastrawi's own patterns are fewer than 200; others go to ``re`` as they are
    MAX_PATTERNS = 1024

    def __init__(self) -> None:
        self._compiled: dict[str, re.Pattern] = {}

    def _pattern(self, pattern: str) -> re.Pattern | None:
        compiled = self._compiled.get(pattern)
        if compiled is None and len(self._compiled) < self.MAX_PATTERNS:
            compiled = self._compiled[pattern] = re.compile(pattern)
        return compiled

    def match(self, pattern, string, flags=0):
        compiled = None if flags or not isinstance(pattern, str) else self._pattern(pattern)
        return compiled.match(string) if compiled else re.match(pattern, string, flags)

    def sub(self, pattern, repl, string, count=0, flags=0):
        if (not flags and isinstance(pattern, str) and isinstance(repl, str)
                and "\\" not in repl and self._LITERAL.fullmatch(pattern)):
            return string.replace(pattern, repl, count or -1)
        return re.sub(pattern, repl, string, count=count, flags=flags)

    def __getattr__(self, name):
        return getattr(re, name)


def use_compiled_patterns(enabled: bool) -> None:
    """Give Sastrawi's modules ``CompiledPatterns`` (or ``re`` back) as their ``re``."""
    patterns = CompiledPatterns() if enabled else re
    for name, module in list(sys.modules.items()):
        if name.startswith("Sastrawi.") and isinstance(
                getattr(module, "re", None), (type(re), CompiledPatterns)):
            module.re = patterns


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


def fold(word: str) -> str:
    """What ``LowercaseFilter`` and ``CharsetFilter(accent_map)`` make of a token."""
    word = word.lower()
    # accent_map leaves lower-case ASCII as it is: translate only the rest
    return word if word.isascii() else word.translate(accent_map)


#: what a token as written becomes (``fold``, and ``stem_word`` after it):
#: indexing looks every token up here in one C-level ``map`` instead of two
#: Python calls per token (a third of analysing a generated document).
#: Emptied when full, as a crude bound on memory (~12 MB each when full; a
#: serving worker indexes every upload's text through here too); the common
#: words are back after a few documents.
_FOLDED: dict[str, str] = {}
_STEMMED: dict[str, str] = {}
_CACHE_LIMIT = 100_000


def _mapped(tokens: list[str], cache: dict[str, str], convert) -> list[str]:
    found = list(map(cache.get, tokens))
    if None in found:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        for i, value in enumerate(found):
            if value is None:
                token = tokens[i]
                found[i] = cache[token] = convert(token)
    return found


def _fold_and_stem(token: str) -> str:
    return stem_word(fold(token))


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded words of ``text``, unstemmed (``word_analyzer``'s tokens)."""
    return _mapped(_findall(text), _FOLDED, fold)


def stems(text: str) -> list[str]:
    """The analyzed terms of ``text``, in order: what the index holds.

    The same terms as ``text_analyzer()`` yields, in one pass instead of a
    chain of four generators; indexing goes through here too (``schema``).
    """
    return _mapped(_findall(text), _STEMMED, _fold_and_stem)
