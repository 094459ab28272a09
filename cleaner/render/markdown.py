"""CommonMark. Every piece of scraped text is escaped so that a CommonMark parser reads it
back as exactly the model's text: "1. caption", "*", "#", "<b>" and "[x](y)" stay literal.
"""

from __future__ import annotations

import re

from ..model import Article, CodeBlock, Gallery, GalleryAnchor, Heading, Quote, Table
from . import RenderOptions
from .layout import ListGroup, layout

# Characters with inline meaning anywhere in a line. Underscores inside a word cannot open
# or close emphasis in CommonMark, so only those at a word edge are escaped (readability).
# Trailing '#'s would close an ATX heading: the run is matched once, from its first '#'
# (possessively), so a long run costs linear time, not quadratic.
_INLINE = re.compile(r"[\\`*\[\]<>|~]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)|(?<!#)#++$")
# Characters with block meaning at the start of a line.
_LINE_START = re.compile(r"^(?:([#>+=\-])|(\d{1,9})([.)]))")


def escape(text: str) -> str:
    """Backslash-escape ``text`` so it renders literally in CommonMark."""
    text = _INLINE.sub(_escape_inline, text)
    return _LINE_START.sub(_escape_start, text)


def _escape_inline(match: re.Match[str]) -> str:
    return "".join("\\" + character for character in match.group(0))


def _escape_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def render_markdown(article: Article, options: RenderOptions = RenderOptions()) -> str:
    body_only = options.body_only
    parts: list[str] = []
    if article.title and not body_only:
        parts.append(f"# {escape(article.title)}")
    if not body_only and article.author and article.author.name and not article.author.bio:
        parts.append(f"*By {escape(article.author.name)}*")
    for block in layout(article.body):
        if isinstance(block, GalleryAnchor):
            if not body_only:
                parts.append(_gallery(article.galleries[block.gallery]))
        elif isinstance(block, ListGroup):
            parts.append("\n".join(_list_lines(block, "")))
        elif isinstance(block, Heading):
            parts.append(f"{'#' * min(6, max(2, block.level))} {escape(block.text)}")
        elif isinstance(block, Quote):
            parts.append(f"> {escape(block.text)}")
        elif isinstance(block, CodeBlock):
            parts.append(_code(block))
        elif isinstance(block, Table):
            parts.append(_table(block))
        else:
            parts.append(escape(block.text))
    if article.author and article.author.bio and not body_only:
        parts.append("---")
        parts.extend(escape(paragraph) for paragraph in article.author.bio.split("\n\n"))
    return "\n\n".join(parts) + ("\n" if parts else "")


def _list_lines(group: ListGroup, indent: str) -> list[str]:
    """A tight list, one item a line; nested lists indented under their item by the width
    of its marker, as CommonMark wants."""
    lines = []
    for entry in group.entries:
        marker = f"{entry.number}. " if group.ordered else "- "
        lines.append(f"{indent}{marker}{escape(entry.item.text)}")
        for child in entry.children:
            if child.ordered and child.start != 1:
                # Only a list that starts at 1 may interrupt a paragraph (CommonMark):
                # any other would read as the item's text running on.
                lines.append("")
            lines.extend(_list_lines(child, indent + " " * len(marker)))
    return lines


def _code(block: CodeBlock) -> str:
    """A fenced code block, its fence longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", block.text)), default=0)
    fence = "`" * max(3, longest + 1)
    language = (block.language or "").split()[0] if block.language else ""
    return f"{fence}{language}\n{block.text}\n{fence}"


def _table(block: Table) -> str:
    """A pipe table (GFM); a table without a header row gets an empty one, which is the
    only way GFM can write it."""
    width = max((len(row) for row in block.rows), default=0)
    if not width:
        return ""
    rows = [list(row) + [""] * (width - len(row)) for row in block.rows]
    header = rows.pop(0) if block.header else [""] * width

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(escape(" ".join(cell.split())) for cell in cells) + " |"

    return "\n".join([line(header), "|" + "---|" * width, *(line(row) for row in rows)])


def _gallery(gallery: Gallery) -> str:
    heading = f"## Gallery: {escape(gallery.title)}" if gallery.title else "## Gallery"
    shown, declared = len(gallery.items), gallery.declared_count
    count = f"*{shown} of {declared} photos*" if declared and declared != shown else f"*{shown} photos*"
    items = []
    for item in gallery.items:
        credit = f" *({escape(item.credit)})*" if item.credit else ""
        items.append(f"{item.index}. {escape(item.caption)}{credit}")
    return "\n\n".join([heading, count, "\n".join(items)])
