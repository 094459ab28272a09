"""The Markdown reader (markdown-it-py, CommonMark with GFM tables): each block becomes an
entry with its line span from the parser's line map, its kind in ``Markup``, and its
inline links, emphasis and code as standoff ``Mark``s over its plain text.

What scrapers emit as Markdown is mostly one block a line with no blank line between
(fast_html2md, mdka: a menu entry, a caption, a paragraph), which CommonMark joins into
one paragraph. So, as the text reader does, a paragraph is split back into its lines
unless the document is hard-wrapped (then its lines are one paragraph broken at a width).
A line that holds only images is an image entry (the builder makes it media with its
caption and address); images among words are dropped from the text. Every line the
blocks do not cover (blank lines, ``---``, link definitions) is an empty entry, which the
builder logs: the model accounts for every line exactly once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..decode import decode
from ..lines import Markup, wrap_width
from ..model import MarkKind, Metadata
from .entries import Entries, InlineText, clean_piece, image_label
from .layout import layout_text
from .metadata import detect_language

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from . import ReadOptions, Reading

_MARKS = {"em": MarkKind.EMPHASIS, "strong": MarkKind.STRONG}
_QUOTE, _BULLET = Markup("quote"), Markup("bullet")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported here: 'cleaner --version' stays fast

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def sniff_markdown(head: bytes) -> bool:
    """Markdown is not sniffed: any text is valid Markdown, and the text reader already
    takes "## " and "- " off lines. Choose it by suffix or ``--from md``."""
    return False


def read_markdown(data: bytes | str, options: ReadOptions) -> Reading:
    from . import Reading

    decoded = decode(data, max_bytes=options.max_bytes, fix_mojibake=options.fix_mojibake)
    text = layout_text(data, decoded)
    physical = text.split("\n") if text else []
    walker = _Walker(split_lines=wrap_width(physical) is None)
    walker.walk(_parser().parse(text))
    lines = walker.entries.finish(physical)
    language = detect_language([text for text, markup in zip(lines.texts, lines.markup) if markup is None or markup.kind != "image"])
    return Reading(lines, decoded.source, metadata=Metadata(language=language))


class _Walker:
    """Walks markdown-it's block tokens, keeping the containers (lists, quotes) open
    around the current block, and adds one entry per block (or per line, see above)."""

    def __init__(self, *, split_lines: bool) -> None:
        self.entries = Entries()
        self.split_lines = split_lines
        #: open containers: ("list", ordered) or ("quote", None)
        self.containers: list[tuple[str, bool | None]] = []
        #: the markup of each list item open around the current block (its number, depth)
        self.items: list[Markup] = []

    def walk(self, tokens: list[Token]) -> None:
        position = 0
        while position < len(tokens):
            token = tokens[position]
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                self.containers.append(("list", kind == "ordered_list_open"))
            elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
                self.containers.pop()
            elif kind == "blockquote_open":
                self.containers.append(("quote", None))
            elif kind == "list_item_open":
                self.items.append(self._item_markup(token))
            elif kind == "list_item_close":
                self.items.pop()
            elif kind in ("paragraph_open", "heading_open"):
                inline = tokens[position + 1]
                if kind == "heading_open" and not self.items:
                    markup = Markup("heading", int(token.tag[1]))
                else:
                    markup = self._block_markup()
                self._inline_block(inline, token.map, markup, lines=kind == "paragraph_open")
                position += 2
            elif kind in ("fence", "code_block"):
                code = token.content[:-1] if token.content.endswith("\n") else token.content
                language = token.info.split()[0] if token.info.strip() else None
                first, last = _span(token.map)
                self.entries.add(code, first, last, Markup("code", language=language))
            elif kind == "table_open":
                position = self._table(tokens, position)
            elif kind == "html_block":
                self._html_block(token)
            position += 1

    # -- containers ---------------------------------------------------------------------

    def _item_markup(self, token: Token) -> Markup:
        depth = sum(1 for kind, _ in self.containers if kind == "list") - 1
        ordered = next((flag for kind, flag in reversed(self.containers) if kind == "list"), False)
        if ordered:
            number = int(token.info) if token.info.isdigit() else 1
            return Markup("ordered", number, depth)
        return Markup("bullet", depth=depth)

    def _block_markup(self) -> Markup | None:
        """A list item's markup for the blocks inside it (all of them: a second paragraph
        of an item stays in the list), a quote's for blocks inside a quote."""
        if self.items:
            return self.items[-1]
        if self.containers and self.containers[-1][0] == "quote":
            return _QUOTE
        return None

    # -- blocks -------------------------------------------------------------------------

    def _inline_block(self, inline: Token, line_map, markup: Markup | None, *, lines: bool) -> None:
        """A paragraph or heading: one entry, or (a paragraph of a document that is not
        hard-wrapped) one entry per line, image-only lines as image entries."""
        first, last = _span(line_map)
        children = inline.children or []
        if not (lines and self.split_lines):
            text = InlineText()
            for child in children:
                _inline(child, text, images=False)
            value, marks = text.finish()
            if value:
                self.entries.add(value, first, last, markup, marks)
            return
        pending: list[tuple[int, list[Token]]] = []  # lines of one paragraph being gathered
        for offset, segment in enumerate(_lines_of(children)):
            number = first + offset
            image = _only_image(segment)
            if image is not None:
                self._lines(pending, markup)
                pending = []
                src, alt, title = image
                self.entries.add(image_label(alt, title, src), number, number, Markup("image", url=src or None))
            elif pending and _continues(pending[-1][1], segment):
                pending.append((number, segment))
            else:
                self._lines(pending, markup)
                pending = [(number, segment)]
        self._lines(pending, markup)

    def _lines(self, pending: list[tuple[int, list[Token]]], markup: Markup | None) -> None:
        """One entry for lines of a paragraph that belong together."""
        if not pending:
            return
        text = InlineText()
        for position, (_, segment) in enumerate(pending):
            if position:
                text.space()
            for child in segment:
                _inline(child, text, images=False)
        value, marks = text.finish()
        if value:
            self.entries.add(value, pending[0][0], pending[-1][0], markup, marks)

    def _table(self, tokens: list[Token], position: int) -> int:
        """A GFM table: its rows of cell texts; returns the position of ``table_close``."""
        opening = tokens[position]
        rows: list[tuple[str, ...]] = []
        row: list[str] = []
        header = False
        while position < len(tokens) and tokens[position].type != "table_close":
            token = tokens[position]
            if token.type == "thead_open":
                header = True
            elif token.type == "tr_open":
                row = []
            elif token.type == "tr_close":
                rows.append(tuple(row))
            elif token.type == "inline":
                text = InlineText()
                for child in token.children or []:
                    _inline(child, text, images=False)
                row.append(text.finish()[0])
            position += 1
        first, last = _span(opening.map)
        plain = "\n".join("\t".join(cells) for cells in rows)
        self.entries.add(plain, first, last, Markup("table", rows=tuple(rows), header=header))
        return position

    def _html_block(self, token: Token) -> None:
        """Raw HTML in Markdown: its visible text, if any, as a paragraph; script, style
        and comments never reach the model."""
        from .html import visible_text  # bs4 only when a document has raw HTML

        first, last = _span(token.map)
        text = visible_text(token.content)
        if text:
            self.entries.add(text, first, last, self._block_markup())


