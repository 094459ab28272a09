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
from itertools import accumulate, chain

from ..model import RemovalKind
from .base import Role, Scan
from .signals import word_units

_WORD = re.compile(r"\w+")
# Sentence punctuation of Latin, CJK, Devanagari, Arabic and other scripts, possibly
# followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…。！？।؟][\"'”’»」』)\]]*$")
_CLAUSE = re.compile(r"[.,;:!?。，、；：！？،]")
_URL = re.compile(r"https?://|www\.\w")
#: Searched only in a line with an "@": on a long run of word characters and hyphens the
#: backtracking of [\w.+-]+ is quadratic (a 200,000-character line took 50 s).
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.\w")
_SEPARATORS = re.compile(r"\s[|•·»›/]\s|^\||\|$")
_DIGIT = re.compile(r"\d")

#: The document's most frequent words: its function words, in any language.
_FREQUENT_WORDS = 24
#: Prose: at least this many words ending like a sentence, or this many with clauses.
_MIN_SENTENCE_WORDS = 6
_LONG_LINE_WORDS = 25
_WINDOW = 4


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


def _own(text: str, words: int, tokens: list[str], markup, marks) -> list[float]:
    """The line's own measurements that its neighbours' rows and the document's context
    read (length, closing punctuation, case, links, prose…); the others are 0.0 until
    ``_complete`` fills them, for the lines the scorer asks about. ``words``: its
    ``word_units``; ``tokens``: its ``\\w+`` words."""
    alphabetic = [token for token in tokens if not token.isdigit()]
    capitalised = sum([token[0].isupper() for token in alphabetic]) / len(alphabetic) if alphabetic else 0.0
    sentence_end = ends_sentence(text)
    if words >= _LONG_LINE_WORDS:  # is_prose, with what is measured already
        prose = _CLAUSE.search(text) is not None
    else:
        prose = words >= _MIN_SENTENCE_WORDS and sentence_end
    return [
        math.log1p(words),
        0.0,  # log_chars
        1.0 if sentence_end else 0.0,
        1.0 if text.endswith((":", "：")) else 0.0,
        0.0, capitalised, 0.0, 0.0, 0.0, 0.0,  # clauses_per_word, -, upper_case, digits, url, separators
        1.0 if markup is not None and markup.kind == "heading" else 0.0,
        0.0, 0.0, 0.0, 0.0,  # list_item, quote, code, table
        _link_share(text, marks),
        1.0 if prose else 0.0,
        0.0,  # frequent_words
        0.0,  # repeated
        1.0 if text[:1].isdigit() else 0.0,
    ]


def _complete(row: list[float], text: str, words: int, markup) -> None:
    """The rest of a line's own measurements (``_own`` left them 0.0)."""
    letters = any(character.isalpha() for character in text)
    row[1] = math.log1p(len(text))
    row[4] = len(_CLAUSE.findall(text)) / max(words, 1)
    row[6] = 1.0 if letters and text.upper() == text and text.lower() != text else 0.0
    row[7] = len(_DIGIT.findall(text)) / len(text)
    row[8] = 1.0 if _URL.search(text) or ("@" in text and _EMAIL.search(text)) else 0.0
    row[9] = float(min(len(_SEPARATORS.findall(text)), 10))
    if markup is not None and markup.kind in _BLOCK_KINDS:
        row[_BLOCK_KINDS[markup.kind]] = 1.0
    if text.startswith("|") and text.endswith("|"):
        row[14] = 1.0  # a table row written out as text


def _link_share(text: str, marks) -> float:
    """The share of the line's characters inside a link (Markdown and HTML readers)."""
    if not marks or not text:
        return 0.0
    covered = sum(mark.end - mark.start for mark in marks if mark.kind == "link")
    return min(1.0, covered / len(text))


