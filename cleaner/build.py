"""Decisions → model: the builder is the only code that creates an ``Article``.

It walks the entries of one document in order with the decision the rule chain took on
each, and puts every entry in exactly one place: a body block, a gallery item, a media
placeholder, the author bio, or the removal log.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .decode import one_line
from .dates import text_date
from .lines import Markup
from .model import (
    Article,
    Author,
    Block,
    CodeBlock,
    Gallery,
    GalleryAnchor,
    GalleryItem,
    Heading,
    LineSpan,
    ListItem,
    Media,
    MediaType,
    Paragraph,
    Quote,
    Removal,
    RemovalKind,
    Table,
)
from .rules import Role, Scan
from .rules.author import byline_name

if TYPE_CHECKING:
    from .readers import Reading


def build(document: Scan, reading: Reading, title: str | None = None) -> Article:
    """Assemble the model from a scan's decisions. Every line lands in exactly one place.

    The title is ``title`` if given, else the one the source states (an HTML page's),
    else the headline the rules found; the author's name likewise comes from the source
    first, then a closing bio, then a byline."""
    marks = reading.lines.marks
    body: list[Block] = []
    media: list[Media] = []
    removed = _RemovalLog()
    items: list[list[GalleryItem]] = [[] for _ in document.galleries]
    anchors = {draft.first_line: number for number, draft in enumerate(document.galleries)}
    bio_lines: list[int] = []
    bio_texts: list[str] = []
    headline: str | None = None
    byline: str | None = None
    dateline: str | None = None

    for index, (text, decision) in enumerate(zip(document.lines, document.decisions)):
        first, last = document.spans[index]
        if index in anchors:
            body.append(GalleryAnchor(gallery=anchors[index]))
        if decision is None:
            markup = document.markup[index]
            if markup is not None and markup.kind == "image":
                # An image the source embeds (Markdown, HTML): media where it stood, its
                # alt text or title as the caption.
                media.append(Media(MediaType.IMAGE, text, len(body), LineSpan(first, last), text or None, markup.credit, markup.url))
            elif text:
                body.append(_text_block(text, LineSpan(first, last), document.markup[index], marks[index] if marks else ()))
            else:
                removed.add(RemovalKind.BLANK, "layout", first, last, text, "blank line")
            continue
        role = decision.role
        if role is Role.REMOVED:
            removed.add(decision.kind, decision.rule, first, last, document.raw[index], decision.reason)
            if decision.kind is RemovalKind.HEADLINE and headline is None:
                headline = text
            elif decision.kind is RemovalKind.BYLINE and byline is None:
                byline = byline_name(text)
                dateline = dateline or text_date(text)  # "By Jane Doe, 17 October 2016"
            elif decision.kind is RemovalKind.DATELINE and dateline is None:
                dateline = text_date(text)
            continue
        span = LineSpan(first, last)
        if role is Role.GALLERY_ITEM:
            detail = decision.detail
            markup = document.markup[index]
            url = markup.url if markup is not None and markup.kind == "image" else None  # a numbered image
            items[detail.gallery].append(GalleryItem(detail.index, detail.caption, detail.credit, span, url))
        elif role is Role.MEDIA:
            detail = decision.detail
            media.append(Media(detail.type, detail.label, len(body), span, detail.caption, detail.credit))
        elif role is Role.AUTHOR_BIO:
            bio_lines.extend(span.numbers())
            bio_texts.append(text)
        else:  # pragma: no cover - a new Role must be handled here
            raise AssertionError(f"unhandled role {role}")

    galleries = tuple(
        Gallery(draft.title, draft.declared_count, tuple(found), LineSpan(document.spans[draft.first_line][0], document.spans[draft.last_line][1]))
        for draft, found in zip(document.galleries, items)
    )
    name = reading.author or document.author_name or byline
    if bio_lines:
        author = Author(name, "\n\n".join(bio_texts), tuple(bio_lines))
    else:
        # A byline names the author even without a bio (the byline line stays in the log).
        author = Author(name, None) if name else None
    if title is None:
        title = reading.title if reading.title is not None else headline
    metadata = reading.metadata
    if metadata.published is None and dateline is not None:
        metadata = replace(metadata, published=dateline)  # the source's own date line
    return Article(
        title=None if title is None else one_line(title),  # one line of text, whoever gives it (--title, the source)
        body=tuple(body),
        galleries=galleries,
        media=tuple(media),
        author=author,
        removed=removed.finish(),
        source=reading.source,
        metadata=metadata,
        notes=tuple(document.notes),
    )


def _text_block(text: str, span: LineSpan, markup: Markup | None, marks: tuple) -> Block:
    if markup is None or markup.kind == "outside":  # "outside": main_content was disabled
        return Paragraph(text=text, lines=span, marks=marks)
    kind = markup.kind
    if kind == "heading":
        return Heading(text=text, lines=span, level=markup.number, marks=marks)
    if kind == "quote":
        return Quote(text=text, lines=span, marks=marks)
    if kind == "ordered":
        return ListItem(text=text, lines=span, ordered=True, number=markup.number, depth=markup.depth, marks=marks)
    if kind == "bullet":
        return ListItem(text=text, lines=span, depth=markup.depth, marks=marks)
    if kind == "code":
        return CodeBlock(text=text, lines=span, language=markup.language)
    if kind == "table":
        return Table(rows=markup.rows, lines=span, header=markup.header)
    raise AssertionError(f"unhandled block kind {kind!r}")  # pragma: no cover - a reader's new kind must be handled here


class _RemovalLog:
    """Collects removed lines, folding consecutive lines removed for the same reason
    into one entry (a run of 40 blank lines is one entry, not 40)."""

    def __init__(self) -> None:
        self.entries: list[Removal] = []
        self._run: list[str] = []
        self._key: tuple[RemovalKind, str, str] | None = None
        self._first = self._last = 0

    def add(self, kind: RemovalKind, rule: str, first: int, last: int, text: str, reason: str) -> None:
        key = (kind, rule, reason)
        if key != self._key or first != self._last + 1:
            self._flush()
            self._key, self._first = key, first
        self._run.append(text)
        self._last = last

    def _flush(self) -> None:
        if self._key is not None:
            kind, rule, reason = self._key
            self.entries.append(Removal(kind, rule, LineSpan(self._first, self._last), "\n".join(self._run), reason))
        self._run = []
        self._key = None

    def finish(self) -> tuple[Removal, ...]:
        self._flush()
        return tuple(self.entries)
