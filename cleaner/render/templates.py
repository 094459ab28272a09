"""The built-in templates, listed once: what ``cleaner templates`` shows and ``--dump``
writes out, so that a ``--template-dir`` can start from a copy instead of a dig through
site-packages."""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError, UsageError
from ..io import write_atomic
from .html import builtin_template_dir

#: Every built-in template and stylesheet, with what it renders (paths under the template directory).
TEMPLATES: tuple[tuple[str, str], ...] = (
    ("page.html.j2", "HTML: the standalone page around the article (<head>, site navigation)"),
    ("article.html.j2", "HTML and EPUB: the article (header, text, figures, gallery, bio)"),
    ("style.css", "HTML: the built-in stylesheet (light, dark, print), also the site's"),
    ("epub/chapter.xhtml.j2", "EPUB: one article as an XHTML chapter (includes article.html.j2)"),
    ("epub/nav.xhtml.j2", "EPUB: the table of contents"),
    ("epub/package.opf.j2", "EPUB: the package document (metadata, files, reading order)"),
    ("epub/style.css", "EPUB: the book's stylesheet"),
    ("site/index.html.j2", "batch --site: a page of the index (newest first)"),
    ("site/feed.xml.j2", "batch --site: the Atom feed"),
)


def template_files() -> tuple[tuple[str, str], ...]:
    return TEMPLATES


def dump_templates(directory: Path, *, overwrite: bool = False) -> list[str]:
    """Copy every built-in template into ``directory``; refuses to overwrite a file there
    unless ``overwrite`` (checked for all of them before anything is written)."""
    source = builtin_template_dir()
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"--dump {directory}: exists and is not a directory")
    if not overwrite:
        existing = [name for name, _ in TEMPLATES if (directory / name).exists()]
        if existing:
            raise UsageError(f"{directory} already has {', '.join(existing)}; add --force to overwrite")
    for name, _ in TEMPLATES:
        write_atomic(directory / name, (source / name).read_bytes())
    return [name for name, _ in TEMPLATES]
