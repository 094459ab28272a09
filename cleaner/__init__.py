"""cleaner: turn scraped news articles into clean, structured documents.

    >>> import cleaner
    >>> article = cleaner.clean(open("seeds/000_e4caed1a0f944f3c.txt", "rb").read())
    >>> markdown = cleaner.render(article, "md")

    >>> strict = cleaner.Cleaner(rules=["strict"])   # configured once, reused
    >>> article = strict.clean(b"...")

The pipeline is read (``cleaner.READERS``) → lines → rule chain (``cleaner.RULES``) →
``Article`` → renderers (``cleaner.RENDERERS``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

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

# ``render`` is also the name of the subpackage: bound here, once, so that importing a
# renderer module later can never put the subpackage in the function's place.
from .render import Format, render

if TYPE_CHECKING:
    from .pipeline import Cleaner, clean
    from .readers import READERS
    from .render.json import from_json, json_schema
    from .rules import RULES
    from .sites import Learner, SiteMemory

# The pipeline (rules, readers) and the JSON reader (pydantic) are imported on first use:
# ``cleaner --version`` and a library user's ``import cleaner`` should not pay for them.
_LAZY = {
    "Cleaner": "pipeline",
    "clean": "pipeline",
    "READERS": "readers",
    "RULES": "rules",
    "Learner": "sites",
    "SiteMemory": "sites",
    "from_json": "render.json",
    "json_schema": "render.json",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
    "Learner",
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
    "SiteMemory",
    "RemovalKind",
    "Source",
    "Table",
    "UsageError",
    "clean",
    "from_json",
    "json_schema",
    "render",
]
