"""An HTML page as the units the model accounts for: its text blocks, in document order.

A block is the text a block-level element holds itself (its inline descendants' text
included, its block children's text not): a paragraph, a heading, a list item, the loose
text of a ``div``. A table of data and a ``pre`` are one block each, whatever they nest
(a table that lays out the page, with paragraphs or tables in its cells, is walked); an
image (``img`` with an address) is a block of its own. Script, style, templates, forms'
controls and hidden elements (``hidden``, ``aria-hidden``, ``display: none``) are not
walked: their text never reaches the model. Blocks are numbered from 1; that number is
what a line number of an HTML input counts (``Source.unit == "block"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .entries import clean_piece, image_label

#: Elements whose text is never content and never shown as such.
SKIPPED = frozenset(
    "script style noscript template svg math head iframe object embed canvas select option optgroup textarea button input datalist dialog map area audio video source track".split()
)
#: Elements that start a block of their own.
BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
#: Blocks whose whole text is one unit, nested blocks included.
ATOMIC = frozenset({"pre", "table"})
# React streams server-rendered parts of a page into hidden <div id="S:1"> elements and
# moves them into place at once: their content is the page's, shown.
_STREAMED = re.compile(r"S:\w+$")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of the page. ``tag`` is the element that holds the text; ``src`` is set
    for an image; ``line`` is where the element starts in the page's source."""

    text: str
    tag: str
    line: int | None
    src: str | None = None
    element: object = None  # the lxml element (for figures: their captions and credits)


def is_hidden(element) -> bool:
    get = element.get
    if get("hidden") is not None and not _STREAMED.match(get("id") or ""):
        return True
    if (get("aria-hidden") or "").lower() == "true":
        return True
    style = get("style")
    return bool(style) and _HIDDEN_STYLE.search(style) is not None


def image_source(element) -> str | None:
    """An image's address: ``src``, else the lazy-loading attributes sites use."""
    for name in ("src", "data-src", "data-lazy-src", "data-original"):
        value = (element.get(name) or "").strip()
        if value and not value.startswith("data:"):
            return value
    srcset = (element.get("srcset") or element.get("data-srcset") or "").strip()
    if srcset:
        return srcset.split(",")[0].split()[0]
    return None


def page_blocks(root) -> list[Block]:
    """The blocks of a parsed page (an lxml tree), in document order."""
    blocks: list[Block] = []
    body = root.find(".//body")
    _walk(body if body is not None else root, blocks)
    return blocks


def _tag(element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _walk(element, blocks: list[Block]) -> None:
    """Add ``element``'s blocks: its own loose text as one block, cut where a block child
    stands (the text before a nested list and the text after it are two blocks)."""
    pieces: list[str] = []
    start_line = element.sourceline

    def flush() -> None:
        text = clean_piece("".join(pieces)).strip()
        if text:
            blocks.append(Block(text, _tag(element), start_line, element=element))
        pieces.clear()

    if element.text:
        pieces.append(element.text)
    for child in element:
        _child(child, pieces, blocks, flush)
        if child.tail:
            pieces.append(child.tail)
    flush()


def _inline(element, pieces: list[str], blocks: list[Block], flush) -> None:
    """An inline element's text joins the block around it; a block inside it (sites nest
    ``div``s in ``a`` and ``span``) or an image still stands on its own, in its place."""
    if element.text:
        pieces.append(element.text)
    for child in element:
        _child(child, pieces, blocks, flush)
        if child.tail:
            pieces.append(child.tail)


def _child(child, pieces: list[str], blocks: list[Block], flush) -> None:
    tag = _tag(child)
    if not tag or tag in SKIPPED or is_hidden(child):
        return
    if tag == "img":
        src = image_source(child)
        if src:
            flush()
            blocks.append(Block(image_label(child.get("alt"), child.get("title"), src), "img", child.sourceline, src, child))
    elif tag in ATOMIC and not (tag == "table" and is_layout_table(child)):
        flush()
        _atomic(child, blocks)
    elif tag in BLOCK:
        flush()
        _walk(child, blocks)
    elif tag == "br":
        pieces.append(" ")
    else:
        _inline(child, pieces, blocks, flush)


#: What a table of data does not hold, and a page laid out in a table does: its cells are
#: the page's blocks (paragraphs, headings, lists), each a block of its own.
_LAYOUT = frozenset("table p h1 h2 h3 h4 h5 h6 ul ol dl blockquote pre article section form".split())


def is_layout_table(element) -> bool:
    """A table that lays out a page (an old site's whole article in its cells), not data."""
    return any(_tag(descendant) in _LAYOUT for descendant in element.iterdescendants())


def _atomic(element, blocks: list[Block]) -> None:
    texts = [text for text in _visible_texts(element)]
    text = clean_piece(" ".join(texts)).strip()
    if text:
        blocks.append(Block(text, _tag(element), element.sourceline, element=element))


def _visible_texts(element):
    if element.text:
        yield element.text
    for child in element:
        tag = _tag(child)
        if tag and tag not in SKIPPED and not is_hidden(child):
            yield " "
            yield from _visible_texts(child)
            yield " "
        if child.tail:
            yield child.tail


def visible_text(root) -> str:
    """All the text of an element a reader would see, one line."""
    return clean_piece(" ".join(_visible_texts(root))).strip()
