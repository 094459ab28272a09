"""Debris recognised by vocabulary: the rule packs' line patterns, stray photo captions
and credits, and the lists of headlines that follow a "Related" header."""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import MediaType, RemovalKind
from .base import Decision, MediaDetail, Role, Scan, drop
from .credits import stray_caption
from .packs import LinePattern, RulePack
from .signals import ends_sentence, is_prose, word_count

PATTERNS = "debris_patterns"
CAPTIONS = "photo_captions"
RELATED = "related_lists"

#: Lines longer than this are prose: no pattern is tried on them (speed, and a bound on
#: what any pattern can cost, whatever a user's pack holds).
_MAX_PATTERN_WORDS = 80
_MAX_PATTERN_CHARS = 1000


@lru_cache(maxsize=16)
def _combined(pack: RulePack) -> tuple[re.Pattern[str] | None, tuple[LinePattern, ...]]:
    """All patterns as one alternation with a named group each: one regex call per line."""
    if not pack.patterns:
        return None, ()
    parts = []
    for number, pattern in enumerate(pack.patterns):
        flags = "i" if pattern.pattern.flags & re.IGNORECASE else ""
        body = pattern.pattern.pattern
        parts.append(f"(?P<p{number}>(?{flags}:{body}))" if flags else f"(?P<p{number}>{body})")
    return re.compile("|".join(parts)), pack.patterns


def edge_zone(scan: Scan) -> tuple[int, int]:
    """Indices of the first and last prose lines still open: outside them is the 'edge'."""
    prose = [i for i in scan.undecided() if is_prose(scan.lines[i])]
    if not prose:
        return len(scan.lines), -1
    return prose[0], prose[-1]


def find_pattern_debris(scan: Scan) -> None:
    combined, patterns = _combined(scan.pack)
    if combined is None:
        return
    first_prose, last_prose = edge_zone(scan)
    for index in scan.open_lines():
        text = scan.lines[index]
        if len(text) > _MAX_PATTERN_CHARS:
            continue
        words = word_count(text)
        if words > _MAX_PATTERN_WORDS:
            continue
        match = combined.match(text)
        if match is None:
            continue
        at_edge = index < first_prose or index > last_prose
        pattern = _first_applicable(match, patterns, text, words, at_edge)
        if pattern is not None:
            scan.decide(index, drop(PATTERNS, pattern.kind, f"{pattern.reason} ({pattern.pack} pack)"))


def _first_applicable(match: re.Match[str], patterns, text: str, words: int, at_edge: bool) -> LinePattern | None:
    # The alternation reports the first pattern that matched; if its limits rule it out,
    # the remaining patterns are tried one by one (rare).
    start = int(match.lastgroup[1:])
    for pattern in patterns[start:]:
        if pattern is not patterns[start] and not pattern.pattern.match(text):
            continue
        if pattern.max_words and words > pattern.max_words:
            continue
        if pattern.where == "edge" and not at_edge:
            continue
        return pattern
    return None


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
