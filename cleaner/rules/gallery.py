"""Photo galleries written out as text.

A gallery is a run of numbered captions "k/N caption credit" sharing the same N, with k
increasing. It may be preceded by a title line ("In pictures: Mosul offensive") and a
widget header ("22 show all In pictures: Mosul offensive"), either or both; it may be cut
short by the scrape (fewer than N items) and stand anywhere in the document.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import RemovalKind
from .base import Decision, GalleryDraft, ItemDetail, Role, Scan, drop
from .credits import split_credit, stray_caption, tidy_caption
from .debris import pattern_debris
from .media import media_type
from .packs import RulePack
from .signals import gallery_counter, is_prose, word_count

NAME = "gallery"
AFTER_DEBRIS = "gallery_after_debris"

# How far (in non-blank lines) before the first item a title or header may stand, when
# only short scraps and media labels stand between (a bound that keeps the rule linear).
_WINDOW = 100
# Between two items, scraps are passed over up to this bound (which keeps the rule linear).
_MAX_SCRAPS = 100
_SCRAP_WORDS = 4


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


def _parse_listed(scan: Scan, line: int, count: int) -> tuple[int, int, str] | None:
    """An item of a numbered list ("3. caption"; the lines stage took the number off)."""
    markup = scan.markup[line]
    if markup is None or markup.kind != "ordered" or not 1 <= markup.number <= count:
        return None
    return markup.number, count, scan.lines[line]


def _title_line(text: str, title_re: re.Pattern[str]) -> tuple[str | None, int | None] | None:
    """(title, count) of a gallery title line, or None when the line is not one."""
    match = title_re.fullmatch(text)
    if not match or not (match.group("title") or match.group("count")):
        return None
    title = match.group("title")
    return (title.strip() if title else None), (int(match.group("count")) if match.group("count") else None)


def is_gallery_heading(text: str, pack: RulePack) -> bool:
    """A gallery's title line or widget header (wherever it stands)."""
    title_re, header_re = _title_and_header(pack)
    return _title_line(text, title_re) is not None or header_re.fullmatch(text) is not None


def find_galleries(scan: Scan, rule: str = NAME) -> None:
    content = list(scan.undecided())
    title_re, header_re = _title_and_header(scan.pack)
    position = 0
    while position < len(content):
        text = scan.lines[content[position]]
        item = gallery_counter(text)
        if item is not None:
            position = _counter_gallery(scan, content, position, item, title_re, header_re, rule)
            continue
        titled = _title_line(text, title_re)
        if titled is not None and titled[1] is not None:
            position = _listed_gallery(scan, content, position, titled, rule)
            continue
        position += 1


@dataclass
class _Run:
    """Items found from one start: (line, (index, count, text)), and where the run ended."""

    items: list[tuple[int, tuple[int, int, str]]]
    end: int  # position in ``content`` just after the last item
    credit_lines: dict[int, int] = field(default_factory=dict)  # item line -> its credit line


def _run(scan: Scan, content: list[int], start: int, first: tuple[int, int, str], parse, *, scraps: bool = True) -> _Run:
    """The items from ``start`` on: same declared count, index increasing. A credit on a
    line of its own after an item is that item's; a few short scraps between items
    (share buttons, "Image", "Close") do not end the gallery and are left to other rules."""
    run = _Run([(content[start], first)], start + 1)
    skipped = 0
    for position in range(start + 1, len(content)):
        line = content[position]
        text = scan.lines[line]
        if not scraps and line != run.items[-1][0] + 1:
            break  # cleaner's own form has its items on consecutive lines, no blank between
        item = parse(line)
        if item is not None and item[1] == first[1]:
            if item[0] <= run.items[-1][1][0]:
                break  # the count starts again: another gallery (keeps the scan linear)
            run.items.append((line, item))
            run.end = position + 1
            skipped = 0
            continue
        if not scraps or skipped >= _MAX_SCRAPS or not _passable(text, scan):
            break
        last_item = run.items[-1][0]
        if skipped == 0 and last_item not in run.credit_lines and _bare_credit(text, scan):
            run.credit_lines[last_item] = line
        skipped += 1
    return run


def _passable(text: str, scan: Scan) -> bool:
    """Lines that can stand inside or just before a gallery without ending it: short
    scraps ("Image", "Share"), media labels, photo credits with or without a caption, and
    lines the pack's patterns remove (prompts, share rows)."""
    title_re, header_re = _title_and_header(scan.pack)
    if _title_line(text, title_re) is not None or header_re.fullmatch(text):
        return False  # the next gallery begins
    if stray_caption(text, scan.pack) is not None or media_type(text, scan.pack) is not None:
        return True
    if pattern_debris(text, scan.pack) is not None:
        return True  # a prompt or share row the pattern rule will remove
    return word_count(text) <= _SCRAP_WORDS and not is_prose(text)


def _bare_credit(text: str, scan: Scan) -> bool:
    found = stray_caption(text, scan.pack)
    return found is not None and not found[0]


