"""The contract every rule follows, written once.

A rule is a named function ``apply(scan) -> None``. It looks at the lines of one document
and, for lines no earlier rule has claimed, records a ``Decision``: what the line is
(a role), and when it is not content, the removal kind and a reason a person can read.
Rules run in the order of ``cleaner.rules.RULES``; the first rule to decide a line wins.
Lines no rule claims become body text. Rules never edit text: they classify it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from ..model import MediaType, RemovalKind
from .packs import RulePack

if TYPE_CHECKING:
    from ..sites import SiteLines


class Role(StrEnum):
    """Where a line goes in the model."""

    REMOVED = "removed"
    GALLERY_ITEM = "gallery_item"
    MEDIA = "media"
    AUTHOR_BIO = "author_bio"


@dataclass(frozen=True, slots=True)
class Decision:
    role: Role
    rule: str
    reason: str
    kind: RemovalKind | None = None
    #: what the builder needs of a line that is not removed: the gallery item
    #: (GALLERY_ITEM), the media placeholder (MEDIA), the author's name (AUTHOR_BIO)
    detail: ItemDetail | MediaDetail | str | None = None


def drop(rule: str, kind: RemovalKind, reason: str) -> Decision:
    """A removal. Decisions are frozen, so one object serves every line removed for the
    same reason: a document that repeats a line a million times makes a few decisions."""
    key = (rule, kind, reason)
    decision = _DROPS.get(key)
    if decision is None:
        decision = Decision(Role.REMOVED, rule, reason, kind)
        if len(_DROPS) < _MAX_DROPS:
            _DROPS[key] = decision
    return decision


#: The removals made so far, by (rule, kind, reason); bounded, as reasons may name a
#: line number or a score (beyond the bound a decision is simply made afresh).
_DROPS: dict[tuple[str, RemovalKind, str], Decision] = {}
_MAX_DROPS = 4096


@dataclass(frozen=True, slots=True)
class GalleryDraft:
    """What a gallery rule found; the builder turns it into a ``model.Gallery``."""

    title: str | None
    declared_count: int | None
    first_line: int  # index into scan.lines of the first gallery line (title, header or item)
    last_line: int


@dataclass(frozen=True, slots=True)
class ItemDetail:
    gallery: int
    index: int
    caption: str
    credit: str | None


@dataclass(frozen=True, slots=True)
class MediaDetail:
    type: MediaType
    label: str
    caption: str | None = None
    credit: str | None = None


#: ``Scan.edge_patterns`` of a line no pattern has been tried on yet
NOT_TRIED = object()


class Scan:
    """One document's lines and the decisions taken on them so far."""

    __slots__ = ("lines", "spans", "markup", "raw", "marks", "decisions", "pack", "galleries", "notes", "edge_patterns", "template", "_content", "_words")

    def __init__(
        self,
        lines: list[str],
        pack: RulePack,
        spans: list[tuple[int, int]] | None = None,
        markup: list | None = None,
        raw: list[str] | None = None,
        marks: list | None = None,
        template: SiteLines | None = None,
    ) -> None:
        self.lines = lines
        #: the template lines of the document's site, when a site memory is in use
        self.template = template
        #: inline marks of each line (links, emphasis), when the reader has them (Markdown, HTML)
        self.marks = marks
        #: each line as it stood in the input, markup included (for the removal log)
        self.raw = raw if raw is not None else lines
        #: block markup taken off each line ("## ", "- "…), for the builder; rules judge the words
        self.markup = markup if markup is not None else [None] * len(lines)
        #: the 1-based (first, last) input lines of each entry (a hard-wrapped paragraph
        #: joined back together spans several)
        self.spans = spans if spans is not None else [(number, number) for number in range(1, len(lines) + 1)]
        self.decisions: list[Decision | None] = [None] * len(lines)
        self.pack = pack
        self.galleries: list[GalleryDraft] = []
        #: what was done to the document as a whole (the safety net holding back), for the log
        self.notes: list[str] = []
        #: the edge-only pattern (or None) each line tried at the edge matched: the debris
        #: rule fills it, related_lists reads it (no line is matched twice). A list, not a
        #: dict: 8 bytes a line instead of 50.
        self.edge_patterns: list[object] = [NOT_TRIED] * len(lines)
        self._content = [i for i, line in enumerate(lines) if line]
        self._words: list[int] | None = None

    # -- reading ------------------------------------------------------------------------

    def content(self) -> list[int]:
        """Indices of non-blank lines, in order."""
        return self._content

    def undecided(self) -> Iterator[int]:
        """Indices of non-blank lines no rule has claimed yet."""
        decisions = self.decisions
        return (i for i in self._content if decisions[i] is None)

    def open_lines(self) -> list[int]:
        """Undecided non-blank lines, as a list (safe to decide while iterating)."""
        return [i for i in self._content if self.decisions[i] is None]

    def words(self) -> list[int]:
        """Each line's number of words (``signals.word_count``), measured once for the
        rules that ask (a line used to be split three times)."""
        if self._words is None:
            self._words = [len(line.split()) for line in self.lines]
        return self._words

    def is_blank(self, index: int) -> bool:
        return not self.lines[index]

    def removed(self, index: int) -> bool:
        """Whether a rule took the line out as debris (a blank line is layout, not debris;
        a line moved to a gallery, the media or the author is not removed). ``Measures``
        writes the same test inline, once a line, on the scorer's hot path."""
        decision = self.decisions[index]
        return decision is not None and decision.role is Role.REMOVED and decision.kind is not RemovalKind.BLANK

    def neighbour(self, index: int, step: int) -> int | None:
        """The nearest open (undecided, non-blank) line before (step=-1) or after (step=+1)
        ``index``: the neighbouring body text as it will read once removed lines are gone
        and galleries and media are set apart."""
        i = index + step
        while 0 <= i < len(self.lines):
            if self.lines[i] and self.decisions[i] is None:
                return i
            i += step
        return None

    # -- deciding -----------------------------------------------------------------------

    def decide(self, index: int, decision: Decision) -> bool:
        """Record a decision for a line unless an earlier rule already took it."""
        if self.decisions[index] is not None:
            return False
        self.decisions[index] = decision
        return True


RuleFunction = Callable[[Scan], None]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    summary: str
    apply: RuleFunction = field(repr=False)
