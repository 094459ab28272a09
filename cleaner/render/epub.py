"""EPUB 3: one article (``--to epub``), or many as one book (``batch --book``).

Built with the standard library's ``zipfile`` and the same Jinja2 templates as the HTML
page (ebooklib is AGPL): each article is an XHTML chapter that includes
``article.html.j2``; ``epub/nav.xhtml.j2`` is the table of contents and
``epub/package.opf.j2`` the package document. A ``BookWriter`` streams chapters into the
archive one by one, so a book of ten thousand articles never sits in memory.

XML is stricter than HTML: the templates render in an overlay of the HTML environment
that drops the characters XML forbids (C0 controls, U+FFFE, U+FFFF, lone surrogates)
from every value, and a user's templates are checked to produce well-formed XML. Remote
images are not shown (an EPUB may only show images it contains, and cleaner never
fetches); their captions and credits are.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import time
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

from jinja2 import Environment
from markupsafe import Markup

from ..errors import UsageError
from ..model import Article
from . import RenderOptions
from .context import UNDETERMINED, display_title, language, published, source_link
from .html import check_template_dir, environment, html_context, inline_html, render_template

CHAPTER = "epub/chapter.xhtml.j2"
NAV = "epub/nav.xhtml.j2"
PACKAGE = "epub/package.opf.j2"
STYLESHEET = "epub/style.css"
MIMETYPE = b"application/epub+zip"
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""
# Every entry gets the same timestamp: the same articles give the same bytes (with
# SOURCE_DATE_EPOCH set, including the package's modification date).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Characters XML 1.0 does not allow, whatever the escaping.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """The templates' ``finalize``: every value without the characters XML forbids."""
    if isinstance(value, Markup):
        return Markup(_NOT_XML.sub("", value))
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    return value


@lru_cache(maxsize=8)
def xml_environment(template_dir: str | None) -> Environment:
    """The HTML environment (sandboxed for user templates, autoescaped), for XML: values
    cleaned of XML's forbidden characters, no remote images, no relative links. Its own
    template cache: a template compiled without ``finalize`` would not apply it."""
    pages = environment(template_dir)
    overlay = pages.overlay(finalize=xml_text, cache_size=400)
    overlay.filters = {
        **pages.filters,
        # A relative link would point inside the book: it goes, its text stays.
        "inline": functools.partial(inline_html, relative=False),
        "image_url": lambda url, base=None: None,
    }
    return overlay


@dataclass(frozen=True, slots=True)
class Chapter:
    """An article ready to go into a book: its XHTML and what the contents say about it."""

    title: str
    language: str
    xhtml: str
    author: str | None = None
    #: the publication date, ISO 8601 (for a one-article book's dc:date)
    date: str | None = None
    source: str | None = None


def chapter(article: Article, options: RenderOptions = RenderOptions()) -> Chapter:
    """One article as an EPUB chapter (batch workers call this for ``--book``)."""
    template_dir = options.template_dir
    templates = xml_environment(check_template_dir(template_dir))
    context = html_context(article, RenderOptions(template_dir=template_dir))
    xhtml = render_template(templates, CHAPTER, template_dir, user_stylesheet=bool(options.stylesheet), **context)
    if template_dir is not None:
        _check_well_formed(xhtml, template_dir)
    when = published(article)
    source = source_link(article)
    return Chapter(
        title=display_title(article),
        language=language(article),
        xhtml=xhtml,
        author=article.author.name if article.author and article.author.name else None,
        date=when.iso[:10] if when and when.iso else None,
        source=source.url if source else None,
    )


def _check_well_formed(xhtml: str, template_dir: Path) -> None:
    try:
        ElementTree.fromstring(xhtml.encode("utf-8"))
    except ElementTree.ParseError as error:
        reason = str(error).split(":")[0]
        line, column = error.position
        raise UsageError(
            f"the templates in {template_dir} give an EPUB chapter that is not well-formed XML ({reason}, line {line}, column {column}):"
            " close every element, quote every attribute, and use no HTML entities such as &nbsp;"
        ) from None


def render_epub(article: Article, options: RenderOptions = RenderOptions()) -> bytes:
    """The renderer table's entry: one article as an EPUB 3 book."""
    buffer = io.BytesIO()
    book = BookWriter(buffer, title=display_title(article), template_dir=options.template_dir, stylesheet=options.stylesheet)
    one = chapter(article, options)
    book.add(one)
    book.finish(creator=one.author, date=one.date, source=one.source)
    return buffer.getvalue()


def render_book(articles: Iterable[Article], target: BinaryIO, *, title: str, options: RenderOptions = RenderOptions()) -> int:
    """Many articles as one book with a table of contents; returns the chapter count."""
    book = BookWriter(target, title=title, template_dir=options.template_dir, stylesheet=options.stylesheet)
    for article in articles:
        book.add(chapter(article, options))
    book.finish(contents_page=True)
    return len(book.chapters)


@dataclass(frozen=True, slots=True)
class _Entry:
    id: str
    href: str
    title: str


class BookWriter:
    """Writes an EPUB into ``target`` (a binary file) chapter by chapter; ``finish`` adds
    the stylesheets, the table of contents and the package document, and closes it."""

    def __init__(self, target: BinaryIO, *, title: str, template_dir: Path | None = None, stylesheet: str | None = None) -> None:
        self.title = title
        self.template_dir = template_dir
        self.stylesheet = stylesheet
        self.templates = xml_environment(check_template_dir(template_dir))
        self.chapters: list[_Entry] = []
        self.languages: Counter[str] = Counter()
        self._digest = hashlib.sha256(title.encode("utf-8", "surrogatepass"))
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        # The mimetype comes first and uncompressed: that is how readers recognise an EPUB.
        self._write("mimetype", MIMETYPE, compress=False)
        self._write("META-INF/container.xml", CONTAINER.encode("utf-8"))

    def _write(self, name: str, data: bytes, *, compress: bool = True) -> None:
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        self._zip.writestr(info, data)

    def add(self, chapter: Chapter) -> None:
        number = len(self.chapters) + 1
        entry = _Entry(f"chapter-{number:05d}", f"text/chapter-{number:05d}.xhtml", chapter.title)
        data = chapter.xhtml.encode("utf-8")
        self._write(f"EPUB/{entry.href}", data)
        self._digest.update(data)
        self.chapters.append(entry)
        self.languages[chapter.language] += 1

    def finish(self, *, creator: str | None = None, date: str | None = None, source: str | None = None, contents_page: bool = False) -> None:
        # The book's language is its articles' most common; the others are listed after it.
        languages = [tag for tag, _ in self.languages.most_common() if tag != UNDETERMINED] or [UNDETERMINED]
        book = {
            "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'cleaner:' + self._digest.hexdigest())}",
            "title": self.title,
            "language": languages[0],
            "languages": languages,
            "creator": creator,
            "date": date,
            "source": source,
            "modified": _modified(),
            "contents_page": contents_page,
            "user_stylesheet": bool(self.stylesheet),
        }
        css = self.templates.loader.get_source(self.templates, STYLESHEET)[0]
        self._write("EPUB/style.css", css.encode("utf-8"))
        if self.stylesheet:
            self._write("EPUB/user.css", self.stylesheet.encode("utf-8"))
        for name, target in ((NAV, "EPUB/nav.xhtml"), (PACKAGE, "EPUB/package.opf")):
            text = render_template(self.templates, name, self.template_dir, book=book, chapters=self.chapters)
            self._write(target, text.encode("utf-8"))
        self._zip.close()


def _modified() -> str:
    """The package's dcterms:modified: now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = int(epoch) if epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))