def find_galleries_after_debris(scan: Scan) -> None:
    """The gallery rule again, over the lines the other rules left. The first pass runs
    before them (their caption and list rules would take gallery items), so what stood
    between a title and its items hid the title: debris ("Read more: …" and a linked
    headline), or a closing author bio, which the output moves to the end. With those
    gone they stand together, as they will in the output, and make a gallery (or the
    title joins the gallery its items already made); so it runs after ``author_bio``,
    and cleaning the cleaned text finds the same gallery."""
    title_re, header_re = _title_and_header(scan.pack)
    for number, draft in enumerate(scan.galleries):
        if scan.decisions[draft.first_line].role is not Role.GALLERY_ITEM:
            continue  # it has its title or header already
        title, title_line, header_line = _heading_above(scan, draft.first_line, title_re, header_re)
        if title_line is None and header_line is None:
            continue
        _decide_heading(scan, AFTER_DEBRIS, title_line, header_line)
        first = min(line for line in (title_line, header_line) if line is not None)
        scan.galleries[number] = GalleryDraft(title, draft.declared_count, first, draft.last_line)
    find_galleries(scan, AFTER_DEBRIS)


def _counter_gallery(scan, content, position, first, title_re, header_re, rule) -> int:
    """'k/N caption' items, with a title line and/or 'N show all' header just before."""
    run = _run(scan, content, position, first, lambda line: gallery_counter(scan.lines[line]))
    title, title_line, header_line = _heading_above(scan, content[position], title_re, header_re)
    # One lone "1/3 …" line is too weak to call a gallery without a header or title.
    if len(run.items) < 2 and header_line is None and title_line is None:
        return run.end
    _record(scan, run, first[1], title, title_line, header_line, rule)
    return run.end


def _heading_above(scan: Scan, first_item: int, title_re, header_re) -> tuple[str | None, int | None, int | None]:
    """(title, title line, header line) standing above a gallery's first item. Media labels
    and short scraps (a stray credit, "Image") can stand between, and so can lines other
    rules removed (they are not in the output); an earlier gallery's line cannot."""
    title = title_line = header_line = None
    content = scan.content()
    start = bisect_left(content, first_item)
    for candidate in reversed(content[max(0, start - _WINDOW) : start]):
        decision = scan.decisions[candidate]
        if decision is not None:
            if decision.rule in (NAME, AFTER_DEBRIS):
                break  # an earlier gallery's line: nothing before it is this one's title
            continue
        text = scan.lines[candidate]
        if gallery_counter(text) is not None:
            break
        header = header_re.fullmatch(text)
        if header and header_line is None and title_line is None:
            header_line = candidate
            rest = header.group("rest").strip()
            titled = _title_line(rest, title_re)
            title = titled[0] if titled else (rest or None)
            continue
        titled = _title_line(text, title_re)
        if titled is not None:
            title_line, title = candidate, titled[0] or title
            break
        if not _passable(text, scan):
            break
    return title, title_line, header_line


def _listed_gallery(scan, content, position, titled, rule) -> int:
    """'In pictures: X (N photos)' followed by a numbered list '1. caption' (cleaner's own text form)."""
    title, declared = titled
    # cleaner writes this form itself: the items follow the title line directly.
    if position + 1 >= len(content) or content[position + 1] != content[position] + 1:
        return position + 1
    first = _parse_listed(scan, content[position + 1], declared)
    if first is None:
        return position + 1
    # cleaner writes this form itself, items on consecutive lines: nothing stands between.
    run = _run(scan, content, position + 1, first, lambda line: _parse_listed(scan, line, declared), scraps=False)
    _record(scan, run, declared, title, content[position], None, rule)
    return run.end


def _record(scan: Scan, run: _Run, declared: int, title: str | None, title_line: int | None, header_line: int | None, rule: str) -> None:
    gallery = len(scan.galleries)
    first = min(i for i in (title_line, header_line, run.items[0][0]) if i is not None)
    scan.galleries.append(GalleryDraft(title, declared, first, run.items[-1][0]))
    _decide_heading(scan, rule, title_line, header_line)
    for line, (index, _, text) in run.items:
        caption, credit = split_credit(text, scan.pack)
        credit_line = run.credit_lines.get(line)
        if credit is None and credit_line is not None:
            caption, credit = tidy_caption(caption), split_credit(scan.lines[credit_line], scan.pack)[1]
            scan.decide(credit_line, drop(rule, RemovalKind.CREDIT, f"credit of gallery item {index} on a line of its own; kept with the item"))
        reason = f"gallery item {index}/{declared}" + (f", credit {credit!r}" if credit else ", no credit")
        scan.decide(line, Decision(Role.GALLERY_ITEM, rule, reason, detail=ItemDetail(gallery, index, caption, credit)))


def _decide_heading(scan: Scan, rule: str, title_line: int | None, header_line: int | None) -> None:
    if title_line is not None:
        scan.decide(title_line, drop(rule, RemovalKind.GALLERY_TITLE, "gallery title line; the title is kept in the gallery"))
    if header_line is not None:
        scan.decide(header_line, drop(rule, RemovalKind.GALLERY_HEADER, "gallery widget header ('N show all')"))
