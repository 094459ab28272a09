"""CommonMark. Every piece of scraped text is escaped so that a CommonMark parser reads it
back as exactly the model's text: "1. caption", "*", "#", "<b>" and "[x](y)" stay literal.
"""

from __future__ import annotations

import re

from ..model import Article, Gallery, GalleryAnchor, Heading, ListItem, Quote
from . import add_list_item

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


def render_markdown(article: Article, *, body_only: bool = False) -> str:
    parts: list[str] = []
    if article.title and not body_only:
        parts.append(f"# {escape(article.title)}")
    if not body_only and article.author and article.author.name and not article.author.bio:
        parts.append(f"*By {escape(article.author.name)}*")
    counter = 0
    for position, block in enumerate(article.body):
        if isinstance(block, GalleryAnchor):
            if not body_only:
                parts.append(_gallery(article.galleries[block.gallery]))
        elif isinstance(block, Heading):
            parts.append(f"{'#' * min(6, max(2, block.level))} {escape(block.text)}")
        elif isinstance(block, Quote):
            parts.append(f"> {escape(block.text)}")
        elif isinstance(block, ListItem):
            counter = add_list_item(parts, article.body, position, counter, escape(block.text))
        else:
            parts.append(escape(block.text))
    if article.author and article.author.bio and not body_only:
        parts.append("---")
        parts.extend(escape(paragraph) for paragraph in article.author.bio.split("\n\n"))
    return "\n\n".join(parts) + ("\n" if parts else "")


def _gallery(gallery: Gallery) -> str:
    heading = f"## Gallery: {escape(gallery.title)}" if gallery.title else "## Gallery"
    shown, declared = len(gallery.items), gallery.declared_count
    count = f"*{shown} of {declared} photos*" if declared and declared != shown else f"*{shown} photos*"
    items = []
    for item in gallery.items:
        credit = f" *({escape(item.credit)})*" if item.credit else ""
        items.append(f"{item.index}. {escape(item.caption)}{credit}")
    return "\n\n".join([heading, count, "\n".join(items)])
