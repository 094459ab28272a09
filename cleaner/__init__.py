"""cleaner: turn scraped news articles into clean, structured documents.

    >>> import cleaner
    >>> article = cleaner.clean(open("seeds/000_e4caed1a0f944f3c.txt", "rb").read())
    >>> markdown = cleaner.render(article, "md")

    >>> strict = cleaner.Cleaner(rules=["strict"])   # configured once, reused
    >>> article = strict.clean(b"...")

The pipeline is read (``cleaner.READERS``) → lines → rule chain (``cleaner.RULES``) →
``Article`` → renderers (``cleaner.RENDERERS``).
"""

from .errors import CleanerError, DecodeError, InputError, InputTooLargeError, OutputError, UsageError
from .model import (
    Article,
    Author,
    CodeBlock,
    Gallery,
    GalleryAnchor,
    GalleryItem,
    Heading,
    LineSpan,
    ListItem,
    Mark,
    MarkKind,
    Media,
    MediaType,
    Metadata,
    Paragraph,
    Quote,
    Removal,
    RemovalKind,
    Source,
    Table,
)
from .pipeline import Cleaner, clean
from .readers import READERS
from .render import Format, render
from .render.json import from_json, json_schema
from .rules import RULES

__version__ = "0.1.0"

__all__ = [
    "READERS",
    "RULES",
    "Article",
    "Author",
    "Cleaner",
    "CleanerError",
    "CodeBlock",
    "DecodeError",
    "Format",
    "Gallery",
    "GalleryAnchor",
    "GalleryItem",
    "Heading",
    "InputError",
    "InputTooLargeError",
    "LineSpan",
    "ListItem",
    "Mark",
    "MarkKind",
    "Media",
    "MediaType",
    "Metadata",
    "OutputError",
    "Paragraph",
    "Quote",
    "Removal",
    "RemovalKind",
    "Source",
    "Table",
    "UsageError",
    "clean",
    "from_json",
    "json_schema",
    "render",
]
