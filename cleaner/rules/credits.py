"""Splitting a photo credit off the end of a caption, by the pack's agency vocabulary.

"… drive back from Mosul Getty" gives ("… drive back from Mosul", "Getty");
"… Photograph: Sakib Ali/Hindustan Times" gives the text after the marker;
"… near Qayyarah" has no credit. Only the tail of a line is examined, so the cost is
bounded whatever the line's length.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .packs import RulePack

_TAIL = 200  # credits are short; never scan more than this many characters
# A photographer's name before a slash: "Sakib Ali/", "Ahmed Jadallah/".
_PHOTOGRAPHER = r"(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3} ?/ ?)"
# …or after it: "Reuters/Ahmed Jadallah", "AP Photo/Hadi Mizban".
_AFTER_AGENCY = r"(?: ?/ ?[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})"


@lru_cache(maxsize=16)
def _credit_patterns(pack: RulePack) -> tuple[re.Pattern[str], re.Pattern[str]]:
    agency = f"(?:{pack.alternation('agencies')})"
    by_agency = re.compile(
        rf"(?:^|(?<=[^,]\s))(?P<open>\(?)(?P<credit>{_PHOTOGRAPHER}{{0,3}}{agency}(?: ?/ ?{agency}|(?: via| for) [A-Z][\w ]{{0,30}})*{_AFTER_AGENCY}{{0,3}})\)?$"
    )
    marker = f"(?:{pack.alternation('credit_markers')})"
    by_marker = re.compile(rf"(?:^|(?<=\s))\(?(?:{marker}) ?: ?(?P<credit>[^:()]{{1,120}}?)\)?$")
    return by_agency, by_marker


def tidy_caption(caption: str) -> str:
    """A caption whose credit was split off, without the separator before the credit
    ("… Mosul – Getty"), unless the separator is all there is."""
    caption = caption.rstrip()
    return caption.rstrip(" -–—|,") or caption


@lru_cache(maxsize=4096)  # asked of the same lines by several rules
def split_credit(text: str, pack: RulePack) -> tuple[str, str | None]:
    """(caption, credit) for a caption line; credit is None when none is recognised."""
    head_length = max(0, len(text) - _TAIL)
    tail = text[head_length:]
    by_agency, by_marker = _credit_patterns(pack)
    for pattern in (by_marker, by_agency):
        match = pattern.search(tail)
        if match:
            return tidy_caption(text[:head_length] + tail[: match.start()]), match.group("credit").strip()
    return text, None


#: A stray caption is at most this long.
CAPTION_MAX_WORDS = 60


@lru_cache(maxsize=4096)  # asked of the same lines by several rules
def stray_caption(text: str, pack: RulePack) -> tuple[str, str] | None:
    """(caption, credit) when a line standing alone is a photo caption ending in a credit
    ("Smoke rises over Aleppo (AFP/Getty)"); the caption is empty for a bare credit line."""
    if len(text.split()) > CAPTION_MAX_WORDS:
        return None
    caption, credit = split_credit(text, pack)
    if credit is None:
        return None
    caption = caption.strip(" .,:;-–—|()") and caption
    # A sentence that happens to end with an agency name ("…, said Reuters.") ends with
    # punctuation after the credit; a caption ends before it.
    if caption and text.rstrip(")").endswith((".", "!", "?")) and not caption.endswith((".", "!", "?", ")")):
        return None
    return caption, credit
