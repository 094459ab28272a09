"""Reader comment threads: what readers wrote under the article is not the article.

A comment reads like prose, so no single line gives it away; the thread does. Its widget
lines ("12 Comments", "Reply", "Report this comment", which the packs' comment patterns
already take) and its signatures ("averagejoe says:") stand between the comments. When at
least two such markers follow the article's core (its densest stretch of prose, as the
safety net measures it, with the markers as walls), everything still open from the first
of them to the end of the text is the thread. Not on a forum (markers above the first post
too) nor where the posts outweigh the text (reviews, a discussion): there the posts are
the content. Nothing before the core's end is ever touched, and the safety net can take
the removals back.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import RemovalKind
from .base import Role, Scan, drop
from .measure import is_prose
from .signals import word_units
from .packs import RulePack
from .safety import core_span

NAME = "comment_threads"

#: A signature line has a name and the verb, and no more than this many words.
_SIGNATURE_WORDS = 6
#: Markers after the article's core needed to call what follows a thread.
_MIN_MARKERS = 2
#: Under an article, the article outweighs its comments: its core has at least this many
#: times the prose words of the thread. Where the posts weigh more (a product's reviews, a
#: discussion under a short question), they are the page's content and stay.
_ARTICLE_WEIGHT = 2


@lru_cache(maxsize=16)
def _signature(pack: RulePack) -> re.Pattern[str]:
    return re.compile(rf"\S(?:.{{0,60}}\S)?\s+(?:{pack.alternation('comment_verbs')})\s*:", re.IGNORECASE)


def is_signature(text: str, pack: RulePack) -> bool:
    """'averagejoe says:', 'Maria escribió:': a commenter's name and a verb of saying."""
    # A signature ends in its colon: most lines are ruled out before any split or match.
    return text.rstrip().endswith(":") and len(text.split()) <= _SIGNATURE_WORDS and _signature(pack).fullmatch(text) is not None


def find_comment_threads(scan: Scan) -> None:
    content = scan.content()
    if not content:
        return
    markers = [index for index in content if _is_marker(scan, index)]
    if len(markers) < _MIN_MARKERS:
        return
    words = {index: word_units(scan.lines[index]) for index in content}
    prose = {index for index in content if scan.decisions[index] is None and is_prose(scan.lines[index], words[index])}
    if not prose:
        return
    # The article's core, with the markers as walls: comments are prose too, and without
    # them the densest stretch would run on through the thread.
    core_first, core_last = core_span(content, prose, words, walls=set(markers))
    thread = [index for index in markers if index > core_last]
    if len(thread) < _MIN_MARKERS or any(index < core_first for index in markers):
        return  # markers above the first post too: a forum thread, whose posts are the page
    core_words = sum(words[index] for index in prose if core_first <= index <= core_last)
    if core_words < _ARTICLE_WEIGHT * sum(words[index] for index in prose if index > thread[0]):
        return  # the posts outweigh the text above them: reviews or a discussion, not comments
    reason = f"a reader comment thread ({len(thread)} comment markers after the article, from line {scan.spans[thread[0]][0]})"
    for index in content:
        if index >= thread[0] and scan.decisions[index] is None:
            scan.decide(index, drop(NAME, RemovalKind.COMMENTS, reason))


def _is_marker(scan: Scan, index: int) -> bool:
    decision = scan.decisions[index]
    if decision is not None:
        return decision.role is Role.REMOVED and decision.kind is RemovalKind.COMMENTS
    return is_signature(scan.lines[index], scan.pack)
