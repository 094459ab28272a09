"""A site's template, learned from a batch: the lines that stand in many of its documents.

A menu, a footer, a newsletter box or a standard disclaimer is the same line on every page
of a site; the article is not. ``cleaner learn`` reads a corpus once and keeps, for each
site, the lines found in at least ``min_documents`` of its documents and in at least
``min_share`` of them; the ``site_template`` rule then removes those lines from the site's
documents (``--memory FILE``), with the count as its evidence. The memory is a JSON file a
person can read and edit: each site's documents and its template lines with the number of
documents each stood in.

The site of a document is the host of its address (a record's ``url``, a saved page's
canonical address), else its record's ``site`` field; documents without either share one
group, ``""``. A tree of text files laid out a site to a directory
(``corpus/example.com/a.txt``) can be grouped by directory name instead (``DIRECTORY``);
the memory says which, and cleaning with it groups the same way.

Counting is in one pass and in bounded memory: each site's lines are counted by a hash of
their text, and when more than ``max_lines`` different lines are being counted, those seen
in only one document so far are forgotten (a line that comes back starts again from one).
A count is therefore never more than the truth, so the memory can miss a template line in
a huge corpus, never invent one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .errors import UsageError

FORMAT = "cleaner site memory"
VERSION = 1
DEFAULT_MIN_DOCUMENTS = 3
DEFAULT_MIN_SHARE = 0.1
#: Lines longer than this are never template (and never counted).
MAX_LINE_CHARS = 2000
DEFAULT_MAX_LINES = 4_000_000


def normalise(text: str) -> str:
    """A line as it is compared across documents: case and spacing do not matter."""
    return " ".join(text.split()).casefold()


def site_of(url: str | None, site: str | None = None) -> str:
    """The group a document belongs to: its address's host without ``www.``, else the
    ``site`` it names, else ``""``."""
    if url:
        from urllib.parse import urlsplit  # only when a document has an address: not on every start

        try:
            host = (urlsplit(url.strip()).hostname or "").lower()
        except ValueError:
            host = ""
        if host:
            return host[4:] if host.startswith("www.") else host
    return site.strip().lower() if site and site.strip() else ""


#: How ``learn`` tells a document's site: by its address (the default), or, for a tree of
#: text files without addresses laid out a site to a directory, by the directory's name.
ADDRESS, DIRECTORY = "address", "directory"
GROUPINGS = (ADDRESS, DIRECTORY)


def group_of(grouped_by: str, url: str | None, site: str | None, path: str | None) -> str:
    """The site a document belongs to under a grouping: with ``DIRECTORY``, a file's
    directory name (a JSONL record, which has no file of its own, goes by its address)."""
    if grouped_by == DIRECTORY and path:
        return _directory_name(path)
    return site_of(url, site)


def _directory_name(path: str) -> str:
    import os.path

    return os.path.basename(os.path.dirname(os.path.abspath(path))).lower()


@dataclass(frozen=True, slots=True)
class SiteLines:
    """One site's template: the documents learned from, and each template line (as
    ``normalise`` gives it) with the number of documents it stood in."""

    site: str
    documents: int
    lines: Mapping[str, int]

    def documents_with(self, text: str) -> int:
        """In how many of the site's documents ``text`` stood, if it is template (else 0)."""
        if len(text) > MAX_LINE_CHARS:
            return 0
        return self.lines.get(normalise(text), 0)


