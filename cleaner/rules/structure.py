"""Debris recognised by where it stands and how it reads, not by vocabulary.

Running text (prose) is the article; what stands before its first paragraph or after its
last one and does not read like prose is page furniture: the headline, bylines, menus,
section lists, footers. In a whole-page dump, the article is the densest stretch of prose,
found as the maximum-scoring run of lines (prose scores its length, anything else a small
penalty), as boilerplate classifiers do with text density.
"""

from __future__ import annotations

import re

from ..model import RemovalKind
from .base import Role, Scan, drop
from .gallery import is_gallery_heading
from .media import media_type
from .signals import capitalised_ratio, ends_sentence, is_menu_item, is_prose, word_count

HEADLINE = "headline"
MAIN_TEXT = "main_text"

#: A headline has a few words and at most this many, and no sentence break inside.
_HEADLINE_WORDS = (3, 20)
# A sentence ends after a word ("…pack)? New tasks"), not after an initial ("L.A. Auto").
_SENTENCE_BREAK = re.compile(r"[^\W\d_]{2}[)\"'”’]?[.!?…][\"'”’)]*\s+[^\W_]")
#: Lines at the edges longer than this are left alone, whatever they look like.
_EDGE_MAX_WORDS = 15
#: A document with at least this many menu-like lines, making up at least this share of
#: its lines, is a whole-page dump (extracted articles have almost none; see docs/quality.md).
_PAGE_DUMP_MENU_LINES = 15
_PAGE_DUMP_MENU_SHARE = 0.3


def find_headline(scan: Scan) -> None:
    """The headline is the longest short unpunctuated line before the first paragraph
    (a video label there is a label, whatever its length)."""
    candidates = []
    for index in scan.undecided():
        text = scan.lines[index]
        if is_prose(text):
            break
        words = word_count(text)
        markup = scan.markup[index]
        if markup is not None and markup.kind != "heading" or is_gallery_heading(text, scan.pack):
            continue  # list items, quotes and gallery headings are not headlines
        if (
            _HEADLINE_WORDS[0] <= words <= _HEADLINE_WORDS[1]
            and not text.endswith((".", ",", ";", ":"))
            and not _SENTENCE_BREAK.search(text)
            and media_type(text, scan.pack) is None
        ):
            candidates.append((words, -index))
    else:
        return  # no paragraph follows: nothing marks these lines as a headline
    if candidates:
        index = -max(candidates)[1]
        scan.decide(index, drop(HEADLINE, RemovalKind.HEADLINE, "the headline: the longest short line before the first paragraph (kept as the title)"))


def find_outside_main_text(scan: Scan) -> None:
    open_lines = [i for i in scan.content() if scan.decisions[i] is None or scan.decisions[i].role is not Role.REMOVED]
    if not open_lines:
        return
    # Only body prose marks the article's extent; a bio or caption placed elsewhere does not.
    prose = [scan.decisions[i] is None and is_prose(scan.lines[i]) for i in open_lines]
    menu_count = sum(is_menu_item(scan.lines[i]) for i in open_lines)
    if menu_count >= _PAGE_DUMP_MENU_LINES and menu_count / len(open_lines) >= _PAGE_DUMP_MENU_SHARE:
        first, last = _densest_run(scan)
        reason = "outside the article's main text (a page dump: menus, lists and footers around the densest run of prose)"
        kept = []
        for position, index in enumerate(open_lines):
            if first <= index <= last:
                kept.append(position)
            elif scan.decisions[index] is None:
                scan.decide(index, drop(MAIN_TEXT, RemovalKind.NAVIGATION, reason))
        open_lines, prose = [open_lines[p] for p in kept], [prose[p] for p in kept]
    _trim_edges(scan, open_lines, prose)


#: What a line adds to a run in a page dump: prose its word count (up to a cap); debris
#: already removed and menu items cost, so that comment threads (prose broken up by
#: "Reply" and time stamps) and link lists lose against the article's unbroken paragraphs.
_PROSE_CAP = 80
_DEBRIS_COST = 3.0
_OTHER_COST = 0.5
#: A page dump opens with the page's <title>; where its headline part comes again, the
#: article starts. That line gets this bonus, so a short article beats a long footer.
_TITLE_BONUS = 60.0
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—•:]\s+")


def _repeated_title(scan: Scan) -> int | None:
    """The index of the line repeating the headline part of the first line, if any."""
    content = scan.content()
    if len(content) < 3:
        return None
    title = scan.lines[content[0]]
    headline = _TITLE_SEPARATORS.split(title)[0].strip().lower()
    if word_count(headline) < 3:
        return None
    for index in content[1:]:
        if scan.lines[index].lower() == headline or scan.lines[index].lower() == title.lower():
            return index
    return None


def _densest_run(scan: Scan) -> tuple[int, int]:
    """Kadane's maximum-sum run over the scores of the non-blank lines; returns the first
    and last line index of the run.

    A table cell, a list item or a subheading costs little, so the lists and tables inside
    an article do not cut it in two, while the menus and footers around it do."""
    best, best_span = float("-inf"), (0, -1)
    total, start = 0.0, 0
    anchor = _repeated_title(scan)
    for index in scan.content():
        decision = scan.decisions[index]
        text = scan.lines[index]
        if decision is not None:
            # Removed debris repels; gallery, media and bio lines neither attract nor repel.
            score = -_DEBRIS_COST if decision.role is Role.REMOVED and decision.kind is not RemovalKind.BLANK else 0.0
        elif is_prose(text):
            score = min(word_count(text), _PROSE_CAP)
        elif is_menu_item(text):
            score = -_DEBRIS_COST
        else:
            score = -_OTHER_COST
        if index == anchor:
            score += _TITLE_BONUS
        if total <= 0:
            total, start = score, index
        else:
            total += score
        if total > best:
            best, best_span = total, (start, index)
    return best_span


def _trim_edges(scan: Scan, open_lines: list[int], prose: list[bool]) -> None:
    """In an extracted article, short label-like lines before the first paragraph are
    furniture (bylines, dates, section labels). After the last paragraph no such rule is
    safe: lists of dates, results and credits close real articles (see docs/quality.md)."""
    if True not in prose:
        return
    first = prose.index(True)
    for position in range(first):
        index = open_lines[position]
        text = scan.lines[index]
        if scan.decisions[index] is None and word_count(text) <= _EDGE_MAX_WORDS and not ends_sentence(text) and _label_like(text) and media_type(text, scan.pack) is None:
            scan.decide(index, drop(MAIN_TEXT, RemovalKind.BOILERPLATE, "before the first paragraph, short and unpunctuated (byline, date or label)"))



def _label_like(text: str) -> bool:
    """Bylines, dates and labels are title-cased or carry numbers; list items and code do not."""
    if text[:2] in ("- ", "* ", "• ") or text[:1].isdigit() and text[1:3].startswith((".", ")")):
        return False
    return capitalised_ratio(text) >= 0.5 or any(character.isdigit() for character in text)

