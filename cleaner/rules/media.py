"""Embedded-media placeholders: the label a video or audio player leaves in a text scrape.

"Isis video purports to show fighting in Mosul" stands alone between two paragraphs: it
is short, has no closing punctuation, and names the medium. A line like that is not
prose; it is moved out of the body into ``Article.media``. "Video: …" and "WATCH: …"
prefixes mark a label whatever follows them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import MediaType
from .base import Decision, MediaDetail, Role, Scan
from .packs import RulePack
from .signals import capitalised_ratio, ends_sentence, is_prose, word_count

NAME = "media_label"

MAX_LABEL_WORDS = 16
MAX_LABEL_CHARS = 140


@lru_cache(maxsize=16)
def _patterns(pack: RulePack) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    video = re.compile(rf"\b(?:{pack.alternation('video_words')})\b", re.IGNORECASE)
    audio = re.compile(rf"\b(?:{pack.alternation('audio_words')})\b", re.IGNORECASE)
    prefix = re.compile(rf"(?:{pack.alternation('media_prefixes')})\s*(?:[:|–—-]\s*|$)", re.IGNORECASE)
    medium = re.compile(rf"\b(?:{pack.alternation('video_words')}|{pack.alternation('audio_words')})\b", re.IGNORECASE)
    return video, audio, prefix, medium


@lru_cache(maxsize=4096)  # asked of the same lines by several rules
def media_type(text: str, pack: RulePack) -> MediaType | None:
    """The medium a short standalone label names, if it reads like a player label."""
    video, audio, prefix, medium = _patterns(pack)
    if len(text) > MAX_LABEL_CHARS or word_count(text) > MAX_LABEL_WORDS:
        return None
    prefixed = prefix.match(text) is not None
    if not prefixed and medium.search(text) is None:
        return None  # names no medium: the cheap test first (most lines end here)
    if not prefixed and (ends_sentence(text) or text[:2] in ("- ", "* ", "• ") or capitalised_ratio(text) >= 0.5):
        # A sentence about a video is prose, a list item is content, and a title-cased
        # line is a headline or subheading; a player label is none of these.
        return None
    if audio.search(text) and not video.search(text):
        return MediaType.AUDIO
    if video.search(text):
        return MediaType.VIDEO
    return MediaType.EMBED if prefixed else None


def find_media_labels(scan: Scan) -> None:
    # The decision rests on the line and its neighbouring text, never on the blank lines
    # around it, so a document reads the same whatever its spacing (cleaning is idempotent).
    for index in scan.open_lines():
        kind = label_type(scan, index)
        if kind is None:
            continue
        reason = f"standalone {kind.value} label: short, unpunctuated, names the medium"
        scan.decide(index, Decision(Role.MEDIA, NAME, reason, detail=MediaDetail(kind, scan.lines[index])))


def label_type(scan: Scan, index: int) -> MediaType | None:
    """The medium of the player label this line is, or None when it is not one: it names
    a medium, is no item of a list, and has a "Video:" prefix or stands alone."""
    text = scan.lines[index]
    kind = media_type(text, scan.pack)
    if kind is None or _in_a_list(scan, index):
        return None
    if _prefix(scan.pack).match(text) is None and not _stands_alone(scan, index):
        return None
    return kind


_SENTENCE_BREAK = re.compile(r"[^\W\d_]{2}[.!?…][\"'”’)]*\s+[^\W_]")


def _prefix(pack: RulePack) -> re.Pattern[str]:
    return _patterns(pack)[2]


def _stands_alone(scan: Scan, index: int) -> bool:
    """A label without a "Video:" prefix must read as one: a single phrase (no sentence
    break inside, no "label: value" pair such as "Blog, social & video: $3,999/month"),
    and not the start of a sentence the next line goes on with ("…or watch the free" /
    "webinar here."). (Whether prose stands next to it is not asked: the author's bio,
    moved to the end of the output, would change the answer when the output is cleaned
    again.)"""
    text = scan.lines[index]
    if ":" in text or _SENTENCE_BREAK.search(text):
        return False
    after = _text_neighbour(scan, index, 1)
    return after is None or not scan.lines[after][:1].islower()


def _text_neighbour(scan: Scan, index: int, step: int) -> int | None:
    """The nearest open line that could not be a label itself: what stands next to this
    one whether or not the labels around it are taken (so cleaning the output again
    decides the same)."""
    other = scan.neighbour(index, step)
    while other is not None and media_type(scan.lines[other], scan.pack) is not None:
        other = scan.neighbour(other, step)
    return other


#: A letter or a digit: a line without one is punctuation, a separator.
_WORDED = re.compile(r"[^\W_]")


def _in_a_list(scan: Scan, index: int) -> bool:
    """A label stands between paragraphs; a short line between two short lines is an item
    of a list ("Speaking to someone on a video call"). A line of punctuation ("-----",
    "* * *") is a separator, no item: and a later rule may take it, so that cleaning the
    output again would find the label alone."""
    neighbours = [scan.neighbour(index, -1), scan.neighbour(index, 1)]
    return all(
        i is not None and _WORDED.search(scan.lines[i]) is not None and not is_prose(scan.lines[i]) and media_type(scan.lines[i], scan.pack) is None
        for i in neighbours
    )
