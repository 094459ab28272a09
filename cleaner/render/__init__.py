"""Renderers: functions of the model only. None of them sees raw input or rule state."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from ..errors import UsageError
from ..model import Article


class Format(StrEnum):
    MD = "md"
    HTML = "html"
    TXT = "txt"
    JSON = "json"


#: File suffixes that imply a format (for ``-o out.html`` without ``--to``).
SUFFIXES = {".md": Format.MD, ".markdown": Format.MD, ".html": Format.HTML, ".htm": Format.HTML, ".txt": Format.TXT, ".text": Format.TXT, ".json": Format.JSON}


def add_list_item(parts: list[str], body, position: int, previous_number: int, text: str) -> int:
    """Write the list item at ``body[position]`` (its ``text`` already formatted) into
    ``parts``: consecutive items form one tight list, one per line, under one part.
    Returns the item's number, to pass on to the next item. Shared by the Markdown and
    text renderers; ordered items keep the source's numbering."""
    block = body[position]
    previous = body[position - 1] if position else None
    continued = getattr(previous, "type", None) == "list_item" and previous.ordered == block.ordered
    number = previous_number + 1 if continued else 1
    if block.number is not None:
        number = block.number
    item = f"{number}. {text}" if block.ordered else f"- {text}"
    if continued:
        parts[-1] += "\n" + item
    else:
        parts.append(item)
    return number


def parse_format(name: str) -> Format:
    try:
        return Format(name.lower().lstrip("."))
    except ValueError:
        raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(f.value for f in Format)}") from None


def render(
    article: Article,
    fmt: str | Format = Format.MD,
    *,
    body_only: bool = False,
    standalone: bool = True,
    template_dir: str | Path | None = None,
) -> str:
    """Render an article as Markdown, HTML, plain text or JSON.

    ``body_only`` keeps just the body's text blocks (no title, gallery or bio): the form
    for building text corpora. ``standalone`` (HTML) gives a full page with built-in CSS
    rather than a fragment; ``template_dir`` replaces the built-in HTML templates.
    """
    fmt = parse_format(fmt) if isinstance(fmt, str) else fmt
    if fmt is Format.MD:
        from .markdown import render_markdown

        return render_markdown(article, body_only=body_only)
    if fmt is Format.HTML:
        from .html import render_html

        return render_html(article, body_only=body_only, standalone=standalone, template_dir=template_dir)
    if fmt is Format.TXT:
        from .text import render_text

        return render_text(article, body_only=body_only)
    if body_only:
        raise UsageError("--body-only applies to md, html and txt; JSON is always the whole model")
    from .json import render_json

    return render_json(article)


__all__ = ["Format", "SUFFIXES", "parse_format", "render"]