class SiteMemory:
    """What ``cleaner learn`` found: each site's template lines."""

    def __init__(self, sites: Mapping[str, SiteLines], *, min_documents: int, min_share: float, forgotten: int = 0, grouped_by: str = ADDRESS) -> None:
        self.sites = MappingProxyType(dict(sites))
        self.min_documents = min_documents
        self.min_share = min_share
        #: how often counting forgot the lines seen once (see the module's docstring)
        self.forgotten = forgotten
        #: how documents were told apart: ``ADDRESS`` (url host, else site field) or
        #: ``DIRECTORY`` (a file's directory name: ``corpus/example.com/a.txt``)
        self.grouped_by = grouped_by

    def for_document(self, url: str | None, site: str | None = None, path: str | None = None) -> SiteLines | None:
        return self.sites.get(group_of(self.grouped_by, url, site, path))

    def to_json(self) -> str:
        import json

        sites = {
            name: {"documents": found.documents, "lines": dict(sorted(found.lines.items(), key=lambda item: (-item[1], item[0])))}
            for name, found in sorted(self.sites.items())
        }
        data = {
            "format": FORMAT,
            "version": VERSION,
            "min_documents": self.min_documents,
            "min_share": self.min_share,
            "forgotten": self.forgotten,
            "grouped_by": self.grouped_by,
            "sites": sites,
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str, origin: str = "site memory") -> SiteMemory:
        """Parse a memory file; anything malformed is one clear ``UsageError``."""
        import json

        try:
            data = json.loads(text)
        except ValueError as error:
            raise UsageError(f"{origin} is not a site memory: not JSON ({error})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise UsageError(f"{origin} is not a site memory (write one with 'cleaner learn')")
        if data.get("version") != VERSION:
            raise UsageError(f"{origin} is a site memory of version {data.get('version')!r}; this cleaner reads version {VERSION}: learn it again")
        try:
            sites = {
                str(name): SiteLines(str(name), int(entry["documents"]), MappingProxyType({normalise(str(line)): int(count) for line, count in entry["lines"].items()}))
                for name, entry in data["sites"].items()
            }
            grouped_by = data.get("grouped_by", ADDRESS)
            if grouped_by not in GROUPINGS:
                raise ValueError(f"grouped_by is {grouped_by!r}, not one of {', '.join(GROUPINGS)}")
            return cls(sites, min_documents=int(data["min_documents"]), min_share=float(data["min_share"]), forgotten=int(data.get("forgotten", 0)), grouped_by=grouped_by)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise UsageError(f"{origin} is a damaged site memory ({type(error).__name__}: {error})") from None


@dataclass(frozen=True, slots=True)
class MemorySource:
    """A memory file a user asked for (``--memory FILE``), read once: like a rule pack, it
    travels to batch workers as its text, and each parses it once."""

    origin: str
    text: str


def read_memory(path: str) -> MemorySource:
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except OSError as error:
        raise UsageError(f"cannot read site memory {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UsageError(f"site memory {path} is not UTF-8 text") from None
    SiteMemory.from_json(text, path)  # a damaged file is refused here, before any input is read
    return MemorySource(path, text)


class _Site:
    __slots__ = ("documents", "counts", "texts")

    def __init__(self) -> None:
        self.documents = 0
        self.counts: dict[int, int] = {}
        #: the text of each line seen in two documents or more (a line seen once is only a hash)
        self.texts: dict[int, str] = {}


class Learner:
    """Counts, site by site, the documents each line stands in (``add`` one document at a
    time), and gives the ``SiteMemory`` (``memory``)."""

    def __init__(self, *, min_documents: int = DEFAULT_MIN_DOCUMENTS, min_share: float = DEFAULT_MIN_SHARE, max_lines: int = DEFAULT_MAX_LINES, grouped_by: str = ADDRESS) -> None:
        if grouped_by not in GROUPINGS:
            raise UsageError(f"documents are grouped by {' or '.join(GROUPINGS)}, not {grouped_by!r}")
        self.grouped_by = grouped_by
        if min_documents < 2:
            raise UsageError("--min-documents must be at least 2: a line in one document says nothing about a site")
        if not 0.0 <= min_share <= 1.0:
            raise UsageError("--min-share is a share of a site's documents, from 0 to 1")
        self.min_documents = min_documents
        self.min_share = min_share
        self.max_lines = max_lines
        self.documents = 0
        self.forgotten = 0
        self._sites: dict[str, _Site] = {}
        self._counted = 0

    @property
    def sites(self) -> int:
        """How many sites (groups of documents) were seen."""
        return len(self._sites)

    def add(self, lines: Iterable[str], *, url: str | None = None, site: str | None = None, path: str | None = None) -> None:
        """One document's lines (each counted once, however often the document repeats it);
        ``path``, the file it came from, matters when documents are grouped by directory."""
        group = self._sites.setdefault(group_of(self.grouped_by, url, site, path), _Site())
        group.documents += 1
        self.documents += 1
        counts, texts = group.counts, group.texts
        seen: set[int] = set()
        for line in lines:
            if not line or len(line) > MAX_LINE_CHARS:
                continue
            text = normalise(line)
            if not text:
                continue
            key = hash(text)
            if key in seen:
                continue
            seen.add(key)
            count = counts.get(key, 0) + 1
            counts[key] = count
            if count == 1:
                self._counted += 1
            elif count == 2:
                texts[key] = text
        if self._counted > self.max_lines:
            self._forget()

    def _forget(self) -> None:
        """Forget every line seen in only one document so far (bounded memory)."""
        self.forgotten += 1
        self._counted = 0
        for group in self._sites.values():
            group.counts = {key: count for key, count in group.counts.items() if count > 1}
            self._counted += len(group.counts)

    def memory(self) -> SiteMemory:
        sites = {}
        for name, group in self._sites.items():
            needed = max(self.min_documents, math.ceil(self.min_share * group.documents - 1e-9))
            lines = {group.texts[key]: count for key, count in group.counts.items() if count >= needed}
            if lines:
                sites[name] = SiteLines(name, group.documents, MappingProxyType(lines))
        return SiteMemory(sites, min_documents=self.min_documents, min_share=self.min_share, forgotten=self.forgotten, grouped_by=self.grouped_by)


__all__ = ["ADDRESS", "DIRECTORY", "Learner", "MemorySource", "SiteLines", "SiteMemory", "group_of", "normalise", "read_memory", "site_of"]
