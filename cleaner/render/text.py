"""Plain text: paragraphs separated by one blank line.

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
    blocks: list[str] = []
    if article.title and not body_only:
        blocks.append(article.title)
    for block in layout(article.body):
        if isinstance(block, GalleryAnchor):
            if not body_only:
                blocks.append(_gallery(article, block.gallery))
        elif isinstance(block, ListGroup):
            blocks.append("\n".join(_list_lines(block, "")))
        elif isinstance(block, Quote):
            blocks.append(f"> {block.text}")
        else:
            blocks.append(block.text)
    if article.author and article.author.bio and not body_only:
        blocks.append(article.author.bio)
    return "\n\n".join(block for block in blocks if block) + ("\n" if blocks else "")


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
