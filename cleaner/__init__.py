"""cleaner: turn scraped news articles into clean, structured documents.

    >>> import cleaner
    >>> article = cleaner.clean(open("seeds/000_e4caed1a0f944f3c.txt", "rb").read())
    >>> markdown = cleaner.render(article, "md")

The pipeline is decode → lines → rule chain (``cleaner.RULES``) → ``Article`` → renderers.
"""

from .errors import CleanerError, DecodeError, InputError, InputTooLargeError, OutputError, UsageError
from .model import (
    Article,
    Author,
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
    Source,
)
from .normalise import clean
from .render import Format, render
from .render.json import from_json, json_schema
from .rules import RULES

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "Article",
    "Author",
    "CleanerError",
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
    "Media",
    "MediaType",
    "OutputError",
    "Paragraph",
    "Quote",
    "Removal",
    "RemovalKind",
    "Source",
    "UsageError",
    "clean",
    "from_json",
    "json_schema",
    "render",
]
