"""The HTML reader: a saved page becomes the page's text blocks (``html_blocks``), those
the article region holds as the model's blocks, the rest flagged for ``main_content``.

The article region comes from trafilatura, the strongest open main-content extractor
(Apache-2.0; it also brings htmldate for the publication date). Its structured output
(paragraphs, headings, lists, quotes, code, tables, images, with emphasis and links) is
mapped back onto the page's blocks by its text, in document order, so every entry keeps
the units it came from. Prose the extractor skipped between two blocks it kept (a
sentence of a dozen words or more, in no page furniture) is given back to the article.
The other blocks the extractor left out are entries too, flagged
``Markup("outside")``: the first rule, ``main_content``, removes them with a reason, so
they are in the removal log (and ``--disable main_content`` keeps the whole page). The
rule chain then removes what the extractor let through, as on any text.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..decode import decode
from ..lines import Markup
from ..model import Mark, MarkKind
from .entries import Entries, InlineText, clean_piece, image_label
from .html_blocks import Block, page_blocks
from .layout import layout_text

if TYPE_CHECKING:
    from . import ReadOptions, Reading

#: The flag on a block the extractor left out (see ``cleaner.rules.main_content``).
OUTSIDE = Markup("outside")
#: trafilatura's settings, chosen on the whole dev sets (see docs/quality.md): comments are
#: not the article; favouring recall loses less text, and the rules take out what it adds.
EXTRACTION = dict(include_comments=False, include_tables=True, include_images=True, include_formatting=True, include_links=True, favor_recall=True)
#: ...except where recall mode settles on one small region of a page whose text is spread
#: wider: a forum thread's posts, above all (recall 0.42 on modern-dev's forums, against
#: 0.58 taking the balanced region there). trafilatura's balanced mode runs as well, and
#: its region is the article's when it holds this many times the recall region's text.
#: (Whole dev sets, every page type: forums F1 0.526 -> 0.613, modern-dev articles 0.936 ->
#: 0.939, aeb-dev unchanged; 1.5 instead of 2 costs aeb-dev 0.001.)
BALANCED = dict(EXTRACTION, favor_recall=False)
_BALANCED_TEXT = 2.0
_INLINE_MARKS = {"#b": MarkKind.STRONG, "#i": MarkKind.EMPHASIS, "#u": MarkKind.EMPHASIS, "#t": MarkKind.CODE}
_ANCHOR = 48  # characters of an extracted block's text looked for in the page's text
_NON_SPACE = re.compile(r"\S+")
_CREDIT_CLASS = re.compile(r"credit|copyright|source|attribution|byline|photographer|courtesy", re.IGNORECASE)


def read_html(data: bytes | str, options: ReadOptions) -> Reading:
    from . import Reading
    from .metadata import page_metadata

    decoded = decode(data, max_bytes=options.max_bytes, fix_mojibake=options.fix_mojibake)
    text = layout_text(data, decoded)
    root = parse_page(text)
    blocks = page_blocks(root) if root is not None else []
    document = _extract(text, sum(len(block.text) for block in blocks if block.src is None)) if blocks else None
    extracted = _extracted_blocks(document.body) if document is not None and document.body is not None else []
    lines = _align(blocks, extracted).finish([block.text for block in blocks])
    title, author, metadata = page_metadata(root, text, document, [text for text, kind in zip(lines.texts, lines.markup) if kind is not OUTSIDE])
    source = replace(decoded.source, lines=len(blocks), unit="block")
    return Reading(lines, source, title, author, metadata)


def parse_page(text: str):
    """The page as an lxml tree (elements know their source line), or None when there is
    nothing to parse."""
    import lxml.html  # imported here: 'cleaner --version' stays fast
    from lxml.etree import ParserError

    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (ParserError, ValueError):
        return None


def _extract(text: str, visible: int):
    """trafilatura's document (body and metadata), or None when it finds no article: the
    recall mode's, with the balanced mode's body when that holds far more text. (When the
    recall region holds half the page's ``visible`` characters already, no region can hold
    twice as much, and the balanced mode is not run: two pages in three on the dev sets.)"""
    document = _trafilatura(text, with_metadata=True, **EXTRACTION)
    recall = _text_length(document.body) if document is not None and document.body is not None else None
    if recall is not None and _BALANCED_TEXT * recall >= visible:
        return document
    balanced = _trafilatura(text, with_metadata=False, **BALANCED)
    if balanced is None or balanced.body is None:
        return document
    if recall is None:
        return balanced
    if _text_length(balanced.body) > _BALANCED_TEXT * recall:
        document.body = balanced.body
    return document


def _trafilatura(text: str, **options):
    import trafilatura

    try:
        return trafilatura.bare_extraction(text, **options)
    except (ValueError, TypeError, AttributeError, RecursionError):  # a page it cannot parse
        return None


def _text_length(body) -> int:
    return sum(len(piece.strip()) for piece in body.itertext())


def visible_text(markup: str) -> str:
    """The text a reader of an HTML fragment sees (raw HTML inside Markdown), on one line."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for element in soup(["script", "style", "noscript", "template"]):
        element.decompose()
    return clean_piece(soup.get_text(" ")).strip()


