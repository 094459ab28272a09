"""Renderers: functions of the model only. None of them sees raw input or rule state.

``RENDERERS`` is the table of output formats. Each entry names the module and function
that renders it, imported on first use (so that converting to Markdown never imports
Jinja2), the file suffixes that imply it, whether its output is text or bytes, and the
key its text has in a batch's JSONL output.
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
    EPUB = "epub"


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How to render, beyond the format. ``body_only``: just the body's text blocks (no
    title, gallery, figures or bio), the form for text corpora. ``standalone`` (HTML): a
    full page with built-in CSS rather than a fragment. ``template_dir`` (HTML, EPUB): the
    user's own templates, in front of the built-in ones. ``stylesheet`` (HTML, EPUB): CSS
    text added after the built-in stylesheet (``--css FILE``). ``front_matter``
    (Markdown): a YAML header with title, author, date… ``home`` (HTML): a relative link
    back to a site's index, for the pages of ``batch --site``."""

    body_only: bool = False
    standalone: bool = True
    template_dir: Path | None = None
    stylesheet: str | None = None
    front_matter: bool = False
    home: str | None = None


@dataclass(frozen=True, slots=True)
class Renderer:
    format: Format
    summary: str
    suffixes: tuple[str, ...]
    #: "module:function" of ``render(article, options) -> str | bytes``, imported on first use
    target: str
    #: whether --body-only applies
    body_only: bool = True
    #: whether the output is bytes (a file format), not text
    binary: bool = False
    #: the key of this format's output in a batch's JSONL records
    jsonl_key: str = ""

    def function(self) -> Callable[[Article, RenderOptions], str | bytes]:
        module, name = self.target.split(":")
        return getattr(importlib.import_module(module), name)


RENDERERS: dict[Format, Renderer] = {
    renderer.format: renderer
    for renderer in (
        Renderer(Format.MD, "CommonMark Markdown", (".md", ".markdown"), "cleaner.render.markdown:render_markdown", jsonl_key="markdown"),
        Renderer(Format.HTML, "an HTML5 page (or fragment) from Jinja2 templates", (".html", ".htm"), "cleaner.render.html:render_html", jsonl_key="html"),
        Renderer(Format.TXT, "plain text, paragraphs separated by a blank line", (".txt", ".text"), "cleaner.render.text:render_text", jsonl_key="text"),
        Renderer(Format.JSON, "the model itself (see 'cleaner schema')", (".json",), "cleaner.render.json:render_article_json", body_only=False, jsonl_key="article"),
        Renderer(Format.EPUB, "an EPUB 3 e-book (one article; 'batch --book' for many)", (".epub",), "cleaner.render.epub:render_epub", body_only=False, binary=True),
    )
}

#: File suffixes that imply a format (for ``-o out.html`` without ``--to``).
SUFFIXES = {suffix: renderer.format for renderer in RENDERERS.values() for suffix in renderer.suffixes}


def format_names() -> str:
    return ", ".join(fmt.value for fmt in RENDERERS)


def format_help() -> str:
    """Every format with what it is, for ``--help``."""
    return "; ".join(f"{renderer.format.value}: {renderer.summary}" for renderer in RENDERERS.values())


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
    stylesheet: str | None = None,
    front_matter: bool = False,
) -> str | bytes:
    """Render an article in one of the ``RENDERERS`` formats (Markdown, HTML, plain text,
    JSON, EPUB): text, or bytes for EPUB.

    ``body_only`` keeps just the body's text blocks (no title, gallery or bio): the form
    for building text corpora. ``standalone`` (HTML) gives a full page with built-in CSS
    rather than a fragment; ``template_dir`` puts your templates in front of the
    built-in ones (HTML, EPUB); ``stylesheet`` adds CSS after the built-in (HTML, EPUB);
    ``front_matter`` starts Markdown with a YAML header (title, author, date…).
    """
    renderer = RENDERERS[parse_format(fmt) if isinstance(fmt, str) else fmt]
    options = RenderOptions(body_only, standalone, None if template_dir is None else Path(template_dir), stylesheet, front_matter)
    return render_with(article, renderer.format, options)


def render_with(article: Article, fmt: Format, options: RenderOptions) -> str | bytes:
    """Render with options already gathered (the CLI and batch workers hold theirs)."""
    renderer = RENDERERS[fmt]
    if options.body_only and not renderer.body_only:
        raise UsageError(f"--body-only does not apply to {renderer.format.value}: it is always the whole article")
    return renderer.function()(article, options)


__all__ = ["RENDERERS", "Format", "RenderOptions", "Renderer", "SUFFIXES", "format_help", "format_names", "parse_format", "render", "render_with"]
