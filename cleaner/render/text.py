"""Plain text: paragraphs separated by one blank line.

The body-only form (for text corpora) keeps the source's own breaks instead: blocks that
stood on consecutive lines (one paragraph a line, as most extractors write) stay one line
break apart, the others a blank line. So it is the input's lines that are content, in
order, whitespace normalised: never longer than the input.

The full form is itself clean input: cleaning it again gives the same article. The
gallery is written as a title line with its photo count and a numbered list of captions
("In pictures: Mosul offensive (22 photos)", "1. caption (Photo: Getty)"), a shape the
gallery rule reads back, with no "k/N" widget counters. Inline marks are dropped: the
text is the text.

Images are left out, as video labels are (Markdown and HTML show them where they stood):
a caption is the kind of line cleaning takes out of the text, and once the lines around
it are gone, a second cleaning can read it as something else (a gallery's item, a
headline), so the text would not clean to itself. The fuzz harness found that at once.
"""

from __future__ import annotations

from ..model import Article, GalleryAnchor, Quote
from . import RenderOptions
from .layout import ListGroup, layout


def render_text(article: Article, options: RenderOptions = RenderOptions()) -> str:
    body_only = options.body_only
    if body_only:
        return _body_text(article)
    blocks: list[str] = []
    if article.title and not body_only:
        blocks.append(article.title)
    for block in layout(article.body):
        if isinstance(block, GalleryAnchor):
            if not body_only:
                blocks.append(_gallery(article, block.gallery))
        else:
            blocks.append(_block_text(block))
    if article.author and article.author.bio and not body_only:
        blocks.append(article.author.bio)
    return "\n\n".join(block for block in blocks if block) + ("\n" if blocks else "")


def _block_text(block) -> str:
    if isinstance(block, ListGroup):
        return "\n".join(_list_lines(block, ""))
    if isinstance(block, Quote):
        return f"> {block.text}"
    return block.text


def _body_text(article: Article) -> str:
    """The body's text blocks, each as far from the last as in the source: a line break
    when it began on the line after the last one ended, else a blank line."""
    parts: list[str] = []
    previous_last: int | None = None
    for block in layout(article.body):
        if isinstance(block, GalleryAnchor):
            continue
        text = _block_text(block)
        if not text:
            continue
        first, last = _span(block)
        if parts:
            parts.append("\n" if previous_last is not None and first == previous_last + 1 else "\n\n")
        parts.append(text)
        previous_last = last
    return "".join(parts) + ("\n" if parts else "")


def _span(block) -> tuple[int, int]:
    """First and last source line of a block, or of a list with everything nested in it."""
    if isinstance(block, ListGroup):
        items = list(_items(block))
        return items[0].lines.first, max(item.lines.last for item in items)
    return block.lines.first, block.lines.last


def _items(group: ListGroup):
    for entry in group.entries:
        yield entry.item
        for child in entry.children:
            yield from _items(child)


def _list_lines(group: ListGroup, indent: str) -> list[str]:
    lines = []
    for entry in group.entries:
        marker = f"{entry.number}. " if group.ordered else "- "
        lines.append(f"{indent}{marker}{entry.item.text}")
        for child in entry.children:
            lines.extend(_list_lines(child, indent + "  "))
    return lines


def caption_line(caption: str | None, credit: str | None) -> str:
    """A photo's caption and credit as one line: "caption (Photo: credit)"."""
    return " ".join(filter(None, [caption, f"(Photo: {credit})" if credit else None]))


def _gallery(article: Article, number: int) -> str:
    gallery = article.galleries[number]
    count = gallery.declared_count or len(gallery.items)
    title = f": {gallery.title}" if gallery.title else ""
    lines = [f"In pictures{title} ({count} photos)"]
    for item in gallery.items:
        lines.append(f"{item.index}. {caption_line(item.caption, item.credit)}")
    return "\n".join(lines)