class Measures:
    """One document's measurements, column by column. What a line's neighbours and the
    document's context need is measured for every non-blank line once; a line's whole row
    of ``FEATURES`` is made only when asked for (``row``), so the scorer pays for the
    lines it scores, not for every line of the document."""

    __slots__ = (
        "scan", "content", "count", "own", "prose", "removed", "first_prose", "last_prose",
        "runs", "alike", "introduced", "densest", "title", "document", "words", "tokens", "_frequent", "_seen", "_completed",
        "_prose_before", "_removed_before", "_priced",
    )  # fmt: skip

    def __init__(self, scan: Scan) -> None:
        self.scan = scan
        content = self.content = scan.content()
        count = self.count = len(content)
        lines, decisions, markup = scan.lines, scan.decisions, scan.markup
        marks = scan.marks
        words = self.words = [word_units(lines[i]) for i in content]
        tokens = self.tokens = [_WORD.findall(lines[i]) for i in content]
        own = self.own = [_own(lines[i], count, found, markup[i], marks[i] if marks else None) for i, count, found in zip(content, words, tokens)]
        removed = self.removed = [1.0 if (decision := decisions[i]) is not None and decision.role is Role.REMOVED and decision.kind is not RemovalKind.BLANK else 0.0 for i in content]
        prose = self.prose = [row[16] == 1.0 and decisions[i] is None for row, i in zip(own, content)]
        prose_positions = [position for position, flag in enumerate(prose) if flag]
        self.first_prose = prose_positions[0] if prose_positions else count
        self.last_prose = prose_positions[-1] if prose_positions else -1
        self.runs, self.alike = _runs(own, prose)
        self.introduced = _introduced(own, prose)
        densest = self.densest = _densest(own, removed)
        self.title = _title_like(scan, content)
        prose_words = [math.expm1(own[position][0]) for position in prose_positions]
        densest_words = sum(words for position, words in zip(prose_positions, prose_words) if densest[0] <= position <= densest[1])
        self.document = [
            len(prose_positions) / count,
            sum(row[0] < math.log1p(5) for row in own) / count,
            math.log1p(count),
            sum(row[15] for row in own) / count,
            sum(removed) / count,
            densest_words / sum(prose_words) if prose_words else 0.0,
        ] if count else []
        #: running counts of prose and removed lines (the window's counts in two lookups)
        self._prose_before = list(accumulate(prose, initial=0))
        self._removed_before = list(accumulate(removed, initial=0.0))
        self._frequent: set[str] | None = None
        self._seen: Counter[str] | None = None
        self._completed = [False] * count
        self._priced: list[bool] | None = None

    def open_positions(self) -> list[int]:
        """Positions (in ``content``) of the lines no rule has decided."""
        decisions = self.scan.decisions
        return [position for position, i in enumerate(self.content) if decisions[i] is None]

    def row(self, position: int) -> list[float]:
        """The row of ``FEATURES`` of the line at ``position`` in ``content``."""
        own, prose, removed, count = self.own, self.prose, self.removed, self.count
        index = self.content[position]
        if not self._completed[position]:
            self._complete_own(position)
        row = list(own[position])
        for offset in (-2, -1, 1, 2):
            other = position + offset
            if 0 <= other < count:
                neighbour = own[other]
                row += [1.0 if prose[other] else 0.0, neighbour[0], neighbour[5], neighbour[2], removed[other]]
            else:
                row += _BLANK_NEIGHBOUR
        low, high = max(0, position - _WINDOW), min(count, position + _WINDOW + 1)
        span = (high - low - 1) or 1
        first_prose, last_prose, densest = self.first_prose, self.last_prose, self.densest
        distance = self.distance(position)
        row += [
            (self._prose_before[high] - self._prose_before[low] - prose[position]) / span,
            (self._removed_before[high] - self._removed_before[low] - removed[position]) / span,
            # Link shares are fractions: a running sum's difference would round otherwise
            # than this sum, and move scores that sit on a threshold. Prose and removed
            # lines count 0 or 1, which a running sum gives exactly.
            sum([own[other][15] for other in range(low, high) if other != position]) / span,
            1.0 if position < first_prose else 0.0,
            1.0 if position > last_prose else 0.0,
            math.log1p(distance),
            position / max(count - 1, 1),
            math.log1p(self.runs[position]),
            self.alike[position],
            self.introduced[position],
            1.0 if densest[0] <= position <= densest[1] else 0.0,
            math.log1p(max(densest[0] - position, position - densest[1], 0)),
            1.0 if index in self.title else 0.0,
        ]
        return row + self.document

    def priced(self, position: int) -> bool:
        """Whether the line at ``position`` stands in a price list (``price_lists``),
        measured for the whole document when first asked."""
        if self._priced is None:
            lines = self.scan.lines
            self._priced = price_lists([lines[index] for index in self.content], self.prose)
        return self._priced[position]

    def distance(self, position: int) -> int:
        """How many lines the line at ``position`` stands before the first paragraph or
        after the last (0 between them)."""
        if position < self.first_prose:
            return self.first_prose - position
        if position > self.last_prose:
            return position - self.last_prose
        return 0

    def _complete_own(self, position: int) -> None:
        scan, index = self.scan, self.content[position]
        text = scan.lines[index]
        row = self.own[position]
        _complete(row, text, self.words[position], scan.markup[index])
        if self._frequent is None:
            # The document's own frequent words stand in for a stop list, whatever the language.
            tally = Counter(map(str.lower, chain.from_iterable(self.tokens)))
            self._frequent = {word for word, _ in tally.most_common(_FREQUENT_WORDS)}
            self._seen = Counter([scan.lines[i] for i in self.content])
        tokens = self.tokens[position]
        row[17] = sum(map(self._frequent.__contains__, map(str.lower, tokens))) / len(tokens) if tokens else 0.0
        row[18] = 1.0 if self._seen[text] > 1 else 0.0
        self._completed[position] = True


