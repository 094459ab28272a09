"""Measurements of every line of a document, for the boilerplate scorer.

One pass computes each line's own measurements (its length, punctuation, case, digits,
links, block kind…); a second reads them back for the line's context (its neighbours, the
run of short lines it stands in, where the document's prose begins and ends, the densest
stretch of prose) and for the document as a whole. Nothing here depends on a language:
prose is told by sentence punctuation of any script and by the share of a line's words
that are the document's own most frequent words (its function words, whatever the
language), never by an English stop list.

``FEATURES`` names the columns; the scorer's model and the training script
(``scripts/train_boilerplate.py``) both use this module, so they can never disagree.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from ..model import RemovalKind
from .base import Role, Scan

_WORD = re.compile(r"\w+")
# Sentence punctuation of Latin, CJK, Devanagari, Arabic and other scripts, possibly
# followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…。！？।؟][\"'”’»」』)\]]*$")
_CLAUSE = re.compile(r"[.,;:!?。，、；：！？،]")
_URL = re.compile(r"https?://|www\.\w|\b[\w.+-]+@[\w-]+\.\w")
_SEPARATORS = re.compile(r"\s[|•·»›/]\s|^\||\|$")
# Characters of scripts written without spaces between words (Han, kana, Thai…): two of
# them count as one word, so that length means the same in every language.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DIGIT = re.compile(r"\d")

#: The document's most frequent words: its function words, in any language.
_FREQUENT_WORDS = 24
#: Prose: at least this many words ending like a sentence, or this many with clauses.
_MIN_SENTENCE_WORDS = 6
_LONG_LINE_WORDS = 25
_WINDOW = 4


def word_units(text: str) -> int:
    """Words, counting two characters of a script written without spaces as one word."""
    words = len(text.split())
    if not text.isascii():
        unspaced = len(_UNSPACED.findall(text))
        if unspaced:
            words += unspaced // 2
    return words


def ends_sentence(text: str) -> bool:
    return _SENTENCE_END.search(text[-8:]) is not None


def is_prose(text: str, words: int | None = None) -> bool:
    """Running text: a sentence of several words, or a long line with clauses inside."""
    words = word_units(text) if words is None else words
    if words >= _LONG_LINE_WORDS:
        return _CLAUSE.search(text) is not None
    return words >= _MIN_SENTENCE_WORDS and ends_sentence(text)


_OWN = (
    "log_words", "log_chars", "sentence_end", "colon_end", "clauses_per_word", "capitalised",
    "upper_case", "digits", "url", "separators", "heading", "list_item", "quote", "code", "table",
    "link_share", "prose", "frequent_words", "repeated", "starts_with_digit",
)  # fmt: skip
_NEIGHBOUR = ("prose", "log_words", "capitalised", "sentence_end", "removed")
_CONTEXT = (
    "window_prose", "window_removed", "window_links", "before_prose", "after_prose", "log_distance",
    "position", "log_run", "run_alike", "introduced", "in_densest", "log_densest_distance", "title_like",
)  # fmt: skip
_DOCUMENT = ("doc_prose", "doc_short", "doc_log_lines", "doc_links", "doc_removed", "doc_densest_share")

FEATURES: tuple[str, ...] = (
    _OWN
    + tuple(f"{where}_{name}" for where in ("previous2", "previous", "next", "next2") for name in _NEIGHBOUR)
    + _CONTEXT
    + _DOCUMENT
)

_BLOCK_KINDS = {"heading": 10, "bullet": 11, "ordered": 11, "quote": 12, "code": 13, "table": 14}


def _own(text: str, markup, marks) -> list[float]:
    words = word_units(text)
    tokens = _WORD.findall(text)
    alphabetic = [token for token in tokens if not token.isdigit()]
    capitalised = sum(token[0].isupper() for token in alphabetic) / len(alphabetic) if alphabetic else 0.0
    letters = any(character.isalpha() for character in text)
    row = [
        math.log1p(words),
        math.log1p(len(text)),
        1.0 if ends_sentence(text) else 0.0,
        1.0 if text.endswith((":", "：")) else 0.0,
        len(_CLAUSE.findall(text)) / max(words, 1),
        capitalised,
        1.0 if letters and text.upper() == text and text.lower() != text else 0.0,
        len(_DIGIT.findall(text)) / len(text),
        1.0 if _URL.search(text) else 0.0,
        float(min(len(_SEPARATORS.findall(text)), 10)),
        0.0, 0.0, 0.0, 0.0, 0.0,
        _link_share(text, marks),
        1.0 if is_prose(text, words) else 0.0,
        0.0,  # frequent_words: filled once the document's vocabulary is known
        0.0,  # repeated
        1.0 if text[:1].isdigit() else 0.0,
    ]
    if markup is not None and markup.kind in _BLOCK_KINDS:
        row[_BLOCK_KINDS[markup.kind]] = 1.0
    if text.startswith("|") and text.endswith("|"):
        row[14] = 1.0  # a table row written out as text
    return row


def _link_share(text: str, marks) -> float:
    """The share of the line's characters inside a link (Markdown and HTML readers)."""
    if not marks or not text:
        return 0.0
    covered = sum(mark.end - mark.start for mark in marks if mark.kind == "link")
    return min(1.0, covered / len(text))




