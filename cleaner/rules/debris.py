"""Debris recognised by vocabulary: the rule packs' line patterns, stray photo captions
and credits, and the lists of headlines that follow a "Related" header."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..model import MediaType, RemovalKind
from .base import NOT_TRIED, Decision, MediaDetail, Role, Scan, drop
from .credits import stray_caption
from .packs import LinePattern, RulePack
from .signals import gallery_counter, is_prose, word_count

PATTERNS = "debris_patterns"
CAPTIONS = "photo_captions"
RELATED = "related_lists"
EDGES_AGAIN = "edge_debris_again"

#: Lines longer than this are prose: no pattern is tried on them (speed, and a bound on
#: what any pattern can cost, whatever a user's pack holds).
_MAX_PATTERN_WORDS = 80
_MAX_PATTERN_CHARS = 1000


@dataclass(frozen=True, slots=True)
class _Selection:
    """The patterns that can apply to lines of one length and place, prepared for speed:
    the ones anchored at the line start as one alternation (one regex call per line; the
    alternation reports the first pattern in pack order that matches), the ones that look
    anywhere behind one search for the words they require."""

    anchored: re.Pattern[str] | None
    anchored_patterns: tuple[LinePattern, ...]
    trigger: re.Pattern[str] | None
    triggered: tuple[LinePattern, ...]

    def find(self, text: str) -> LinePattern | None:
        if self.anchored is not None and (match := self.anchored.match(text)):
            return self.anchored_patterns[int(match.lastgroup[1:])]
        if self.trigger is None:
            return None
        lowered = text.lower()
        # One search for all the required words is far cheaper than any ".*\bword" scan.
        if self.trigger.search(lowered) is None:
            return None
        for pattern in self.triggered:
            if any(word in lowered for word in pattern.requires) and pattern.pattern.match(text):
                return pattern
        return None


class _Matcher:
    """A pack's patterns, with one ``_Selection`` per (line length, place) asked about.

    Most patterns are for short lines (``max_words``), so a sentence of thirty words is
    tried against a handful of them, not all; lengths above every limit share a selection.
    """

    def __init__(self, pack: RulePack) -> None:
        self._patterns = pack.patterns
        limits = [pattern.max_words for pattern in pack.patterns]
        self._longest_limited = max(limits, default=0)
        self._selections: dict[tuple[int, bool], _Selection] = {}
        self._by_subset: dict[tuple[int, ...], _Selection] = {}

    def find(self, text: str, words: int, at_edge: bool) -> LinePattern | None:
        key = (min(words, self._longest_limited + 1), at_edge)
        selection = self._selections.get(key)
        if selection is None:
            selection = self._selections[key] = self._select(*key)
        return selection.find(text)

    def find_edge_only(self, text: str, words: int) -> LinePattern | None:
        """``find(text, words, at_edge=True)`` for a line ``find(…, at_edge=False)``
        found nothing in: the patterns for anywhere fail again, so only the edge-only
        ones are tried (anchored before triggered, in pack order, as ``find`` does)."""
        key = (min(words, self._longest_limited + 1), None)
        selection = self._selections.get(key)
        if selection is None:
            selection = self._selections[key] = self._select(key[0], True, edge_only=True)
        return selection.find(text)

    def _select(self, words: int, at_edge: bool, edge_only: bool = False) -> _Selection:
        subset = tuple(
            number
            for number, pattern in enumerate(self._patterns)
            if _applies(pattern, words, at_edge) and (not edge_only or pattern.where == "edge")
        )
        if subset not in self._by_subset:
            self._by_subset[subset] = _prepare([self._patterns[number] for number in subset])
        return self._by_subset[subset]


def _prepare(patterns: list[LinePattern]) -> _Selection:
    anchored = tuple(pattern for pattern in patterns if not pattern.requires)
    triggered = tuple(pattern for pattern in patterns if pattern.requires)
    parts = []
    for number, pattern in enumerate(anchored):
        body = pattern.pattern.pattern
        parts.append(f"(?P<p{number}>(?i:{body}))" if pattern.pattern.flags & re.IGNORECASE else f"(?P<p{number}>{body})")
    words = {word for pattern in triggered for word in pattern.requires}
    return _Selection(
        re.compile("|".join(parts)) if parts else None,
        anchored,
        re.compile(_any_of(words)) if words else None,
        triggered,
    )


_TRIE_WORD_CHARS = 60


def _any_of(words: set[str]) -> str:
    """A regex matching any of ``words``, written as their trie: "comment|commission"
    becomes "comm(?:ent|ission)". It finds a line exactly when the plain alternation
    does, but the regex engine tries one branch per character where the alternation
    tries every word at every position: half the time on the dev sets' lines with the
    news pack's words. (A user's pack may require a long phrase: the trie nests a level a
    character, so past a bound the plain alternation is written instead.)"""
    if max(map(len, words)) > _TRIE_WORD_CHARS:
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branch(node: dict) -> str:
        options = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not options:
            return ""
        body = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(trie)


@lru_cache(maxsize=16)
def _matcher(pack: RulePack) -> _Matcher:
    return _Matcher(pack)


def pattern_debris(text: str, pack: RulePack, *, at_edge: bool = False) -> LinePattern | None:
    """The pattern that removes ``text`` wherever it stands (with ``at_edge``: were it
    before the first or after the last paragraph, where the edge-only patterns apply)."""
    if len(text) > _MAX_PATTERN_CHARS or word_count(text) > _MAX_PATTERN_WORDS:
        return None
    return _matcher(pack).find(text, word_count(text), at_edge=at_edge)


def edge_zone(scan: Scan) -> tuple[int, int]:
    """Indices of the first and last prose lines still open: outside them is the 'edge'.
    (Looked for from each end: the lines between are never asked about.)"""
    lines, pack = scan.lines, scan.pack

    def prose(index: int) -> bool:
        # A stray photo caption is prose in form, but a later rule takes it out of the text.
        return is_prose(lines[index]) and stray_caption(lines[index], pack) is None

    open_lines = scan.open_lines()
    first = next((index for index in open_lines if prose(index)), None)
    if first is None:
        return len(lines), -1
    return first, next(index for index in reversed(open_lines) if prose(index))


#: A document with this many dated lines is a thread or a listing (forum posts, an archive,
#: release notes): each date belongs to an entry, and the entries are the content. An
#: article carries one or two (published, updated).
_DATED_ENTRIES = 4


def find_pattern_debris(scan: Scan) -> None:
    # Two passes: the patterns that apply anywhere first; then, with that debris gone, the
    # edges of the text are where they will be in the output, and the edge-only patterns
    # (bylines, dates) run there. A prompt above a byline does not hide it.
    matcher = _matcher(scan.pack)
    candidates = []
    counts = scan.words()
    found: list[tuple[int, LinePattern]] = []
    memo = _Memo()  # a line the document repeats ("Getty Images", "Advertisement") is matched once
    for index in scan.open_lines():
        text = scan.lines[index]
        if len(text) > _MAX_PATTERN_CHARS:
            continue
        words = counts[index]
        if words > _MAX_PATTERN_WORDS:
            continue
        pattern = memo.get(text, _NOT_MATCHED)
        if pattern is _NOT_MATCHED:
            pattern = memo.keep(text, matcher.find(text, words, at_edge=False))
        if pattern is not None:
            found.append((index, pattern))
        else:
            candidates.append(index)
            scan.edge_patterns[index] = _ONLY_EDGE_LEFT
    for index, pattern in found:
        scan.decide(index, drop(PATTERNS, pattern.kind, f"{pattern.reason} ({pattern.pack} pack)"))
    _edge_pass(scan, candidates, PATTERNS, found)


def find_edge_debris_again(scan: Scan) -> None:
    """The edge-only patterns (bylines, dates) once more, after the rules that take whole
    stretches of prose away (a related list of sentence-like headlines, a comment thread,
    an author box): a byline that stood inside the text when ``debris_patterns`` looked
    now stands at its end, and cleaning the cleaned text would take it there. Only the
    lines the first pass tried are asked, and not those it found no pattern for (a line's
    match is kept from then on); its dates are counted afresh, as a second cleaning would
    count them."""
    edge_patterns = scan.edge_patterns
    tried = [index for index in scan.open_lines() if edge_patterns[index] is not None and edge_patterns[index] is not NOT_TRIED]
    if tried:
        _edge_pass(scan, tried, EDGES_AGAIN, [])


def _edge_pass(scan: Scan, candidates: list[int], rule: str, found: list[tuple[int, LinePattern]]) -> None:
    """With the debris found so far gone, the edges of the text are where they will be in
    the output: the edge-only patterns run on the candidates outside its prose. ``found``:
    what the rule took before, for the count of dated lines."""
    first_prose, last_prose = edge_zone(scan)
    memo = _Memo()
    for index in candidates:
        if first_prose <= index <= last_prose:
            continue
        text = scan.lines[index]
        pattern = memo.get(text, _NOT_MATCHED)
        if pattern is _NOT_MATCHED:
            pattern = memo.keep(text, _edge_pattern(scan, index))
        else:
            scan.edge_patterns[index] = pattern
        if pattern is not None:
            found.append((index, pattern))
            scan.decide(index, drop(rule, pattern.kind, f"{pattern.reason} ({pattern.pack} pack)"))
    dates = [index for index, pattern in found if pattern.kind is RemovalKind.DATELINE]
    if len(dates) >= _DATED_ENTRIES:
        for index in dates:  # taken back: the entries' dates are theirs, and no later pass asks again
            scan.decisions[index] = None
            scan.edge_patterns[index] = None


def _edge_pattern(scan: Scan, index: int) -> LinePattern | None:
    """``pattern_debris(line, at_edge=True)``, matched once a line. For a line in which
    the debris rule's first pass found no pattern for anywhere, only the edge-only
    patterns are tried; a line it never saw (the rule disabled) is tried against all."""
    found = scan.edge_patterns[index]
    if found is NOT_TRIED or found is _ONLY_EDGE_LEFT:
        text = scan.lines[index]
        words = scan.words()[index]
        if len(text) > _MAX_PATTERN_CHARS or words > _MAX_PATTERN_WORDS:
            result = None
        elif found is _ONLY_EDGE_LEFT:
            result = _matcher(scan.pack).find_edge_only(text, words)
        else:
            result = _matcher(scan.pack).find(text, words, at_edge=True)
        scan.edge_patterns[index] = found = result
    return found


#: ``Scan.edge_patterns`` of a line in which the first pass found no pattern for anywhere
_ONLY_EDGE_LEFT = object()
_NOT_MATCHED = object()


class _Memo(dict):
    """What one document's lines matched, by text. Bounded: full at a few thousand texts,
    it starts again empty, so a document of a million different lines never holds a
    million."""

    _LIMIT = 4096

    def keep(self, text: str, pattern: LinePattern | None) -> LinePattern | None:
        if len(self) >= self._LIMIT:
            self.clear()
        self[text] = pattern
        return pattern


def _applies(pattern: LinePattern, words: int, at_edge: bool) -> bool:
    return not (pattern.max_words and words > pattern.max_words) and not (pattern.where == "edge" and not at_edge)


def find_photo_captions(scan: Scan) -> None:
    """A short line ending in a photo-agency credit is a stray caption: it becomes an image
    placeholder with its caption and credit. A line that is nothing but a credit
    ("Sakib Ali/Hindustan Times/Getty Images") is removed as a credit."""
    for index in scan.open_lines():
        found = stray_caption(scan.lines[index], scan.pack)
        if found is None:
            continue
        caption, credit = found
        if not caption:
            scan.decide(index, drop(CAPTIONS, RemovalKind.CREDIT, f"a photo credit ({credit})"))
        else:
            reason = f"a photo caption with its credit ({credit})"
            scan.decide(index, Decision(Role.MEDIA, CAPTIONS, reason, detail=MediaDetail(MediaType.IMAGE, caption, caption, credit)))


def find_related_lists(scan: Scan) -> None:
    """After a 'Related' / 'More stories' header, the lines that follow and read like
    linked headlines are removed, up to the first that does not. Inside the text, a
    'Read more: …' link is the article's own unless a list of linked headlines follows
    it: then it heads that list, and goes with it. A header that comes back again and
    again ("Read more" after every teaser of a listing) is a button, not a header: it
    is removed, and nothing with it."""
    seen = Counter(scan.lines[index] for index in scan.content())
    for index in scan.open_lines():
        pattern = _edge_pattern(scan, index)
        if pattern is not None and pattern.kind is RemovalKind.RELATED and _headlines_after(scan, index, _MIN_LIST):
            reason = f"{pattern.reason} heading a list of linked headlines ({pattern.pack} pack)"
            scan.decide(index, drop(RELATED, RemovalKind.RELATED, reason))
    for index, decision in enumerate(scan.decisions):
        if decision is None or decision.kind is not RemovalKind.RELATED or seen[scan.lines[index]] >= _BUTTON_REPEATS:
            continue
        following = index + 1
        while (following := _next_headline(scan, following)) is not None:
            scan.decide(following, drop(RELATED, RemovalKind.RELATED, f"a linked headline under the header on line {scan.spans[index][0]}"))
            following += 1


#: A 'Read more: …' link inside the text heads a list when at least this many headlines follow.
_MIN_LIST = 2
#: A header text seen this often in one document is a per-item button.
_BUTTON_REPEATS = 3
#: Linked headlines have a few words at least ("Trump", "New York" are something else).
_MIN_HEADLINE_WORDS = 3


def _next_headline(scan: Scan, start: int) -> int | None:
    """The next open line from ``start`` on if it reads like a linked headline (blank and
    decided lines are passed over); None at a sentence, a long or very short line, a
    line that starts with a number (a rating, a price) or a gallery caption."""
    following = start
    while following < len(scan.lines) and (scan.is_blank(following) or scan.decisions[following] is not None):
        following += 1
    if following >= len(scan.lines):
        return None
    text = scan.lines[following]
    # Linked headlines may end in a question mark; a sentence or a long line ends the list.
    if text.endswith((".", "!", ":", ";")) or not _MIN_HEADLINE_WORDS <= scan.words()[following] <= 20 or text[0].isdigit():
        return None
    if gallery_counter(text) is not None:
        return None  # a numbered gallery caption ("1/3 …") is no headline: the gallery rules take it
    return following


def _headlines_after(scan: Scan, index: int, count: int) -> bool:
    following = index + 1
    for _ in range(count):
        found = _next_headline(scan, following)
        if found is None:
            return False
        following = found + 1
    return True
