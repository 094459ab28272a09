"""Decisions → model: the builder is the only code that creates an ``Article``.

It walks the entries of one document in order with the decision the rule chain took on
each, and puts every entry in exactly one place: a body block, a gallery item, a media
placeholder, the author bio, or the removal log.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from .decode import one_line
from .dates import is_update_line, text_date
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


@contextmanager
def _collector_paused():
    """The cyclic garbage collector, paused while the model is built. The model holds no
    reference cycles (frozen dataclasses of tuples and strings), and a long document's
    makes millions of objects, which every collection traversed again for nothing: 45% of
    build's time on a million lines. Reference counting frees memory as usual, and the
    collector runs again as soon as the model is made (unless it was off before)."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@_collector_paused()
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
    bio_name: str | None = None
    headline: str | None = None
    byline: str | None = None
    dateline: str | None = None
    updated: str | None = None

    for index, (text, decision, markup, (first, last)) in enumerate(zip(document.lines, document.decisions, document.markup, document.spans)):
        if last == first:
            last = first  # one int object for a one-line span, not two: 32 bytes a line of the model
        if anchors and index in anchors:
            body.append(GalleryAnchor(gallery=anchors[index]))
        if decision is None:
            if markup is not None and markup.kind == "image":
                # An image the source embeds (Markdown, HTML): media where it stood, its
                # alt text or title as the caption.
                media.append(Media(MediaType.IMAGE, text, len(body), LineSpan(first, last), text or None, markup.credit, markup.url))
            elif text:
                body.append(_text_block(text, LineSpan(first, last), markup, marks[index] if marks else ()))
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
            elif decision.kind is RemovalKind.DATELINE:
                if is_update_line(text):  # "Last updated: 4 Nov 2025" is not the publication date
                    updated = updated or text_date(text)
                elif dateline is None:
                    dateline = text_date(text)
            continue
        span = LineSpan(first, last)
        if role is Role.GALLERY_ITEM:
            detail = decision.detail
            url = markup.url if markup is not None and markup.kind == "image" else None  # a numbered image
            items[detail.gallery].append(GalleryItem(detail.index, detail.caption, detail.credit, span, url))
        elif role is Role.MEDIA:
            detail = decision.detail
            media.append(Media(detail.type, detail.label, len(body), span, detail.caption, detail.credit))
        elif role is Role.AUTHOR_BIO:
            bio_lines.extend(span.numbers())
            bio_texts.append(text)
            bio_name = bio_name or decision.detail
        else:  # pragma: no cover - a new Role must be handled here
            raise AssertionError(f"unhandled role {role}")

    galleries = tuple(
        Gallery(draft.title, draft.declared_count, tuple(found), LineSpan(document.spans[draft.first_line][0], document.spans[draft.last_line][1]))
        for draft, found in zip(document.galleries, items)
    )
    name = reading.author or bio_name or byline
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
    if metadata.modified is None and updated is not None:
        metadata = replace(metadata, modified=updated)
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
    into one entry (a run of 40 blank lines is one entry, not 40). A line that extends
    the run costs a comparison and an append: no object of its own."""

    def __init__(self) -> None:
        self.entries: list[Removal] = []
        #: each reason once: rules word them per line ("a photo credit (Getty)"), and a
        #: long document repeats a few of them a million times
        self._reasons: dict[str, str] = {}
        self._texts: list[str] = []
        self._kind: RemovalKind | None = None
        self._rule = self._reason = ""
        self._first = self._last = 0

    def add(self, kind: RemovalKind, rule: str, first: int, last: int, text: str, reason: str) -> None:
        if first == self._last + 1 and kind is self._kind and rule == self._rule and reason == self._reason:
            self._texts.append(text)
            self._last = last
            return
        self._flush()
        self._kind, self._rule, self._reason = kind, rule, reason
        self._first, self._last = first, last
        self._texts = [text]

    def _flush(self) -> None:
        if self._kind is not None:
            texts = self._texts
            text = texts[0] if len(texts) == 1 else "\n".join(texts)
            reason = self._reasons.setdefault(self._reason, self._reason)
            self.entries.append(Removal(self._kind, self._rule, LineSpan(self._first, self._last), text, reason))

    def finish(self) -> tuple[Removal, ...]:
        self._flush()
        self._kind = None
        return tuple(self.entries)
