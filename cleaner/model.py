"""The article model: the one structure every renderer reads.

The model is a handful of frozen dataclasses. Line numbers are 1-based and refer to the
decoded input; a ``LineSpan`` is inclusive at both ends. Every input line is accounted
for exactly once: in a body block, a gallery (its items), a media placeholder, the author
bio, or the removal log (``Article.removed``). ``Article.line_owners`` checks that.

The JSON form (``cleaner.render(article, "json")``) is this model as it stands; its JSON
Schema is printed by ``cleaner schema``. Field names are part of the public API.

Cleaning and rendering never import pydantic (it takes a quarter of a second to import):
the JSON is written by ``cleaner.render.json``, and the two annotations pydantic needs to
read JSON back and describe it (``Lines``, ``Block``) are built when it first asks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal, Union


class _ForPydantic:
    """Annotation metadata that stands for pydantic's own (validators, serialisers,
    ``Field``), built on first use: pydantic calls this hook when it makes a schema, which
    only ``from_json`` and ``cleaner schema`` do."""

    def __init__(self, annotated: Callable[[], Any]) -> None:
        self._annotated = annotated

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return handler.generate_schema(self._annotated())


@dataclass(frozen=True, slots=True)
class LineSpan:
    """Inclusive range of 1-based input line numbers."""

    first: int
    last: int

    def numbers(self) -> range:
        return range(self.first, self.last + 1)


def _span_from_json(value):
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return LineSpan(int(value[0]), int(value[1]))
    return value


def _lines_for_pydantic() -> Any:
    from pydantic import BeforeValidator, PlainSerializer

    return Annotated[
        LineSpan,
        BeforeValidator(_span_from_json),
        PlainSerializer(lambda span: [span.first, span.last], return_type=list[int]),
    ]


#: A line span as it appears in JSON: ``[first, last]``.
Lines = Annotated[LineSpan, _ForPydantic(_lines_for_pydantic)]


# --- inline marks ----------------------------------------------------------------------


class MarkKind(StrEnum):
    EMPHASIS = "emphasis"
    STRONG = "strong"
    CODE = "code"
    LINK = "link"


@dataclass(frozen=True, slots=True)
class Mark:
    """Standoff markup over a block's plain ``text``: characters ``[start, end)`` are
    emphasis, strong, code or a link to ``url``. The text itself never holds markup, so
    plain-text output drops marks and Markdown and HTML output put them back."""

    kind: MarkKind
    start: int
    end: int
    url: str | None = None


# --- body blocks -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    type: Literal["paragraph"] = "paragraph"
    text: str
    lines: Lines
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Heading:
    type: Literal["heading"] = "heading"
    text: str
    lines: Lines
    level: int = 2
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    type: Literal["quote"] = "quote"
    text: str
    lines: Lines
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ListItem:
    type: Literal["list_item"] = "list_item"
    text: str
    lines: Lines
    ordered: bool = False
    #: the item's number in the source, for ordered items ("3. …" gives 3)
    number: int | None = None
    #: nesting: 0 for a top-level item, 1 for an item of a list inside an item…
    depth: int = 0
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeBlock:
    """Preformatted text (a code listing): its lines are kept exactly, never joined."""

    type: Literal["code"] = "code"
    text: str
    lines: Lines
    #: the language the source names ("python"), if any
    language: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """A table: rows of cell texts; the first row is the header when ``header`` is set."""

    type: Literal["table"] = "table"
    rows: tuple[tuple[str, ...], ...]
    lines: Lines
    header: bool = False

    @property
    def text(self) -> str:
        """The cells as plain text: one row a line, cells separated by tabs."""
        return "\n".join("\t".join(row) for row in self.rows)


@dataclass(frozen=True, slots=True, kw_only=True)
class GalleryAnchor:
    """Marks where a gallery stood in the body; ``gallery`` indexes ``Article.galleries``."""

    type: Literal["gallery"] = "gallery"
    gallery: int


TextBlock = Union[Paragraph, Heading, Quote, ListItem, CodeBlock, Table]
_Blocks = Union[Paragraph, Heading, Quote, ListItem, CodeBlock, Table, GalleryAnchor]


def _block_for_pydantic() -> Any:
    from pydantic import Field

    return Annotated[_Blocks, Field(discriminator="type")]


#: A body block; in JSON, told apart by its ``type``.
Block = Annotated[_Blocks, _ForPydantic(_block_for_pydantic)]


# --- gallery, media, author ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GalleryItem:
    index: int
    caption: str
    credit: str | None
    lines: Lines
    #: the image's address, when the source gives one (Markdown and HTML do)
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Gallery:
    title: str | None
    declared_count: int | None
    items: tuple[GalleryItem, ...]
    lines: Lines


class MediaType(StrEnum):
    VIDEO = "video"
    IMAGE = "image"
    AUDIO = "audio"
    EMBED = "embed"


@dataclass(frozen=True, slots=True)
class Media:
    """An embedded-media placeholder. ``position`` is the number of body blocks before it."""

    type: MediaType
    label: str
    position: int
    lines: Lines
    caption: str | None = None
    credit: str | None = None
    #: the image's or player's address, when the source gives one
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Author:
    name: str | None
    bio: str | None
    lines: tuple[int, ...] = ()


# --- removal log and source ------------------------------------------------------------


class RemovalKind(StrEnum):
    """Why a line is not content. Values are stable stat keys."""

    BLANK = "blank"
    GALLERY_TITLE = "gallery_title"
    GALLERY_HEADER = "gallery_header"
    VIDEO_LABEL = "video_label"
    CAPTION = "caption"
    CREDIT = "credit"
    BYLINE = "byline"
    DATELINE = "dateline"
    PROMPT = "prompt"
    SOCIAL = "social"
    RELATED = "related"
    ADVERT = "advert"
    COPYRIGHT = "copyright"
    COOKIE = "cookie"
    COMMENTS = "comments"
    NAVIGATION = "navigation"
    HEADLINE = "headline"
    BOILERPLATE = "boilerplate"
    CONTROL = "control"


@dataclass(frozen=True, slots=True)
class Removal:
    kind: RemovalKind
    rule: str
    lines: Lines
    text: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the source says about the article, beyond its title and author. Dates are ISO
    8601 (``2016-10-17`` or with a time), ``language`` a BCP 47 tag (``en``, ``pt-BR``);
    every field is None (``tags`` empty) when the source does not say."""

    url: str | None = None
    site: str | None = None
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """What the reader found in the input bytes."""

    encoding: str
    bom: bool
    line_endings: str
    bytes: int
    lines: int
    repaired_mojibake: bool = False
    #: bytes that were not valid in the encoding (or lone surrogates in a str), each
    #: replaced by U+FFFD; the rest of the text is kept as it was
    replaced: int = 0
    #: the reader that read the input: "text", "md" or "html"
    format: str = "text"
    #: how that reader was chosen: "option" (--from), "suffix", "sniffed" or "default"
    detected_by: str = "default"
    #: what a line number counts: "line" (a line of the decoded input: text, Markdown) or
    #: "block" (one of a saved page's text blocks, numbered in document order; then
    #: ``lines`` counts the blocks)
    unit: str = "line"


