"""What the structured readers (Markdown, HTML) share: plain text with standoff marks
built piece by piece, and the list of entries that must cover every input unit.

``InlineText`` folds whitespace as it goes, so that a mark's offsets are offsets into the
final text (normalising afterwards would shift them). ``Entries`` collects blocks with
their spans and, at the end, gives every unit no block took (blank lines, markup-only
lines such as ``---``) an empty entry of its own: the builder logs those, so the model
accounts for every unit exactly once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from ..lines import Lines, Markup
from ..model import Mark, MarkKind

# The characters ``decode.normalise_text`` removes or turns into spaces, for text that
# reaches us piece by piece (markdown-it tokens, HTML text nodes).
_DROPPED = re.compile("[\u200b\u2060\ufeff\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SPACES = re.compile("[\\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def clean_piece(text: str) -> str:
    """A piece of inline text with every run of whitespace (line breaks included) made
    one space, control and zero-width characters dropped, and NFC composed."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", _DROPPED.sub("", text))
    elif _DROPPED.search(text):
        text = _DROPPED.sub("", text)
    return _SPACES.sub(" ", text)


@dataclass
class InlineText:
    """Plain text being built, with the marks opened and closed over it."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    marks: list[Mark] = field(default_factory=list)
    _open: list[tuple[MarkKind, int, str | None]] = field(default_factory=list)
    _space: bool = True  # the text so far ends in a space (or is empty): no space may follow

    def add(self, text: str) -> None:
        text = clean_piece(text)
        if self._space:
            text = text.lstrip(" ")
        if not text:
            return
        self.parts.append(text)
        self.length += len(text)
        self._space = text.endswith(" ")

    def space(self) -> None:
        """A line break or a block boundary inside the text: one space."""
        self.add(" ")

    def open(self, kind: MarkKind, url: str | None = None) -> None:
        self._open.append((kind, self.length, url))

    def close(self, kind: MarkKind) -> None:
        for position in range(len(self._open) - 1, -1, -1):
            if self._open[position][0] is kind:
                _, start, url = self._open.pop(position)
                self.marks.append(Mark(kind, start, self.length, url))
                return

    @property
    def empty(self) -> bool:
        return self.length == 0

    def finish(self) -> tuple[str, tuple[Mark, ...]]:
        """The text, trimmed, and its marks: trimmed to the text, empty ones dropped,
        sorted by position; marks still open end with the text."""
        for kind, start, url in self._open:
            self.marks.append(Mark(kind, start, self.length, url))
        self._open = []
        text = "".join(self.parts)
        stripped = text.rstrip(" ")
        # the text never starts with a space (``add`` drops it), so only the end is trimmed
        marks = []
        for mark in self.marks:
            start, end = mark.start, min(mark.end, len(stripped))
            while start < end and stripped[start] == " ":
                start += 1
            while end > start and stripped[end - 1] == " ":
                end -= 1
            if start < end:
                marks.append(Mark(mark.kind, start, end, mark.url))
        marks.sort(key=lambda mark: (mark.start, -mark.end))
        return stripped, tuple(marks)


def image_label(alt: str | None, title: str | None, url: str | None) -> str:
    """The text of an image entry (never empty: the blank-line rule would take it): its
    alt text, else its title, else the file name in its address."""
    for candidate in (alt, title):
        if candidate and (text := clean_piece(candidate).strip()):
            return text
    if url:
        name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
        if text := clean_piece(name).strip():
            return text
    return "image"


@dataclass
class Entries:
    """The entries of one document, added in order; ``finish`` fills the gaps."""

    texts: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    markup: list[Markup | None] = field(default_factory=list)
    raw: list[str | None] = field(default_factory=list)
    marks: list[tuple[Mark, ...]] = field(default_factory=list)

    @property
    def last_line(self) -> int:
        return self.spans[-1][1] if self.spans else 0

    def add(self, text: str, first: int, last: int, markup: Markup | None = None, marks: tuple[Mark, ...] = (), raw: str | None = None) -> bool:
        """Add an entry over units ``first``..``last`` (1-based); False, and nothing
        added, when it would overlap the previous entry (units are never claimed twice)."""
        if first <= self.last_line or last < first:
            return False
        self.texts.append(text)
        self.spans.append((first, last))
        self.markup.append(markup)
        self.raw.append(raw)
        self.marks.append(marks)
        return True

    def finish(self, physical: list[str]) -> Lines:
        """The entries with an empty one for every unit in ``physical`` (1-based) no entry
        covers; ``raw`` defaults to the units an entry spans, as the input has them."""
        texts, spans, markup, raw, marks = [], [], [], [], []
        order = sorted(range(len(self.spans)), key=lambda index: self.spans[index])
        unit = 1
        total = len(physical)

        def gap(upto: int) -> None:
            nonlocal unit
            while unit < upto and unit <= total:
                texts.append("")
                spans.append((unit, unit))
                markup.append(None)
                raw.append(physical[unit - 1])
                marks.append(())
                unit += 1

        for index in order:
            first, last = self.spans[index]
            if first > total:
                break
            last = min(last, total)
            gap(first)
            texts.append(self.texts[index])
            spans.append((first, last))
            markup.append(self.markup[index])
            given = self.raw[index]
            raw.append(given if given is not None else "\n".join(physical[first - 1 : last]))
            marks.append(self.marks[index])
            unit = last + 1
        gap(total + 1)
        return Lines(texts, spans, markup, raw, marks)
