"""Cheap, explainable measurements of one line of text, shared by the rules.

Several rules ask the same question of the same line, so the measurements that cost more
than a split are memoised (a bounded cache: the lines of the documents in flight).
"""

from __future__ import annotations

import re
from functools import lru_cache

_CACHE = 4096

_WORD = re.compile(r"\w+")
# Closing punctuation (Latin and CJK), possibly followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…:;。！？][\"'”’»」』)\]]*$|[\"”’»」』]$")
# Characters of scripts written without spaces between words (Han, kana, Thai…): two of
# them count as one word, so that length means the same in every language.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_count(text: str) -> int:
    # Splitting on spaces is close enough for length tests and far cheaper than a regex.
    return len(text.split())


def word_units(text: str) -> int:
    """Words, counting two characters of a script written without spaces as one word."""
    words = len(text.split())
    if not text.isascii():
        unspaced = len(_UNSPACED.findall(text))
        if unspaced:
            words += unspaced // 2
    return words


def ends_sentence(text: str) -> bool:
    """True when the line ends like prose: a full stop, question or exclamation mark…"""
    return _SENTENCE_END.search(text[-8:]) is not None


#: A line this long is prose whatever its punctuation (goose3 glues paragraphs together).
LONG_LINE_WORDS = 25
#: A sentence shorter than this is too short to count as prose on its own.
MIN_PROSE_WORDS = 6


_CLAUSE_PUNCTUATION = re.compile(r"[.,;:!?。，、]")


@lru_cache(maxsize=_CACHE)
def is_prose(text: str) -> bool:
    """A paragraph of running text: several words ending like a sentence, or a long line
    with punctuation inside (a tag cloud or a menu flattened into one line has none).
    Words as ``word_units`` counts them: a Japanese or Chinese sentence is prose too."""
    count = word_units(text)
    if count >= LONG_LINE_WORDS:
        return _CLAUSE_PUNCTUATION.search(text) is not None
    return count >= MIN_PROSE_WORDS and ends_sentence(text)


@lru_cache(maxsize=_CACHE)
def capitalised_ratio(text: str) -> float:
    """Share of words starting with a capital: high for menus, names and headlines."""
    tokens = [token for token in words(text) if not token.isdigit()]
    if not tokens:
        return 0.0
    return sum(token[0].isupper() for token in tokens) / len(tokens)


_GALLERY_COUNTER = re.compile(r"(\d{1,4}) ?/ ?(\d{1,4})\s+(\S.*)")


def gallery_counter(text: str) -> tuple[int, int, str] | None:
    """(k, N, caption) of a numbered gallery caption "k/N caption", k between 1 and N."""
    match = _GALLERY_COUNTER.fullmatch(text)
    if not match:
        return None
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= index <= count:
        return None
    return index, count, match.group(3)