# --- trafilatura's output as blocks ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str
    markup: Markup | None
    marks: tuple[Mark, ...] = ()
    src: str | None = None  # an image's address


def _extracted_blocks(body) -> list[Extracted]:
    found: list[Extracted] = []
    for element in body:
        _block(element, found, quote=False)
    return found


def _block(element, found: list[Extracted], *, quote: bool) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "head":
        level = (element.get("rend") or "h2")[-1:]
        _paragraph(element, found, Markup("heading", int(level) if level.isdigit() else 2))
    elif tag == "list":
        _list(element, found, depth=0)
    elif tag == "quote":
        if any(isinstance(child.tag, str) and child.tag in ("p", "list", "head") for child in element):
            _paragraph(element, found, Markup("quote"), only_text=True)
            for child in element:
                _block(child, found, quote=True)
        else:
            _paragraph(element, found, Markup("quote"))
    elif tag == "code":
        code = "".join(element.itertext()).strip("\n")
        if code.strip():
            found.append(Extracted(code, Markup("code")))
    elif tag == "table" and _lays_out(element):
        # A page laid out in a table (see html_blocks.is_layout_table): its cells hold the
        # article's paragraphs and headings, which are blocks, not one cell of a table.
        for cell in element.iter("cell"):
            if cell.text and cell.text.strip():
                _paragraph(cell, found, None, only_text=True)
            for child in cell:
                _block(child, found, quote=quote)
                if child.tail and child.tail.strip():
                    found.append(Extracted(clean_piece(child.tail).strip(), None))
    elif tag == "table":
        _table(element, found)
    elif tag == "graphic":
        src = element.get("src")
        if src:
            found.append(Extracted(image_label(element.get("alt"), element.get("title"), src), Markup("image", url=src), src=src))
    elif tag == "div":
        for child in element:
            _block(child, found, quote=quote)
    else:  # p, and anything else with text
        _paragraph(element, found, Markup("quote") if quote else None)


#: Blocks of trafilatura's output in a table's cell. A table of data has a paragraph or a
#: list in a cell (MDN's, a spec's); a page laid out in a table has headings, tables, or
#: a run of paragraphs in one.
_CELL_BLOCKS = frozenset({"p", "list", "quote", "code"})
_LAYOUT_CELL_BLOCKS = 3


def _lays_out(table) -> bool:
    for cell in table.iter("cell"):
        tags = [child.tag for child in cell if isinstance(child.tag, str)]
        if "head" in tags or "table" in tags or sum(tag in _CELL_BLOCKS for tag in tags) >= _LAYOUT_CELL_BLOCKS:
            return True
    return False


def _paragraph(element, found: list[Extracted], markup: Markup | None, *, only_text: bool = False) -> None:
    text = InlineText()
    if element.text:
        text.add(element.text)
    if not only_text:
        for child in element:
            _inline(child, text)
    value, marks = text.finish()
    if value:
        found.append(Extracted(value, markup, marks))