def _span(line_map) -> tuple[int, int]:
    """markdown-it's [begin, end) 0-based line map as a 1-based inclusive span."""
    begin, end = line_map
    return begin + 1, max(begin + 1, end)


def _lines_of(children: list[Token]) -> list[list[Token]]:
    """The inline tokens of a paragraph, cut at its line breaks."""
    segments: list[list[Token]] = [[]]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            segments.append([])
        else:
            segments[-1].append(child)
    return segments


def _plain(segment: list[Token]) -> str:
    return "".join(child.content for child in segment if child.type in ("text", "code_inline"))


def _continues(previous: list[Token], segment: list[Token]) -> bool:
    """A line goes on the paragraph of the line before when it starts in lower case, or
    when the line before is long and stops mid-sentence: an author's wrapped paragraph.
    A scraper's lines (a menu entry, a caption, a paragraph each) start anew."""
    before, line = _plain(previous).rstrip(), _plain(segment).lstrip()
    if not before or not line:
        return False
    if line[0].islower():
        return True
    return len(before) >= 50 and before[-1] not in ".!?:;\"'”’»)]"


def _only_image(segment: list[Token]) -> tuple[str, str, str] | None:
    """(src, alt, title) of the first image when a line holds images and nothing else
    (links around them and spaces aside), else None."""
    found = None
    for child in segment:
        if child.type == "image":
            if found is None:
                found = (child.attrs.get("src") or "", child.content, child.attrs.get("title") or "")
        elif child.type in ("link_open", "link_close") or child.type == "text" and not child.content.strip():
            continue
        elif child.type == "html_inline":
            continue
        else:
            return None
    return found


def _inline(child: Token, text: InlineText, *, images: bool) -> None:
    kind = child.type
    if kind == "text":
        text.add(child.content)
    elif kind == "code_inline":
        text.open(MarkKind.CODE)
        text.add(child.content)
        text.close(MarkKind.CODE)
    elif kind in ("softbreak", "hardbreak"):
        text.space()
    elif kind == "link_open":
        text.open(MarkKind.LINK, str(child.attrs.get("href") or "") or None)
    elif kind == "link_close":
        text.close(MarkKind.LINK)
    elif kind.endswith("_open") and kind[:-5] in _MARKS:
        text.open(_MARKS[kind[:-5]])
    elif kind.endswith("_close") and kind[:-6] in _MARKS:
        text.close(_MARKS[kind[:-6]])
    elif kind == "image" and images:
        text.add(clean_piece(child.content))
    # html_inline, strikethrough and images among words add nothing to the text
