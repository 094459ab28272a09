"""The configured cleaner: read → lines → rule chain → model.

A ``Cleaner`` compiles its rule packs and chooses its rules once; cleaning a document
is then cheap. The module-level ``cleaner.clean`` keeps one ``Cleaner`` per set of
options, so a library user gets the same speed without holding one; each batch worker
holds its own.

    from cleaner import Cleaner
    cleaner = Cleaner(rules=["strict"], disable=["author_bio"])
    article = cleaner.clean(data)              # bytes or str
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .build import build
from .decode import DEFAULT_MAX_BYTES
from .model import Article, Metadata
from .readers import READERS, ReadOptions, Reading, read
from .errors import UsageError
from .rules import Rule, RulePack, Scan, active_rules
from .rules.packs import PackSource, compile_packs, pack_sources
from .rules.safety import hold_back

if TYPE_CHECKING:
    from .sites import MemorySource, SiteMemory


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that changes how a document is cleaned: small, hashable and picklable
    (it is what travels to batch workers; each builds its ``Cleaner`` from it once)."""

    packs: tuple[PackSource, ...] = ()
    disable: frozenset[str] = frozenset()
    from_: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    fix_mojibake: bool = False
    memory: MemorySource | None = None


class Cleaner:
    """A configured cleaner. ``rules`` adds rule packs (a shipped pack's name such as
    ``"strict"``, or a TOML file); ``disable`` names rules to skip (``cleaner.RULES``);
    ``from_`` forces an input format (``"text"``; default: from the file name, else
    sniffed); inputs over ``max_bytes`` are refused; ``fix_mojibake`` repairs text that
    was mis-decoded before it reached us; ``memory`` is a site memory (a file ``cleaner
    learn`` wrote, or a ``SiteMemory``) whose template lines the ``site_template`` rule
    removes. Invalid options raise ``UsageError`` here, once."""

    def __init__(
        self,
        *,
        rules: Iterable[str | Path | PackSource] = (),
        disable: Iterable[str] = (),
        from_: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        fix_mojibake: bool = False,
        memory: str | Path | MemorySource | SiteMemory | None = None,
    ) -> None:
        settings = Settings(pack_sources(rules), frozenset(disable), from_, max_bytes, fix_mojibake, memory_source(memory))
        self._configure(settings)

    @classmethod
    def from_settings(cls, settings: Settings) -> Cleaner:
        cleaner = cls.__new__(cls)
        cleaner._configure(settings)
        return cleaner

    def _configure(self, settings: Settings) -> None:
        if settings.from_ is not None and settings.from_.lower() not in READERS:
            raise UsageError(f"unknown input format {settings.from_!r}; choose one of: {', '.join(READERS)}")
        self.settings = settings
        self.rules: tuple[Rule, ...] = active_rules(settings.disable)
        self.pack: RulePack = compile_packs(settings.packs)
        self._read_options = ReadOptions(settings.max_bytes, settings.fix_mojibake)
        self.memory: SiteMemory | None = None
        if settings.memory is not None:
            from .sites import SiteMemory  # only with a memory: not on every start

            self.memory = SiteMemory.from_json(settings.memory.text, settings.memory.origin)

    def __reduce__(self):
        return (Cleaner.from_settings, (self.settings,))

    def __repr__(self) -> str:
        return f"Cleaner(packs={list(self.pack.names)}, disable={sorted(self.settings.disable)}, from_={self.settings.from_!r})"

    def read(self, data: bytes | str, *, path: str | Path | None = None) -> Reading:
        """Decode and split one input into entries (no rule has run yet)."""
        return read(data, self._read_options, from_=self.settings.from_, path=None if path is None else str(path))

    def scan(self, data: bytes | str, *, path: str | Path | None = None, metadata: Metadata | None = None) -> tuple[Scan, Reading]:
        """Run the rule chain and return its decisions (what ``cleaner inspect`` shows).
        ``metadata`` (a record's url, site…) overrides the source's, as in ``clean``."""
        reading = self.read(data, path=path)
        if metadata is not None:
            reading = replace(reading, metadata=merge_metadata(reading.metadata, metadata))
        lines = reading.lines
        template = None
        if self.memory is not None:
            template = self.memory.for_document(reading.metadata.url, reading.metadata.site, None if path is None else str(path))
        document = Scan(lines.texts, self.pack, lines.spans, lines.markup, lines.raw, lines.marks, template)
        for rule in self.rules:
            rule.apply(document)
        hold_back(document)  # the safety net: never lose the article
        return document, reading

    def clean(
        self,
        data: bytes | str,
        *,
        title: str | None = None,
        path: str | Path | None = None,
        metadata: Metadata | None = None,
    ) -> Article:
        """Clean one article (bytes or text) into an ``Article``. ``title`` sets its
        title; ``path`` (the input's file name) helps choose the reader; ``metadata``
        fields that are set override what the source says (a JSONL record's url, date…).
        Raises ``cleaner.CleanerError`` subclasses for input that cannot be read."""
        document, reading = self.scan(data, path=path, metadata=metadata)
        return build(document, reading, title)


def memory_source(memory: str | Path | MemorySource | SiteMemory | None) -> MemorySource | None:
    """A site memory as it travels in ``Settings``: a file is read (and checked) once."""
    if memory is None:
        return None
    from .sites import MemorySource, SiteMemory, read_memory

    if isinstance(memory, MemorySource):
        return memory
    if isinstance(memory, SiteMemory):
        return MemorySource("<SiteMemory>", memory.to_json())
    return read_memory(str(memory))


def merge_metadata(found: Metadata, given: Metadata) -> Metadata:
    """``found`` with every field ``given`` sets replaced by ``given``'s."""
    changes = {item.name: getattr(given, item.name) for item in fields(Metadata) if getattr(given, item.name) not in (None, ())}
    return replace(found, **changes) if changes else found


@lru_cache(maxsize=32)
def _cached(rules: tuple, disable: frozenset[str], from_: str | None, max_bytes: int, fix_mojibake: bool, memory: tuple | None) -> Cleaner:
    return Cleaner(
        rules=[spec for spec, *_ in rules], disable=disable, from_=from_, max_bytes=max_bytes, fix_mojibake=fix_mojibake,
        memory=None if memory is None else memory[0],
    )  # fmt: skip


def _pack_key(spec: str | Path) -> tuple:
    """A rule-pack (or site-memory) file is part of the cache key with its size and
    modification time, so an edited file is read again; a shipped pack's name stands for
    itself."""
    try:
        status = os.stat(spec)
    except OSError:
        return (str(spec),)
    return (str(spec), status.st_size, status.st_mtime_ns)


def clean(
    data: bytes | str,
    *,
    title: str | None = None,
    disable: Iterable[str] = (),
    rules: Iterable[str | Path] = (),
    from_: str | None = None,
    path: str | Path | None = None,
    metadata: Metadata | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    fix_mojibake: bool = False,
    memory: str | Path | None = None,
) -> Article:
    """Clean one scraped article (bytes or text) into an ``Article``.

    The options are ``Cleaner``'s (see there) and ``Cleaner.clean``'s; the configured
    cleaner for each set of options is built once and kept, so calling this in a loop
    costs no more than holding a ``Cleaner``. Raises ``cleaner.CleanerError``
    subclasses for input that cannot be read as text and for invalid options."""
    cleaner = _cached(tuple(_pack_key(spec) for spec in rules), frozenset(disable), from_, max_bytes, fix_mojibake, None if memory is None else _pack_key(memory))
    return cleaner.clean(data, title=title, path=path, metadata=metadata)


__all__ = ["Cleaner", "Settings", "clean", "merge_metadata"]
