"""Text to lines: one entry per line of input, except that hard-wrapped paragraphs
(text a tool broke at a fixed width, as html2text and e-mail do) are joined back into one
line each, with the span of input lines they came from. Block markup a scraper kept
("## Heading", "> quote", "- item", "1. item") is taken off the text and remembered, so
the rules judge the words and the model keeps the block's kind.

A document counts as hard-wrapped when many of its lines end just short of one width
(between 40 and 100 characters) and almost none run past it. A line then continues the
previous one when the previous one was full: its next word would not have fitted.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

_MIN_WIDTH, _MAX_WIDTH = 40, 100
#: A line "reaches" the width when it ends within this many characters of it.
_SLACK = 12
#: Share of the longer lines that must reach the width for the document to count as wrapped.
_WRAPPED_SHARE = 0.3
_MIN_LINES = 10
#: Lines longer than the width (unbreakable URLs) may be at most this share.
_OVER_SHARE = 0.05
# A line starting like this begins a new block: a list item, heading, quote or table row.
_BLOCK_START = re.compile(r"(?:[-*+•]\s|#{1,6}\s|>|\||\d{1,3}[.)/]\s?)")


@dataclass(frozen=True, slots=True)
class Markup:
    """What kind of block an entry is, when the source says more than "a paragraph".

    ``kind`` is one of "heading", "quote", "bullet", "ordered" (the text reader finds
    these from the characters a line starts with), "code", "table" and "image" (from
    the Markdown and HTML readers, which know their blocks), and "outside": a block of
    an HTML page that its article region does not hold (the ``main_content`` rule
    removes it; with that rule disabled it is a paragraph)."""

    kind: str
    number: int = 0  # a heading's level, an ordered item's number
    depth: int = 0  # a list item's nesting
    language: str | None = None  # a code block's language
    rows: tuple[tuple[str, ...], ...] = ()  # a table's cells (the entry's text is their plain form)
    header: bool = False  # a table's first row is its header
    url: str | None = None  # an image's address
    credit: str | None = None  # an image's credit, when its caption states one apart


class Spans(Sequence[tuple[int, int]]):
    """The 1-based ``(first, last)`` input lines of each entry, kept as two arrays of
    machine integers: 16 bytes an entry, where a list of tuples takes about 90 (two
    million short lines would hold 180 MB of tuples). Indexing gives the tuple."""

    __slots__ = ("_first", "_last")

    def __init__(self, first: array, last: array) -> None:
        self._first = first
        self._last = last

    @classmethod
    def one_line_each(cls, count: int) -> Spans:
        """Entry ``i`` is input line ``i + 1``: text that was not hard-wrapped."""
        numbers = array("q", range(1, count + 1))
        return cls(numbers, numbers)

    def __len__(self) -> int:
        return len(self._first)

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, int]]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(zip(self._first[index], self._last[index]))
        return self._first[index], self._last[index]

    def __iter__(self):
        return zip(self._first, self._last)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Spans):
            return self._first == other._first and self._last == other._last
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Spans({list(self)!r})"


@dataclass(frozen=True, slots=True)
class Lines:
    """What every reader gives the rule chain: the entries (lines, or blocks) of one
    document with where each came from. The sequences are parallel."""

    texts: list[str]
    #: 1-based (first, last) input line numbers of each entry of ``texts``
    spans: Sequence[tuple[int, int]]
    #: the block markup taken off each entry, if any
    markup: list[Markup | None]
    #: each entry as it stood in the input (markup included), for the removal log; the
    #: same list as ``texts`` when no entry had markup taken off
    raw: list[str]
    #: inline marks (emphasis, links…) over each entry's text; None when the reader has none
    marks: list[tuple] | None = None


_HEADING = re.compile(r"(#{1,6})\s+(\S.*?)(?:\s+#+)?$")
_QUOTE = re.compile(r">\s*(\S.*)")
_BULLET = re.compile(r"[-*+•▪●]\s+(\S.*)")
_NUMBERED = re.compile(r"(\d{1,3})[.)]\s+(\S.*)")
# Text that itself starts with markup after a heading or quote marker ("# * x") stays
# whole: the plain-text output drops heading and quote markers, and must read back alike.
_MARKUP_START = re.compile(r"[-*+•▪●#>]|\d{1,3}[.)]\s")
_HEADINGS = [Markup("heading", level) for level in range(7)]
_QUOTED, _BULLETED = Markup("quote"), Markup("bullet")


def strip_markup(text: str) -> tuple[str, Markup | None]:
    """The text without its block markup, and the markup."""
    if not text:
        return text, None
    first = text[0]
    if first == "#" and (match := _HEADING.match(text)) and not _MARKUP_START.match(match.group(2)):
        return match.group(2), _HEADINGS[len(match.group(1))]
    if first == ">" and (match := _QUOTE.match(text)) and not _MARKUP_START.match(match.group(1)):
        return match.group(1), _QUOTED
    if first in "-*+•▪●" and (match := _BULLET.match(text)):
        return match.group(1), _BULLETED
    if first.isdigit() and (match := _NUMBERED.match(text)):
        return match.group(2), Markup("ordered", int(match.group(1)))
    return text, None


#: The first characters of a line that may carry block markup (or a digit: "1. item").
_MARKUP_FIRST = frozenset("#>-*+•▪●")


def split_lines(text: str) -> Lines:
    """The entries of a normalised text (see ``entries``)."""
    return entries(text.split("\n") if text else [])


def entries(physical: list[str]) -> Lines:
    """The entries of a document's normalised lines: hard-wrapped paragraphs joined back,
    block markup taken off. Most lines carry no markup: they are neither copied nor
    given an object of their own, and ``texts`` is ``raw`` until a line has some."""
    width = wrap_width(physical)
    if width is None:
        spans: Spans = Spans.one_line_each(len(physical))
    else:
        physical, spans = _unwrap(physical, width)
    texts = physical
    markup: list[Markup | None] = [None] * len(physical)
    for index, line in enumerate(physical):
        if line and (line[0] in _MARKUP_FIRST or line[0].isdigit()):
            text, found = strip_markup(line)
            if found is not None:
                if texts is physical:
                    texts = list(physical)
                texts[index], markup[index] = text, found
    return Lines(texts, spans, markup, physical)


def _unwrap(physical: list[str], width: int) -> tuple[list[str], Spans]:
    # Each entry collects its physical lines and is joined once at the end: appending to
    # a growing string would copy it every time (quadratic on a long wrapped paragraph).
    pieces: list[list[str]] = []
    first, last = array("q"), array("q")
    previous = ""
    for number, line in enumerate(physical, 1):
        if line and previous and _continues(previous, line, width):
            pieces[-1].append(line)
            last[-1] = number
        elif line and previous and (marker := _heading_continues(previous, line, width)):
            pieces[-1].append(line[marker:])
            last[-1] = number
        else:
            pieces.append([line])
            first.append(number)
            last.append(number)
        previous = line
    return [" ".join(parts) for parts in pieces], Spans(first, last)


def wrap_width(lines: list[str]) -> int | None:
    """The width a document was hard-wrapped at, or None when it was not."""
    lengths = [len(line) for line in lines if line]
    if len(lengths) < _MIN_LINES:
        return None
    counts = Counter(lengths)
    # The narrowest width that (almost) no line runs past…
    over = len(lengths)
    width = None
    for candidate in range(1, _MAX_WIDTH + 1):
        over -= counts[candidate]
        if candidate >= _MIN_WIDTH and over <= _OVER_SHARE * len(lengths):
            width = candidate
            break
    if width is None:
        return None
    # …and that many of the longer lines come close to: they were broken there.
    longer = sum(count for length, count in counts.items() if length >= width // 2)
    near = sum(counts[length] for length in range(width - _SLACK, width + 1))
    return width if near >= max(_MIN_LINES // 2, _WRAPPED_SHARE * longer) else None


_HEADING_MARKER = re.compile(r"#{1,6} ")


def _heading_continues(previous: str, line: str, width: int) -> int:
    """A heading a converter wrapped writes its marker again on the next line ("# Tuesday's
    college football: … to become", "# bowl eligible"): after a full heading line, the same
    marker continues it. The marker's length (to take it off), or 0."""
    marker = _HEADING_MARKER.match(line)
    if marker is None or not previous.startswith(marker.group()) or previous.startswith(marker.group()[:-1] + "#"):
        return 0
    next_word = line[marker.end() :].split(" ", 1)[0]
    return marker.end() if len(previous) + 1 + len(next_word) > width - 2 else 0


def _continues(previous: str, line: str, width: int) -> bool:
    if _BLOCK_START.match(line) or _BLOCK_START.match(previous) and len(previous) < width - _SLACK:
        return False
    next_word = line.split(" ", 1)[0]
    return len(previous) + 1 + len(next_word) > width - 2
