"""Photo galleries written out as text.

A gallery is a run of numbered captions "k/N caption credit" sharing the same N, with k
increasing. It may be preceded by a title line ("In pictures: Mosul offensive") and a
widget header ("22 show all In pictures: Mosul offensive"), either or both; it may be cut
short by the scrape (fewer than N items) and stand anywhere in the document.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import RemovalKind
from .base import Decision, GalleryDraft, ItemDetail, Role, Scan, drop
from .credits import split_credit
from .packs import RulePack

NAME = "gallery"

_ITEM = re.compile(r"(\d{1,4}) ?/ ?(\d{1,4})\s+(\S.*)")
# How far (in non-blank lines) before the first item a title or header may stand.
_LOOKBACK = 2


@lru_cache(maxsize=16)
def _title_and_header(pack: RulePack) -> tuple[re.Pattern[str], re.Pattern[str]]:
    prefixes = pack.alternation("gallery_title_prefixes")
    title = re.compile(rf"(?:{prefixes})\s*[:\-–—|]\s*(?P<title>\S.{{0,200}})", re.IGNORECASE)
    header = re.compile(rf"(?P<count>\d{{1,4}})\s+(?:{pack.alternation('gallery_header_words')})\b\s*(?P<rest>.{{0,300}})", re.IGNORECASE)
    return title, header


def _parse_item(text: str) -> tuple[int, int, str] | None:
    match = _ITEM.fullmatch(text)
    if not match:
        return None
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= index <= count:
        return None
    return index, count, match.group(3)


def find_galleries(scan: Scan) -> None:
    content = [i for i in scan.undecided()]
    title_re, header_re = _title_and_header(scan.pack)
    position = 0
    while position < len(content):
        parsed = _parse_item(scan.lines[content[position]])
        if parsed is None:
            position += 1
            continue
        # Collect the run of items with the same declared count and increasing index.
        run = [(content[position], parsed)]
        following = position + 1
        while following < len(content):
            item = _parse_item(scan.lines[content[following]])
            if item is None or item[1] != parsed[1] or item[0] <= run[-1][1][0]:
                break
            run.append((content[following], item))
            following += 1
        declared = parsed[1]
        # A title line and/or a widget header may stand just before the first item.
        title = None
        title_line = header_line = None
        for back in range(1, _LOOKBACK + 1):
            if position - back < 0:
                break
            candidate = content[position - back]
            text = scan.lines[candidate]
            header = header_re.fullmatch(text)
            if header and header_line is None and title_line is None:
                header_line = candidate
                rest = header.group("rest").strip()
                title_match = title_re.fullmatch(rest)
                title = title_match.group("title").strip() if title_match else (rest or None)
                continue
            title_match = title_re.fullmatch(text)
            if title_match and title_line is None:
                title_line = candidate
                title = title_match.group("title").strip()
            break
        # One lone "1/3 …" line is too weak to call a gallery without a header or title.
        if len(run) < 2 and header_line is None and title_line is None:
            position = following
            continue
        gallery = len(scan.galleries)
        first = min(i for i in (title_line, header_line, run[0][0]) if i is not None)
        scan.galleries.append(GalleryDraft(title, declared, first, run[-1][0]))
        if title_line is not None:
            scan.decide(title_line, drop(NAME, RemovalKind.GALLERY_TITLE, "gallery title line; the title is kept in the gallery"))
        if header_line is not None:
            scan.decide(header_line, drop(NAME, RemovalKind.GALLERY_HEADER, "gallery widget header ('N show all')"))
        for line, (index, _, text) in run:
            caption, credit = split_credit(text, scan.pack)
            reason = f"gallery item {index}/{declared}" + (f", credit {credit!r}" if credit else ", no credit")
            scan.decide(line, Decision(Role.GALLERY_ITEM, NAME, reason, detail=ItemDetail(gallery, index, caption, credit)))
        position = following
