"""decode → lines → rule chain → Article. The builder is the only code that creates models."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .decode import DEFAULT_MAX_BYTES, decode
from .lines import Markup, split_lines
from .model import (
    Article,
    Author,
    Block,
    Gallery,
    GalleryAnchor,
    GalleryItem,
    Heading,
    LineSpan,
    ListItem,
    Media,
    Paragraph,
    Quote,
    Removal,
    RemovalKind,
    Source,
)
from .rules import Role, RulePack, Scan, active_rules, load_packs
from .rules.author import byline_name

_default_pack: RulePack | None = None


def default_pack() -> RulePack:
    """The built-in packs, loaded once per process."""
    global _default_pack
    if _default_pack is None:
        _default_pack = load_packs()
    return _default_pack


@dataclass(frozen=True, slots=True)
class Options:
    """Everything that changes how a document is cleaned."""

    title: str | None = None
    disable: frozenset[str] = frozenset()
    rule_files: tuple[Path, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    fix_mojibake: bool = False

    def pack(self) -> RulePack:
        return load_packs(self.rule_files) if self.rule_files else default_pack()


def scan(data: bytes | str, options: Options = Options(), *, pack: RulePack | None = None) -> tuple[Scan, Source]:
    """Run the rule chain and return the decisions (what ``cleaner inspect`` shows)."""
    decoded = decode(data, max_bytes=options.max_bytes, fix_mojibake=options.fix_mojibake)
    lines = split_lines(decoded.text)
    document = Scan(lines.texts, pack or options.pack(), lines.spans, lines.markup, lines.raw)
    for rule in active_rules(options.disable):
        rule.apply(document)
    return document, decoded.source


def clean(
    data: bytes | str,
    *,
    title: str | None = None,
    disable: Iterable[str] = (),
    rules: Iterable[str | Path] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    fix_mojibake: bool = False,
) -> Article:
    """Clean one scraped article (bytes or text) into an ``Article``.

    ``title`` sets the article's title; ``disable`` names rules to skip (see
    ``cleaner.RULES``); ``rules`` adds rule-pack files to the built-in ones.
    Raises ``cleaner.CleanerError`` subclasses for input that cannot be read as text.
    """
    options = Options(title, frozenset(disable), tuple(Path(path) for path in rules), max_bytes, fix_mojibake)
    return clean_with(data, options)


def clean_with(data: bytes | str, options: Options, *, pack: RulePack | None = None) -> Article:
    document, source = scan(data, options, pack=pack)
    return build(document, source, options.title)


def build(document: Scan, source: Source | None, title: str | None = None) -> Article:
    """Assemble the model from a scan's decisions. Every line lands in exactly one place."""
    body: list[Block] = []
    media: list[Media] = []
    removed = _RemovalLog()
    items: list[list[GalleryItem]] = [[] for _ in document.galleries]
    anchors = {draft.first_line: number for number, draft in enumerate(document.galleries)}
    bio_lines: list[int] = []
    bio_texts: list[str] = []
    headline: str | None = None
    byline: str | None = None

    for index, (text, decision) in enumerate(zip(document.lines, document.decisions)):
        first, last = document.spans[index]
        if index in anchors:
            body.append(GalleryAnchor(gallery=anchors[index]))
        if decision is None:
            if text:
                body.append(_text_block(text, LineSpan(first, last), document.markup[index]))
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
            continue
        span = LineSpan(first, last)
        if role is Role.GALLERY_ITEM:
            detail = decision.detail
            items[detail.gallery].append(GalleryItem(detail.index, detail.caption, detail.credit, span))
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
    if bio_lines:
        author = Author(document.author_name or byline, "\n\n".join(bio_texts), tuple(bio_lines))
    else:
        # A byline names the author even without a bio (the byline line stays in the log).
        author = Author(byline, None) if byline else None
    return Article(
        title=title if title is not None else headline,
        body=tuple(body),
        galleries=galleries,
        media=tuple(media),
        author=author,
        removed=removed.finish(),
        source=source,
    )


def _text_block(text: str, span: LineSpan, markup: Markup | None) -> Block:
    if markup is None:
        return Paragraph(text=text, lines=span)
    if markup.kind == "heading":
        return Heading(text=text, lines=span, level=markup.number)
    if markup.kind == "quote":
        return Quote(text=text, lines=span)
    if markup.kind == "ordered":
        return ListItem(text=text, lines=span, ordered=True, number=markup.number)
    return ListItem(text=text, lines=span)


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