@dataclass(frozen=True, slots=True)
class Article:
    title: str | None
    body: tuple[Block, ...]
    galleries: tuple[Gallery, ...] = ()
    media: tuple[Media, ...] = ()
    author: Author | None = None
    removed: tuple[Removal, ...] = ()
    source: Source | None = None
    metadata: Metadata = Metadata()
    #: what cleaning did to the document as a whole ("safety net: … taken back")
    notes: tuple[str, ...] = ()
    schema_version: int = 2

    def paragraphs(self) -> list[TextBlock]:
        """The content blocks of the body, in order (gallery anchors left out)."""
        return [block for block in self.body if not isinstance(block, GalleryAnchor)]

    def removed_counts(self) -> dict[str, int]:
        """Removed line counts by kind, for statistics."""
        counts: dict[str, int] = {}
        for removal in self.removed:
            counts[removal.kind.value] = counts.get(removal.kind.value, 0) + len(removal.lines.numbers())
        return counts

    def line_owners(self) -> dict[int, str]:
        """Map every accounted input line to where it went; raises if a line is claimed twice."""
        owners: dict[int, str] = {}

        def claim(numbers, owner: str) -> None:
            for number in numbers:
                if number in owners:
                    raise ValueError(f"line {number} claimed by {owners[number]} and {owner}")
                owners[number] = owner

        for block in self.paragraphs():
            claim(block.lines.numbers(), "body")
        for gallery in self.galleries:
            claim([number for item in gallery.items for number in item.lines.numbers()], "gallery")
        for media in self.media:
            claim(media.lines.numbers(), "media")
        if self.author is not None:
            claim(self.author.lines, "author")
        for removal in self.removed:
            claim(removal.lines.numbers(), f"removed:{removal.kind.value}")
        return owners
