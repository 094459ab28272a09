"""The headline: taken out of the body as the article's title only when the text sets it
apart (a level-1 heading, a line above a byline or dateline, the page title repeated).
Generic furniture (menus, footers, link lists) is the learned scorer's job
(``cleaner.rules.boilerplate``), which weighs a line's own evidence, not its position."""

from __future__ import annotations

import re

from ..dates import text_date
from ..model import RemovalKind
from .base import Scan, drop
from .gallery import is_gallery_heading
from .media import label_type, media_type
from .signals import is_prose, word_units

HEADLINE = "headline"

#: A headline has a few words and at most this many, and no sentence break inside.
_HEADLINE_WORDS = (3, 20)
# A sentence ends after a word ("…pack)? New tasks"), not after an initial ("L.A. Auto").
_SENTENCE_BREAK = re.compile(r"[^\W\d_]{2}[)\"'”’]?[.!?…][\"'”’)]*\s+[^\W_]")
#: A line set apart only by where it stands (above a byline, a title repeated) reads as a
#: headline with at least this many words. Shorter, it is as often an author's name, a news
#: agency, a section kicker or a menu item: on the dev sets 57 of the 67 three- and
#: four-word lines above a byline were not the page's title.
_STATED_HEADLINE_WORDS = 5
#: A clock time or a dotted date ("21:17 18.11.2019"): a date line the patterns missed.
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b")
#: A link or markup left in the text (an author's page, an embed): not a headline.
_LINKED = re.compile(r"://|<[a-z/?!]|%20|\]\(|\]\[", re.IGNORECASE)
_BYLINE_START = re.compile(r"by\b", re.IGNORECASE)
#: A page dump opens with the page's <title>: "Headline - Site" or "Headline | Site".
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—•:]\s+")


def find_headline(scan: Scan) -> None:
    """The headline, when the text sets it apart: a level-1 heading that opens the text,
    a line standing above a byline or a dateline, or a line repeating the page's title (a
    page dump opens with its <title>, and the headline comes again where the article
    starts). Where only its place sets a line apart, it must also read as a headline
    (``_states_a_headline``). A first line the text does not set apart stays in the body:
    a wrong title is worse than none."""
    before = []
    for index in scan.undecided():
        if is_prose(scan.lines[index]):
            break
        before.append(index)
    else:
        return  # no paragraph follows: nothing marks these lines as a headline
    candidates = [index for index in before if _headline_shaped(scan, index)]
    title_index, title_line, title_head = _page_title(scan)
    repeated = title_index in candidates and any(scan.lines[index].lower() == title_line for index in before if index > title_index)
    for index in candidates:
        markup = scan.markup[index]
        text = scan.lines[index]
        if markup is not None and markup.kind == "heading" and markup.number == 1:
            reason = "the headline: a level-1 heading opening the text (kept as the title)"
        elif index != title_index and text.lower() == title_head != title_line:
            # The text opens with the page's <title>, "Headline | Site", and here is its
            # headline alone: two signs agree, so its length does not matter.
            reason = "the headline: it repeats the page's title (kept as the title)"
        elif not _states_a_headline(text):
            continue
        elif _above_byline(scan, index):
            reason = "the headline: a line reading as a headline above the byline or date (kept as the title)"
        elif index == title_index and repeated:
            # The same line again where the article starts: the first is taken (a title
            # shown above the text, as every renderer shows it, is found again).
            reason = "the headline: the page's title, repeated where the article starts (kept as the title)"
        elif index != title_index and text.lower() == title_head:
            reason = "the headline: it repeats the page's title (kept as the title)"
        else:
            continue
        scan.decide(index, drop(HEADLINE, RemovalKind.HEADLINE, reason))
        return


def _page_title(scan: Scan) -> tuple[int, str, str]:
    """The page's title as a page dump opens with it: its first line, lower-cased, and its
    head before a title separator ("Headline | Site" -> "headline"), with its index. A
    line another rule has already taken (a share row) or a player label ("Watch: …", moved
    to media) is not it: the cleaned text no longer holds them, and cleaning it again must
    find the same title (the fuzzer's idempotence check found this)."""
    for index in scan.content():
        text = scan.lines[index]
        if scan.decisions[index] is None and label_type(scan, index) is None:
            line = text.lower()
            return index, line, _TITLE_SEPARATORS.split(line)[0].strip()
    return -1, "", ""


def _headline_shaped(scan: Scan, index: int) -> bool:
    """A few words, no closing punctuation, no sentence break: not a list item, quote,
    gallery heading or media label."""
    text = scan.lines[index]
    markup = scan.markup[index]
    if markup is not None and markup.kind != "heading" or is_gallery_heading(text, scan.pack):
        return False
    return (
        _HEADLINE_WORDS[0] <= word_units(text) <= _HEADLINE_WORDS[1]
        and not text.endswith((".", ",", ";", ":"))
        and not _SENTENCE_BREAK.search(text)
        and media_type(text, scan.pack) is None
    )


def _states_a_headline(text: str) -> bool:
    """Whether a line the text sets apart only by where it stands reads as a headline:
    enough words, no date or clock time (a date line), no link or markup (a logo, an
    embed), not opening with "by" (a byline the patterns missed). A wrong title is worse
    than none, so a line that fails stays in the body."""
    return (
        _words(text) >= _STATED_HEADLINE_WORDS
        and _BYLINE_START.match(text) is None
        and _LINKED.search(text) is None
        and _CLOCK.search(text) is None
        and text_date(text) is None
    )


def _words(text: str) -> int:
    """Words as ``word_units`` counts them (an unspaced script's two characters make one),
    less the separators standing alone ("/", "|", "•"): they are no words of a headline."""
    return word_units(text) - sum(1 for token in text.split() if not any(character.isalnum() for character in token))


def _above_byline(scan: Scan, index: int) -> bool:
    """True when the next line that is not blank or already removed is a byline or a
    dateline (the lines between were removed as debris: a share row, a section label)."""
    for following in range(index + 1, len(scan.lines)):
        decision = scan.decisions[following]
        if decision is None:
            if scan.lines[following]:
                return False
            continue
        if decision.kind in (RemovalKind.BYLINE, RemovalKind.DATELINE):
            return True
    return False