def _inline(element, text: InlineText) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    kind = None
    if tag == "hi":
        kind = _INLINE_MARKS.get(element.get("rend") or "")
    elif tag == "ref":
        kind = MarkKind.LINK
    if tag == "lb":
        text.space()
    elif tag not in ("graphic", "list", "table", "code") or tag == "code" and not len(element):
        if kind is not None:
            text.open(kind, element.get("target") if kind is MarkKind.LINK else None)
        if element.text:
            text.add(element.text)
        for child in element:
            _inline(child, text)
        if kind is not None:
            text.close(kind)
    if element.tail:
        text.add(element.tail)


def _list(element, found: list[Extracted], *, depth: int) -> None:
    ordered = (element.get("rend") or "").lower() == "ol"
    number = 0
    for item in element:
        if not isinstance(item.tag, str) or item.tag != "item":
            continue
        number += 1
        markup = Markup("ordered", number, depth) if ordered else Markup("bullet", depth=depth)
        text = InlineText()
        if item.text:
            text.add(item.text)
        nested = []
        for child in item:
            if child.tag == "list":
                nested.append(child)
                if child.tail:
                    text.add(child.tail)
            else:
                _inline(child, text)
        value, marks = text.finish()
        if value:
            found.append(Extracted(value, markup, marks))
        for child in nested:
            _list(child, found, depth=depth + 1)


def _table(element, found: list[Extracted]) -> None:
    rows: list[tuple[str, ...]] = []
    header = False
    for row in element.iter("row"):
        cells = []
        for cell in row:
            if cell.tag != "cell":
                continue
            if not rows and (cell.get("role") or "") == "head":
                header = True
            cells.append(clean_piece(" ".join(cell.itertext())).strip())
        if any(cells):
            rows.append(tuple(cells))
    if rows:
        found.append(Extracted("\n".join("\t".join(row) for row in rows), Markup("table", rows=tuple(rows), header=header)))


# --- mapping onto the page's blocks ------------------------------------------------------