_BLANK_NEIGHBOUR = [0.0] * len(_NEIGHBOUR)


def measure(scan: Scan) -> dict[int, list[float]]:
    """A row of ``FEATURES`` for every undecided non-blank line (by index)."""
    measures = Measures(scan)
    content = measures.content
    return {content[position]: measures.row(position) for position in measures.open_positions()}


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


#: A price: a currency sign before the amount, or a currency after it ("$19.99", "£695",
#: "1.299,00 €", "49 zł", "1200 руб"). An amount starts where no digit stands before it,
#: and takes its digits whole: tried from every digit of a long run, it was quadratic.
_PRICE = re.compile(r"[$€£¥₹₩₺₽]\s?\d|(?<![\d,.])\d[\d,.]*+\s?(?:€|zł|kr|Kč|₽|руб|USD|EUR|GBP|CHF)(?!\w)")
#: A price list: at least this many prices among non-prose lines, each within this many
#: lines of the one before (a product's name, its price, its rating, the next product).
_PRICE_LIST_PRICES = 3
_PRICE_GAP = 4


def price_lists(texts: Sequence[str], prose: Sequence[bool]) -> list[bool]:
    """For each line, whether it stands in a price list: a stretch of non-prose lines
    where prices recur (``_PRICE_LIST_PRICES`` of them, none more than ``_PRICE_GAP`` lines
    after the one before), from the line before its first price (the first product's name)
    to the line after its last. A shop's product grid, a price list, an article's price
    table; a page's menus and teasers carry no prices, and the menu around a grid is not
    part of it. The scorer's removals in such stretches were less than half debris on the
    dev sets."""
    count = len(texts)
    flags = [False] * count
    cluster: list[int] = []

    def close() -> None:
        if len(cluster) >= _PRICE_LIST_PRICES:
            low, high = max(cluster[0] - 1, 0), min(cluster[-1] + 1, count - 1)
            while prose[low]:
                low += 1
            while prose[high]:
                high -= 1
            flags[low : high + 1] = [True] * (high + 1 - low)
        cluster.clear()

    for position, text in enumerate(texts):
        if prose[position]:
            close()
        elif _PRICE.search(text):
            if cluster and position - cluster[-1] > _PRICE_GAP:
                close()
            cluster.append(position)
    close()
    return flags


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
    """The densest stretch of prose: prose scores its words, anything else costs a little,
    removed debris more."""
    return densest_run([-3.0 if removed[position] else min(math.expm1(row[0]), 80.0) if row[16] else -0.5 for position, row in enumerate(own)])


def densest_run(scores: Sequence[float]) -> tuple[int, int]:
    """Kadane's maximum-sum run: the first and last position of the run of consecutive
    scores with the largest sum ((0, -1) when there are none)."""
    best, span = float("-inf"), (0, -1)
    total, start = 0.0, 0
    for position, score in enumerate(scores):
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
    first = first.lower()
    return {i for i in content[1:] if scan.lines[i].lower() in (head, first)}
