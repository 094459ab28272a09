"""Rule packs: the vocabulary of debris, kept as data (TOML files) apart from the logic.

A pack is a TOML file with a ``[pack]`` table (name, description), a ``[vocabulary]``
table of word lists, and any number of ``[[pattern]]`` entries: a regular expression
matched against a whole line, the removal kind it stands for, and the reason shown in
``cleaner inspect``. Packs stack: lists are concatenated, patterns kept in order.
The packs shipped with cleaner live in ``cleaner/rulepacks``; see the README for the
format and ``--rules FILE`` for adding one's own.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import UsageError
from ..model import RemovalKind

BUILTIN_PACKS = ("news", "independent")
#: Packs shipped with cleaner but used only when named: ``--rules strict``.
OPTIONAL_PACKS = ("strict",)

_LIST_KEYS = (
    "agencies",
    "credit_markers",
    "gallery_title_prefixes",
    "gallery_header_words",
    "video_words",
    "audio_words",
    "media_prefixes",
    "bio_verbs",
    "bio_roles",
    "author_box_headers",
    "comment_verbs",
)


@dataclass(frozen=True, slots=True)
class LinePattern:
    kind: RemovalKind
    pattern: re.Pattern[str]
    reason: str
    pack: str
    #: "anywhere", or "edge": only in the leading/trailing stretch of the document
    where: str = "anywhere"
    #: the line must also be short (at most this many words); 0 means no limit
    max_words: int = 0
    #: words one of which must occur in the line (any case) for the pattern to be tried:
    #: patterns that look anywhere in a line (".*\\bdonate…") are costly, so each names
    #: the words it is about and most lines never pay for it
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # identity hash: compiled patterns are cached per pack
class RulePack:
    names: tuple[str, ...]
    vocabulary: dict[str, tuple[str, ...]]
    patterns: tuple[LinePattern, ...] = ()
    descriptions: tuple[str, ...] = field(default=())

    def words(self, key: str) -> tuple[str, ...]:
        return self.vocabulary.get(key, ())

    def alternation(self, key: str) -> str:
        """A regex alternation of a word list, longest first so the longest phrase wins."""
        words = sorted(set(self.words(key)), key=len, reverse=True)
        return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in words) or "(?!)"

    def stacked(self, other: RulePack) -> RulePack:
        vocabulary = dict(self.vocabulary)
        for key, words in other.vocabulary.items():
            vocabulary[key] = vocabulary.get(key, ()) + words
        return RulePack(
            self.names + other.names,
            vocabulary,
            self.patterns + other.patterns,
            self.descriptions + other.descriptions,
        )


def parse_pack(text: str, origin: str) -> RulePack:
    """Parse one pack from TOML text; errors name the file and what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"rule pack {origin}: not valid TOML: {error}") from None
    meta = data.get("pack", {})
    name = str(meta.get("name") or Path(origin).stem)
    vocabulary: dict[str, tuple[str, ...]] = {}
    for key, words in data.get("vocabulary", {}).items():
        if key not in _LIST_KEYS:
            raise UsageError(f"rule pack {origin}: unknown vocabulary list {key!r} (known: {', '.join(_LIST_KEYS)})")
        if not isinstance(words, list) or not all(isinstance(word, str) and word for word in words):
            raise UsageError(f"rule pack {origin}: vocabulary.{key} must be a list of non-empty strings")
        vocabulary[key] = tuple(words)
    patterns = []
    for number, entry in enumerate(data.get("pattern", []), 1):
        patterns.append(_parse_pattern(entry, f"{origin} pattern #{number}", name))
    return RulePack((name,), vocabulary, tuple(patterns), (str(meta.get("description", "")),))


def _parse_pattern(entry: dict, where: str, pack: str) -> LinePattern:
    try:
        kind = RemovalKind(entry["kind"])
    except KeyError:
        raise UsageError(f"rule pack {where}: needs a 'kind'") from None
    except ValueError:
        known = ", ".join(kind.value for kind in RemovalKind)
        raise UsageError(f"rule pack {where}: unknown kind {entry['kind']!r} (known: {known})") from None
    source = entry.get("regex")
    if not isinstance(source, str) or not source:
        raise UsageError(f"rule pack {where}: needs a 'regex' string")
    try:
        pattern = re.compile(source, re.IGNORECASE if entry.get("ignore_case", True) else 0)
    except re.error as error:
        raise UsageError(f"rule pack {where}: bad regex {source!r}: {error}") from None
    position = entry.get("where", "anywhere")
    if position not in ("anywhere", "edge"):
        raise UsageError(f"rule pack {where}: 'where' must be 'anywhere' or 'edge'")
    reason = str(entry.get("reason") or f"matches {pack} pattern {source!r}")
    requires = entry.get("requires", [])
    if not isinstance(requires, list) or not all(isinstance(word, str) and word for word in requires):
        raise UsageError(f"rule pack {where}: 'requires' must be a list of non-empty strings")
    return LinePattern(kind, pattern, reason, pack, position, int(entry.get("max_words", 0)), tuple(word.lower() for word in requires))


@dataclass(frozen=True, slots=True)
class PackSource:
    """The text of one pack a user asked for (``--rules strict`` or ``--rules FILE``),
    read once: it travels to batch workers, on this machine or a Dask cluster's."""

    origin: str
    text: str


@lru_cache(maxsize=None)
def builtin_pack(name: str) -> RulePack:
    """A shipped pack, parsed once per process (packs are immutable)."""
    return parse_pack(_builtin_text(name), f"{name} (built in)")


def _builtin_text(name: str) -> str:
    return (resources.files("cleaner") / "rulepacks" / f"{name}.toml").read_text(encoding="utf-8")


def pack_sources(specs: Iterable[str | Path | PackSource]) -> tuple[PackSource, ...]:
    """Read each pack a user names: a shipped pack's name (``strict``) or a TOML file.
    The one place where ``--rules`` is resolved, for every command and every worker."""
    sources = []
    for spec in specs:
        if isinstance(spec, PackSource):
            sources.append(spec)
            continue
        name = str(spec)
        if name in OPTIONAL_PACKS + BUILTIN_PACKS and not Path(name).exists():
            sources.append(PackSource(f"{name} (built in)", _builtin_text(name)))
            continue
        try:
            text = Path(name).read_text(encoding="utf-8")
        except OSError as error:
            shipped = ", ".join(OPTIONAL_PACKS)
            raise UsageError(f"cannot read rule pack {name}: {error.strerror or error} (shipped packs: {shipped})") from None
        except UnicodeDecodeError:
            raise UsageError(f"rule pack {name} is not UTF-8 text") from None
        sources.append(PackSource(name, text))
    return tuple(sources)


def compile_packs(sources: tuple[PackSource, ...] = ()) -> RulePack:
    """The built-in packs, then each source in order."""
    pack = RulePack((), {})
    for name in BUILTIN_PACKS:
        pack = pack.stacked(builtin_pack(name))
    for source in sources:
        pack = pack.stacked(parse_pack(source.text, source.origin))
    return pack


def load_packs(extra: Iterable[str | Path] = ()) -> RulePack:
    """The built-in packs, then each ``--rules`` pack in order (a shipped pack's name,
    such as ``strict``, stands for that pack)."""
    return compile_packs(pack_sources(extra))