class _PageText:
    """The page's text blocks joined by spaces, to find an extracted block's text in,
    and which block a character offset falls in."""

    def __init__(self, blocks: list[Block]) -> None:
        self.numbers: list[int] = []  # block number (1-based) of each text block
        self.starts: list[int] = []
        parts: list[str] = []
        offset = 0
        for number, block in enumerate(blocks, 1):
            if block.src is not None:
                continue
            self.numbers.append(number)
            self.starts.append(offset)
            parts.append(block.text)
            offset += len(block.text) + 1
        self.text = " ".join(parts)
        self.squeezed, self.origin = _squeeze(self.text)

    def block_at(self, offset: int) -> int:
        return self.numbers[max(0, bisect_right(self.starts, offset) - 1)]

    def offset_of(self, number: int) -> int:
        """The offset where block ``number`` (or the first text block after it) starts."""
        index = bisect_right(self.numbers, number - 1)
        return self.starts[index] if index < len(self.starts) else len(self.text)

    def locate(self, key: str, cursor: int) -> tuple[int, int] | None:
        """The offsets [start, end) of ``key`` in the page's text from ``cursor`` on:
        where its beginning is found (or, when the extractor glued something on to it,
        a piece further in), to where its end is. Whitespace does not count: an extractor
        spaces code, tables and inline markup its own way ("[\\n{ name:" for the page's
        highlighted "[ { name :")."""
        text, origin = self.squeezed, self.origin
        key = "".join(clean_piece(key).split())
        if not key:
            return None
        cursor = bisect_left(origin, cursor)
        start = -1
        for begin in (0, 10, len(key) // 2):
            piece = key[begin : begin + _ANCHOR]
            if len(piece) < 12 and begin:
                break
            start = text.find(piece, cursor)
            if start >= 0:
                break
        if start < 0:
            return None
        if text.startswith(key, start):
            end = start + len(key)
        else:
            tail = key[-_ANCHOR:]
            found = text.find(tail, start)
            end = start + len(piece) if found < 0 or found - start > 4 * len(key) + 200 else found + len(tail)
        return origin[start], origin[end - 1] + 1


def _squeeze(text: str) -> tuple[str, array]:
    """``text`` without its whitespace, and the offset in ``text`` of each character left."""
    pieces, origin = [], array("l")
    for word in _NON_SPACE.finditer(text):
        start, end = word.span()
        pieces.append(word.group())
        origin.extend(range(start, end))
    return "".join(pieces), origin


def _align(blocks: list[Block], extracted: list[Extracted]) -> Entries:
    """Entries for the extracted blocks over the page blocks they came from, in order,
    then every block no entry took, flagged outside."""
    page = _PageText(blocks)
    spans = _locate_texts(page, extracted)
    images = [number for number, block in enumerate(blocks, 1) if block.src is not None]
    entries: list[list] = []  # [first, last, text, markup, marks]
    last = 0
    for position, item in enumerate(extracted):
        if item.src is not None:
            # An image only between the texts around it: the same picture elsewhere on the
            # page (a teaser, a related story) is not this one.
            before = next((spans[i][1] for i in range(position + 1, len(spans)) if spans[i] is not None), len(blocks) + 1)
            number = _find_image(blocks, images, item.src, after=last, before=before)
            if number is None:
                continue
            caption_end, caption, credit = _figure_caption(blocks, number)
            entries.append([number, caption_end, caption or item.text, replace(item.markup, credit=credit), ()])
            last = caption_end
            continue
        span = spans[position]
        if span is None:
            continue
        first, final = span
        if first <= last:
            if entries and first >= entries[-1][0]:
                _merge(entries[-1], first, final, item)
                last = entries[-1][1]
            continue
        entries.append([first, final, item.text, item.markup, item.marks])
        last = final
    result = Entries()
    taken = 0
    for position, (first, final, text, markup, marks) in enumerate(entries):
        for number in range(taken + 1, first):
            block = blocks[number - 1]
            # Between two blocks of the region, prose the extractor skipped is the article's.
            left_out = OUTSIDE if not (position and RESTORE_PROSE and _restorable(block)) else None
            result.add(block.text, number, number, left_out)
        result.add(text, first, final, markup, marks)
        taken = final
    for number in range(taken + 1, len(blocks) + 1):
        result.add(blocks[number - 1].text, number, number, OUTSIDE)
    return result


#: Texts this long are found first and anchor the search for the shorter ones, which
#: (a heading, "Read more") may stand anywhere on a page.
_LONG = 40


def _locate_texts(page: _PageText, extracted: list[Extracted]) -> list[tuple[int, int] | None]:
    """The blocks (first, last) each extracted text came from, in document order: the
    long texts first, each after the one before; then each short text between the
    texts around it."""
    offsets: list[tuple[int, int] | None] = [None] * len(extracted)
    cursor = 0
    for position, item in enumerate(extracted):
        if item.src is None and len(item.text) >= _LONG:
            found = page.locate(item.text, cursor) or page.locate(item.text, 0)
            if found is not None:
                offsets[position] = found
                cursor = max(cursor, found[1])
    # The extractor may move a block (a sign-up box it put first): keep the chain of texts
    # in page order that holds the most text, and drop the rest.
    for position in _out_of_order([(position, found) for position, found in enumerate(offsets) if found is not None], extracted):
        offsets[position] = None
    low = 0
    for position, item in enumerate(extracted):
        if offsets[position] is not None:
            low = offsets[position][1]
            continue
        if item.src is not None:
            continue
        high = next((offsets[i][0] for i in range(position + 1, len(extracted)) if offsets[i] is not None and len(extracted[i].text) >= _LONG), len(page.text))
        found = page.locate(item.text, low)
        if found is not None and found[1] <= high:
            offsets[position] = found
            low = found[1]
    return [None if found is None else (page.block_at(found[0]), page.block_at(max(found[0], found[1] - 1))) for found in offsets]


def _out_of_order(located: list[tuple[int, tuple[int, int]]], extracted: list[Extracted]) -> set[int]:
    """The positions not on the heaviest chain of located texts whose page offsets
    increase (weighted by text length; quadratic, over a page's long texts only)."""
    count = len(located)
    best = [len(extracted[position].text) for position, _ in located]
    previous = [-1] * count
    for j in range(count):
        start = located[j][1][0]
        weight = len(extracted[located[j][0]].text)
        for i in range(j):
            if located[i][1][1] <= start and best[i] + weight > best[j]:
                best[j] = best[i] + weight
                previous[j] = i
    keep = set()
    j = max(range(count), key=best.__getitem__) if count else -1
    while j >= 0:
        keep.add(located[j][0])
        j = previous[j]
    return {position for position, _ in located if position not in keep}


#: Give back the prose the extractor skipped inside the region (on the dev sets: modern-dev
#: articles F1 0.926 → 0.934, aeb-dev 0.972 → 0.973; whole sets, no page tuned).
RESTORE_PROSE = True
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*$")
_RESTORE_WORDS = 12
#: Containers whose prose is not the article's, whatever the extractor's choice.
_FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "figcaption", "blockquote"})
_FURNITURE_CLASS = re.compile(r"related|comment|share|social|newsletter|subscribe|promo|advert|\bads?\b|sidebar|widget|cookie|consent|popup|modal|author|bio|caption|credit|breadcrumb|menu|footer|header|nav", re.IGNORECASE)


