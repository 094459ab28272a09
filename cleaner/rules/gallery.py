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
from .media import media_type
from .packs import RulePack

NAME = "gallery"

_ITEM = re.compile(r"(\d{1,4}) ?/ ?(\d{1,4})\s+(\S.*)")
_LISTED = re.compile(r"(\d{1,4})\.\s+(\S.*)")
# How far (in non-blank lines) before the first item a title or header may stand.
_LOOKBACK = 2
# …passing over at most this many lines in all (media labels standing in between).
_WINDOW = 4


@lru_cache(maxsize=16)
def _title_and_header(pack: RulePack) -> tuple[re.Pattern[str], re.Pattern[str]]:
    prefixes = pack.alternation("gallery_title_prefixes")
    # "In pictures: Mosul offensive", optionally with a count: "… (22 photos)".
    title = re.compile(
        rf"(?:{prefixes})(?:\s*[:\-–—|]\s*(?P<title>\S.{{0,200}}?))?(?:\s*\((?P<count>\d{{1,4}}) (?:photos?|pictures?|images?)\))?",
        re.IGNORECASE,
    )
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


def _parse_listed(text: str, count: int) -> tuple[int, int, str] | None:
    match = _LISTED.fullmatch(text)
    if not match or not 1 <= int(match.group(1)) <= count:
        return None
    return int(match.group(1)), count, match.group(2)


def _title_line(text: str, title_re: re.Pattern[str]) -> tuple[str | None, int | None] | None:
    """(title, count) of a gallery title line, or None when the line is not one."""
    match = title_re.fullmatch(text)
    if not match or not (match.group("title") or match.group("count")):
        return None
    title = match.group("title")
    return (title.strip() if title else None), (int(match.group("count")) if match.group("count") else None)


def find_galleries(scan: Scan) -> None:
    content = list(scan.undecided())
    title_re, header_re = _title_and_header(scan.pack)
    position = 0
    while position < len(content):
        text = scan.lines[content[position]]
        item = _parse_item(text)
        if item is not None:
            position = _counter_gallery(scan, content, position, item, title_re, header_re)
            continue
        titled = _title_line(text, title_re)
        if titled is not None and titled[1] is not None:
            position = _listed_gallery(scan, content, position, titled)
            continue
        position += 1


def _run(scan: Scan, content: list[int], start: int, first: tuple[int, int, str], parse) -> list[tuple[int, tuple[int, int, str]]]:
    """The items from ``start`` on: same declared count, index increasing."""
    run = [(content[start], first)]
    for line in content[start + 1 :]:
        item = parse(scan.lines[line])
        if item is None or item[1] != first[1] or item[0] <= run[-1][1][0]:
            break
        run.append((line, item))
    return run


def _counter_gallery(scan, content, position, first, title_re, header_re) -> int:
    """'k/N caption' items, with a title line and/or 'N show all' header just before."""
    run = _run(scan, content, position, first, _parse_item)
    title = title_line = header_line = None
    # Media labels can sit between a gallery's title and its items; look past them.
    window = (content[i] for i in range(position - 1, max(-1, position - 1 - _WINDOW), -1))
    before = [line for line in window if media_type(scan.lines[line], scan.pack) is None]
    for candidate in before[:_LOOKBACK]:
        header = header_re.fullmatch(scan.lines[candidate])
        if header and header_line is None:
            header_line = candidate
            rest = header.group("rest").strip()
            titled = _title_line(rest, title_re)
            title = titled[0] if titled else (rest or None)
            continue
        titled = _title_line(scan.lines[candidate], title_re)
        if titled is not None:
            title_line, title = candidate, titled[0] or title
        break
    # One lone "1/3 …" line is too weak to call a gallery without a header or title.
    if len(run) < 2 and header_line is None and title_line is None:
        return position + len(run)
    _record(scan, run, first[1], title, title_line, header_line)
    return position + len(run)


def _listed_gallery(scan, content, position, titled) -> int:
    """'In pictures: X (N photos)' followed by a numbered list '1. caption' (cleaner's own text form)."""
    title, declared = titled
    if position + 1 >= len(content):
        return position + 1
    first = _parse_listed(scan.lines[content[position + 1]], declared)
    if first is None:
        return position + 1
    run = _run(scan, content, position + 1, first, lambda text: _parse_listed(text, declared))
    _record(scan, run, declared, title, content[position], None)
    return position + 1 + len(run)


def _record(scan: Scan, run, declared: int, title: str | None, title_line: int | None, header_line: int | None) -> None:
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
