"""Renderers: functions of the model only. None of them sees raw input or rule state.

``RENDERERS`` is the table of output formats. Each entry names the module and function
that renders it, imported on first use (so that converting to Markdown never imports
Jinja2), the file suffixes that imply it, and whether its output is text or bytes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..errors import UsageError
from ..model import Article


class Format(StrEnum):
    MD = "md"
    HTML = "html"
    TXT = "txt"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render, beyond the format. ``body_only``: just the body's text blocks (no
    title, gallery or bio), the form for text corpora. ``standalone`` (HTML): a full page
    with built-in CSS rather than a fragment. ``template_dir`` (HTML): the user's own
    templates, in front of the built-in ones."""

    body_only: bool = False
    standalone: bool = True
    template_dir: Path | None = None


@dataclass(frozen=True, slots=True)
class Renderer:
    format: Format
    summary: str
    suffixes: tuple[str, ...]
    #: "module:function" of ``render(article, options) -> str | bytes``, imported on first use
    target: str
    #: whether --body-only applies
    body_only: bool = True

    def function(self) -> Callable[[Article, RenderOptions], str | bytes]:
        module, name = self.target.split(":")
        return getattr(importlib.import_module(module), name)


RENDERERS: dict[Format, Renderer] = {
    renderer.format: renderer
    for renderer in (
        Renderer(Format.MD, "CommonMark Markdown", (".md", ".markdown"), "cleaner.render.markdown:render_markdown"),
        Renderer(Format.HTML, "an HTML5 page (or fragment) from Jinja2 templates", (".html", ".htm"), "cleaner.render.html:render_html"),
        Renderer(Format.TXT, "plain text, paragraphs separated by a blank line", (".txt", ".text"), "cleaner.render.text:render_text"),
        Renderer(Format.JSON, "the model itself (see 'cleaner schema')", (".json",), "cleaner.render.json:render_article_json", body_only=False),
    )
}

#: File suffixes that imply a format (for ``-o out.html`` without ``--to``).
SUFFIXES = {suffix: renderer.format for renderer in RENDERERS.values() for suffix in renderer.suffixes}


def format_names() -> str:
    return ", ".join(fmt.value for fmt in RENDERERS)


def parse_format(name: str) -> Format:
    try:
        fmt = Format(name.lower().lstrip("."))
    except ValueError:
        fmt = None
    if fmt not in RENDERERS:
        raise UsageError(f"unknown format {name!r}; choose one of: {format_names()}")
    return fmt


def render(
    article: Article,
    fmt: str | Format = Format.MD,
    *,
    body_only: bool = False,
    standalone: bool = True,
    template_dir: str | Path | None = None,
) -> str | bytes:
    """Render an article in one of the ``RENDERERS`` formats (Markdown, HTML, plain text,
    JSON): text for all of these, bytes for binary formats.

    ``body_only`` keeps just the body's text blocks (no title, gallery or bio): the form
    for building text corpora. ``standalone`` (HTML) gives a full page with built-in CSS
    rather than a fragment; ``template_dir`` replaces the built-in HTML templates.
    """
    renderer = RENDERERS[parse_format(fmt) if isinstance(fmt, str) else fmt]
    if body_only and not renderer.body_only:
        raise UsageError(f"--body-only does not apply to {renderer.format.value}: it is always the whole model")
    options = RenderOptions(body_only, standalone, None if template_dir is None else Path(template_dir))
    return renderer.function()(article, options)


__all__ = ["RENDERERS", "Format", "RenderOptions", "Renderer", "SUFFIXES", "format_names", "parse_format", "render"]