def _restorable(block: Block) -> bool:
    """A block the extractor left out, between two it kept, that reads as prose (a
    sentence of a dozen words or more) and stands in no page furniture."""
    if block.src is not None or block.tag not in ("p", "div", "li", "section", "article", "main", "span", "td", "dd"):
        return False
    if len(block.text.split()) < _RESTORE_WORDS or not _SENTENCE_END.search(block.text):
        return False
    element = block.element
    for ancestor in ([element] if element is not None else []) + (list(element.iterancestors()) if element is not None else []):
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in _FURNITURE_TAGS:
            return False
        if _FURNITURE_CLASS.search((ancestor.get("class") or "") + " " + (ancestor.get("id") or "")):
            return False
    return True


def _merge(entry: list, first: int, final: int, item: Extracted) -> None:
    """An extracted block that shares a page block with the entry before it (the
    extractor split one element, or the page wrapped two in one) joins that entry."""
    if entry[3] is not None and entry[3].kind in ("image", "table", "code"):
        entry[1] = max(entry[1], final)
        return
    if item.markup is not None and item.markup.kind in ("image", "table", "code"):
        entry[1] = max(entry[1], final)
        return
    shift = len(entry[2]) + 1
    entry[2] = f"{entry[2]} {item.text}"
    entry[4] = tuple(entry[4]) + tuple(Mark(mark.kind, mark.start + shift, mark.end + shift, mark.url) for mark in item.marks)
    entry[1] = max(entry[1], final)


def _find_image(blocks: list[Block], images: list[int], src: str, *, after: int, before: int) -> int | None:
    name = src.rsplit("/", 1)[-1].split("?")[0]
    for number in images[bisect_right(images, after) :]:
        if number >= before:
            return None
        candidate = blocks[number - 1].src or ""
        if candidate == src or name and candidate.rsplit("/", 1)[-1].split("?")[0] == name:
            return number
    return None


def _figure_caption(blocks: list[Block], number: int) -> tuple[int, str | None, str | None]:
    """(last block, caption, credit) of an image: when the block after it is the
    ``figcaption`` of the same ``figure``, the image entry takes it as its caption."""
    if number >= len(blocks):
        return number, None, None
    image, following = blocks[number - 1].element, blocks[number]
    if following.tag != "figcaption" or image is None:
        return number, None, None
    figure = next((parent for parent in image.iterancestors() if parent.tag == "figure"), None)
    if figure is None or following.element not in figure.iter("figcaption"):
        return number, None, None
    credit = None
    for element in following.element.iter():
        if element is following.element or not isinstance(element.tag, str):
            continue
        if element.tag in ("cite", "small") or _CREDIT_CLASS.search(element.get("class") or ""):
            credit = clean_piece(" ".join(element.itertext())).strip() or None
            break
    caption = following.text
    if credit and caption.endswith(credit):
        caption = caption[: -len(credit)].rstrip(" |–—-")
    return number + 1, caption or None, credit
