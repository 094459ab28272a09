"""Debris recognised by vocabulary: the rule packs' line patterns, stray photo captions
and credits, and the lists of headlines that follow a "Related" header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import MediaType, RemovalKind
from .base import Decision, MediaDetail, Role, Scan, drop
from .credits import stray_caption
from .packs import LinePattern, RulePack
from .signals import is_prose, word_count

PATTERNS = "debris_patterns"
CAPTIONS = "photo_captions"
RELATED = "related_lists"

#: Lines longer than this are prose: no pattern is tried on them (speed, and a bound on
#: what any pattern can cost, whatever a user's pack holds).
_MAX_PATTERN_WORDS = 80
_MAX_PATTERN_CHARS = 1000


@dataclass(frozen=True, slots=True)
class _Matcher:
    """A pack's patterns prepared for speed: the ones anchored at the line start as one
    alternation (one regex call per line), the ones that look anywhere behind a single
    search for the words they require."""

    anchored: re.Pattern[str] | None
    anchored_patterns: tuple[LinePattern, ...]
    trigger_words: tuple[str, ...]
    triggered: tuple[LinePattern, ...]

    def find(self, text: str, words: int, at_edge: bool) -> LinePattern | None:
        if self.anchored is not None and (match := self.anchored.match(text)):
            found = _first_applicable(match, self.anchored_patterns, text, words, at_edge)
            if found is not None:
                return found
        if not self.triggered:
            return None
        lowered = text.lower()
        # Substring tests are far cheaper than any regex scan of the line.
        if any(word in lowered for word in self.trigger_words):
            for pattern in self.triggered:
                if any(word in lowered for word in pattern.requires) and _applies(pattern, words, at_edge) and pattern.pattern.match(text):
                    return pattern
        return None


@lru_cache(maxsize=16)
def _matcher(pack: RulePack) -> _Matcher:
    anchored = tuple(pattern for pattern in pack.patterns if not pattern.requires)
    triggered = tuple(pattern for pattern in pack.patterns if pattern.requires)
    parts = []
    for number, pattern in enumerate(anchored):
        flags = "i" if pattern.pattern.flags & re.IGNORECASE else ""
        body = pattern.pattern.pattern
        parts.append(f"(?P<p{number}>(?{flags}:{body}))" if flags else f"(?P<p{number}>{body})")
    words = sorted({word for pattern in triggered for word in pattern.requires}, key=len, reverse=True)
    return _Matcher(
        re.compile("|".join(parts)) if parts else None,
        anchored,
        tuple(words),
        triggered,
    )


def pattern_debris(text: str, pack: RulePack) -> LinePattern | None:
    """The pattern that removes ``text`` wherever it stands (edge-only patterns aside)."""
    if len(text) > _MAX_PATTERN_CHARS or word_count(text) > _MAX_PATTERN_WORDS:
        return None
    return _matcher(pack).find(text, word_count(text), at_edge=False)


def edge_zone(scan: Scan) -> tuple[int, int]:
    """Indices of the first and last prose lines still open: outside them is the 'edge'."""
    # (A stray photo caption is prose in form, but a later rule takes it out of the text.)
    prose = [i for i in scan.undecided() if is_prose(scan.lines[i]) and stray_caption(scan.lines[i], scan.pack) is None]
    if not prose:
        return len(scan.lines), -1
    return prose[0], prose[-1]


def find_pattern_debris(scan: Scan) -> None:
    # Two passes: the patterns that apply anywhere first; then, with that debris gone, the
    # edges of the text are where they will be in the output, and the edge-only patterns
    # (bylines, dates) run there. A prompt above a byline does not hide it.
    matcher = _matcher(scan.pack)
    candidates = []
    for index in scan.open_lines():
        text = scan.lines[index]
        if len(text) > _MAX_PATTERN_CHARS:
            continue
        words = word_count(text)
        if words > _MAX_PATTERN_WORDS:
            continue
        pattern = matcher.find(text, words, at_edge=False)
        if pattern is not None:
            scan.decide(index, drop(PATTERNS, pattern.kind, f"{pattern.reason} ({pattern.pack} pack)"))
        else:
            candidates.append((index, words))
    first_prose, last_prose = edge_zone(scan)
    for index, words in candidates:
        if first_prose <= index <= last_prose:
            continue
        pattern = matcher.find(scan.lines[index], words, at_edge=True)
        if pattern is not None:
            scan.decide(index, drop(PATTERNS, pattern.kind, f"{pattern.reason} ({pattern.pack} pack)"))


def _first_applicable(match: re.Match[str], patterns, text: str, words: int, at_edge: bool) -> LinePattern | None:
    # The alternation reports the first pattern that matched; if its limits rule it out,
    # the remaining patterns are tried one by one (rare).
    start = int(match.lastgroup[1:])
    for pattern in patterns[start:]:
        if (pattern is patterns[start] or pattern.pattern.match(text)) and _applies(pattern, words, at_edge):
            return pattern
    return None


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
    """After a 'Related' / 'More stories' header, the short unpunctuated lines that follow
    are the linked headlines, up to the next paragraph of prose."""
    for index, decision in enumerate(scan.decisions):
        if decision is None or decision.kind is not RemovalKind.RELATED:
            continue
        following = index + 1
        while following < len(scan.lines):
            if scan.is_blank(following) or scan.decisions[following] is not None:
                following += 1
                continue
            text = scan.lines[following]
            # Linked headlines may end in a question mark; a sentence or a long line ends the list.
            if text.endswith((".", "!", ":", ";")) or word_count(text) > 20:
                break
            scan.decide(following, drop(RELATED, RemovalKind.RELATED, f"a linked headline under the header on line {index + 1}"))
            following += 1
