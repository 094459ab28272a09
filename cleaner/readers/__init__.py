"""Readers: every input format becomes the same ``Lines`` the rule chain reads.

The table ``READERS`` lists them. A reader is chosen by name (``--from``), else by the
input's file suffix, else by sniffing its first bytes, else it is the text reader; the
``Source`` of the result says which and how (``format``, ``detected_by``). Whatever the
format, every unit of input (a line; for HTML, a block element) ends up in the model or
in the removal log: the readers hand every unit on, and the rules decide.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ..errors import UsageError
from ..lines import Lines
from ..model import Metadata, Source
from .sniff import sniff_html


@dataclass(frozen=True, slots=True)
class ReadOptions:
    max_bytes: int
    fix_mojibake: bool = False


@dataclass(frozen=True, slots=True)
class Reading:
    """What a reader found: the entries for the rules, and what the source states about
    the article (a title, an author, metadata) apart from its text."""

    lines: Lines
    source: Source
    title: str | None = None
    author: str | None = None
    metadata: Metadata = field(default_factory=Metadata)


@dataclass(frozen=True, slots=True)
class Reader:
    name: str
    summary: str
    #: file suffixes that select this reader (".html"); a ".gz" after them is looked through
    suffixes: tuple[str, ...]
    #: "module:function" of ``read(data, options) -> Reading``, imported on first use
    target: str
    #: True when the first bytes of an input show it is in this format
    sniff: Callable[[bytes], bool] | None = None

    def read(self, data: bytes | str, options: ReadOptions) -> Reading:
        module, name = self.target.split(":")
        return getattr(importlib.import_module(module), name)(data, options)


#: The readers, in the order their sniffers are tried; "text" is the default. A reader's
#: module is imported when it first reads (converting text never loads the Markdown and
#: HTML readers), and imports its heavy parser (markdown-it, lxml, trafilatura) only then.
READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in (
        Reader("text", "plain text, as scrapers dump it (the seed's form)", (".txt", ".text"), "cleaner.readers.text:read_text"),
        Reader("md", "Markdown, as crawlers for language models emit it (links and images kept as marks and media)", (".md", ".markdown", ".mdown", ".mkd"), "cleaner.readers.markdown:read_markdown"),
        Reader("html", "a saved web page: the article region, its figures and the page's metadata", (".html", ".htm", ".xhtml"), "cleaner.readers.html:read_html", sniff_html),
    )
}
DEFAULT_READER = "text"


def reader_names() -> str:
    return "|".join(READERS)


def choose_reader(name: str | None, *, path: str | None = None, head: bytes | str = b"") -> tuple[Reader, str]:
    """The reader for an input, and how it was chosen ("option", "suffix", "sniffed" or
    "default"). ``name`` is ``--from``; ``path`` the input's file name, if any; ``head``
    its first bytes."""
    if name is not None:
        reader = READERS.get(name.lower())
        if reader is None:
            raise UsageError(f"unknown input format {name!r}; choose one of: {', '.join(READERS)}")
        return reader, "option"
    if path:
        lowered = path.lower()
        if lowered.endswith(".gz"):
            lowered = lowered[:-3]
        for reader in READERS.values():
            if lowered.endswith(reader.suffixes):
                return reader, "suffix"
    sample = head[:4096].encode("utf-8", "replace") if isinstance(head, str) else head[:4096]
    for reader in READERS.values():
        if reader.sniff is not None and reader.sniff(sample):
            return reader, "sniffed"
    return READERS[DEFAULT_READER], "default"


def read(data: bytes | str, options: ReadOptions, *, from_: str | None = None, path: str | None = None) -> Reading:
    """Read one input with the reader ``choose_reader`` picks; its ``Source`` says which."""
    reader, how = choose_reader(from_, path=path, head=data)
    reading = reader.read(data, options)
    return replace(reading, source=replace(reading.source, format=reader.name, detected_by=how))


def all_suffixes() -> tuple[str, ...]:
    """Every suffix a reader claims (batch's default ``--glob`` covers them, gzipped too)."""
    return tuple(suffix for reader in READERS.values() for suffix in reader.suffixes)


__all__ = ["DEFAULT_READER", "READERS", "ReadOptions", "Reader", "Reading", "all_suffixes", "choose_reader", "read", "reader_names"]