def measure(scan: Scan) -> dict[int, list[float]]:
    """A row of ``FEATURES`` for every undecided non-blank line (by index)."""
    content = scan.content()
    if not content:
        return {}
    marks = scan.marks
    own = [_own(scan.lines[i], scan.markup[i], marks[i] if marks else None) for i in content]
    removed = [1.0 if (decision := scan.decisions[i]) is not None and decision.role is Role.REMOVED and decision.kind is not RemovalKind.BLANK else 0.0 for i in content]
    count = len(content)
    # The document's own frequent words stand in for a stop list, whatever the language.
    lowered = [[token.lower() for token in _WORD.findall(scan.lines[i])] for i in content]
    frequent = {word for word, _ in Counter(word for tokens in lowered for word in tokens).most_common(_FREQUENT_WORDS)}
    seen = Counter(scan.lines[i] for i in content)
    for row, tokens, i in zip(own, lowered, content):
        row[17] = sum(token in frequent for token in tokens) / len(tokens) if tokens else 0.0
        row[18] = 1.0 if seen[scan.lines[i]] > 1 else 0.0
    prose = [row[16] == 1.0 and scan.decisions[i] is None for row, i in zip(own, content)]
    prose_positions = [position for position, flag in enumerate(prose) if flag]
    first_prose = prose_positions[0] if prose_positions else count
    last_prose = prose_positions[-1] if prose_positions else -1
    runs, alike = _runs(own, prose)
    introduced = _introduced(own, prose)
    densest = _densest(own, removed)
    title = _title_like(scan, content)
    prose_words = [math.expm1(own[position][0]) for position in prose_positions]
    densest_words = sum(words for position, words in zip(prose_positions, prose_words) if densest[0] <= position <= densest[1])
    document = [
        len(prose_positions) / count,
        sum(row[0] < math.log1p(5) for row in own) / count,
        math.log1p(count),
        sum(row[15] for row in own) / count,
        sum(removed) / count,
        densest_words / sum(prose_words) if prose_words else 0.0,
    ]
    rows: dict[int, list[float]] = {}
    blank = [0.0] * len(_NEIGHBOUR)
    for position, i in enumerate(content):
        if scan.decisions[i] is not None:
            continue
        row = list(own[position])
        for offset in (-2, -1, 1, 2):
            other = position + offset
            if 0 <= other < count:
                neighbour = own[other]
                row += [1.0 if prose[other] else 0.0, neighbour[0], neighbour[5], neighbour[2], removed[other]]
            else:
                row += blank
        low, high = max(0, position - _WINDOW), min(count, position + _WINDOW + 1)
        others = [other for other in range(low, high) if other != position]
        span = len(others) or 1
        if position < first_prose:
            distance = first_prose - position
        elif position > last_prose:
            distance = position - last_prose
        else:
            distance = 0
        row += [
            sum(prose[other] for other in others) / span,
            sum(removed[other] for other in others) / span,
            sum(own[other][15] for other in others) / span,
            1.0 if position < first_prose else 0.0,
            1.0 if position > last_prose else 0.0,
            math.log1p(distance),
            position / max(count - 1, 1),
            math.log1p(runs[position]),
            alike[position],
            introduced[position],
            1.0 if densest[0] <= position <= densest[1] else 0.0,
            math.log1p(max(densest[0] - position, position - densest[1], 0)),
            1.0 if i in title else 0.0,
        ]
        rows[i] = row + document
    return rows


def _runs(own: Sequence[list[float]], prose: Sequence[bool]) -> tuple[list[int], list[float]]:
    """For each line, the length of the run of non-prose lines it stands in (0 for prose)
    and the share of that run's lines that have its own shape."""
    count = len(own)
    runs = [0] * count
    alike = [0.0] * count
    start = 0
    while start < count:
        if prose[start]:
            start += 1
            continue
        end = start
        while end < count and not prose[end]:
            end += 1
        shapes = [_shape_of(own[position]) for position in range(start, end)]
        tally = Counter(shapes)
        for position in range(start, end):
            runs[position] = end - start
            alike[position] = tally[shapes[position - start]] / (end - start)
        start = end
    return runs, alike


def _shape_of(row: list[float]) -> tuple:
    return (row[19], row[5] > 0.5, row[2], min(int(math.expm1(row[0])), 12) // 4)


def _introduced(own: Sequence[list[float]], prose: Sequence[bool]) -> list[float]:
    """1 for the lines of a run of non-prose lines that a line ending in a colon (or a
    heading) introduces: "The tour dates:" and the dates that follow are the article's."""
    flags = [0.0] * len(own)
    introducing = False
    for position, row in enumerate(own):
        if prose[position]:
            introducing = row[3] == 1.0
            continue
        if introducing:
            flags[position] = 1.0
        if row[3] == 1.0 or row[10] == 1.0:
            introducing = True
    return flags


def _densest(own: Sequence[list[float]], removed: Sequence[float]) -> tuple[int, int]:
    """The densest stretch of prose (Kadane's maximum-sum run): prose scores its words,
    anything else costs a little, removed debris more."""
    best, span = float("-inf"), (0, -1)
    total, start = 0.0, 0
    for position, row in enumerate(own):
        if removed[position]:
            score = -3.0
        elif row[16]:
            score = min(math.expm1(row[0]), 80.0)
        else:
            score = -0.5
        if total <= 0:
            total, start = score, position
        else:
            total += score
        if total > best:
            best, span = total, (start, position)
    return span


_TITLE_SEPARATORS = re.compile(r"\s+[-|–—•:]\s+")


def _title_like(scan: Scan, content: Sequence[int]) -> set[int]:
    """Lines repeating the head of the first line (a page dump opens with the page's
    <title>, "Headline - Site", and the headline comes again where the article starts)."""
    if len(content) < 3:
        return set()
    first = scan.lines[content[0]]
    head = _TITLE_SEPARATORS.split(first)[0].strip().lower()
    if word_units(head) < 3:
        return set()
    return {i for i in content[1:] if scan.lines[i].lower() in (head, first.lower())}
