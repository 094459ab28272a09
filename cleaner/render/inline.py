"""Inline marks, made safe to render: the text of a block cut into runs, each with the
marks over it, outermost first. Markdown and HTML both write their markup from these runs.

Marks come from readers of other people's pages, so nothing about them is trusted: a mark
out of the text's range is clipped to it (or dropped when nothing is left), overlapping
marks are split so that they nest, a link inside a link or anything inside code is left
out, and a link whose URL is not http, https, mailto or relative (``javascript:``,
``data:``…) is kept as plain text. Whatever the marks, every character of the text is in
exactly one run, in order: marks can lose their markup, never the text.

A relative URL means something only next to the page it came from: it is resolved
against the article's own address when the model knows it (``Metadata.url``); without
one, HTML and Markdown keep it as it is, and an EPUB, where it would point inside the
book, drops the link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urljoin

from ..model import Mark, MarkKind

#: Schemes a link may use; anything else (javascript:, data:, vbscript:, file:…) is dropped.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# What browsers ignore in a URL before they read its scheme: C0 controls and spaces at
# the ends, tabs and newlines anywhere ("java\tscript:" is javascript:).
_IGNORED_ANYWHERE = re.compile(r"[\t\n\r]")
# Anything before a colon that comes before the first '/' or '?' must be a safe scheme
# (stricter than browsers, which would read "a#b:c" as a fragment: nothing is lost but a link).
_SCHEME = re.compile(r"^([^/?]*?):")
_VALID_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")
# Order of marks that start and end together: links outside, code inside (code can hold
# nothing: its text is literal).
_RANK = {MarkKind.LINK: 0, MarkKind.STRONG: 1, MarkKind.EMPHASIS: 2, MarkKind.CODE: 3}


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """``url`` as a browser would read it, when it is http, https, mailto or relative;
    None for any other scheme (and for no URL). Tabs and newlines are taken out, and
    control characters and spaces at the ends, as browsers do before reading the scheme;
    a relative URL is resolved against ``base`` when one is given; characters a URI may
    not hold (spaces, quotes, '<', non-ASCII…) are percent-encoded."""
    if not url:
        return None
    cleaned = _IGNORED_ANYWHERE.sub("", url).strip("".join(map(chr, range(0x21))))
    if not cleaned or any(ord(character) < 0x20 or ord(character) == 0x7F for character in cleaned):
        return None
    scheme = _SCHEME.match(cleaned)
    if scheme is None:
        if base:  # relative: a path, '//host/path', '?query' or '#fragment'
            try:
                return safe_url(urljoin(base, cleaned))
            except ValueError:  # a base urljoin cannot read
                return None
        return _encoded(cleaned)
    name = scheme.group(1)
    if _VALID_SCHEME.match(name) and name.lower() in SAFE_SCHEMES:
        return _encoded(cleaned)
    return None  # javascript:, data:, … and anything else with a colon before its first '/' or '?'


def is_relative(url: str) -> bool:
    """Whether a (safe) URL still needs a page to be read against."""
    return _SCHEME.match(url) is None


# '%' that does not start an escape; the characters a URI may hold as they are (RFC 3986:
# reserved and unreserved, '%' of the escapes), in the address and in the fragment.
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URI_SAFE = "!$&'()*+,;=:@/?%~-._"


def _encoded(url: str) -> str:
    address, hash_mark, fragment = _STRAY_PERCENT.sub("%25", url).partition("#")
    return quote(address, safe=_URI_SAFE, errors="replace") + hash_mark + quote(fragment, safe=_URI_SAFE, errors="replace")


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of a block's text and the marks over it, outermost first."""

    text: str
    marks: tuple[Mark, ...]


def usable_marks(text: str, marks: Sequence[Mark], base: str | None = None, *, relative: bool = True) -> list[Mark]:
    """The marks clipped to the text, without empty ones and links that may not be
    rendered (their ``url`` replaced by the safe form, resolved against ``base``; with
    ``relative`` False, a link that stays relative goes too)."""
    usable = []
    length = len(text)
    for mark in marks:
        start = min(max(int(mark.start), 0), length)
        end = min(max(int(mark.end), start), length)
        if end <= start:
            continue
        url = None
        if mark.kind is MarkKind.LINK:
            url = safe_url(mark.url, base)
            if url is None or (not relative and is_relative(url)):
                continue
        usable.append(Mark(MarkKind(mark.kind), start, end, url))
    return usable


def runs(text: str, marks: Sequence[Mark], base: str | None = None, *, relative: bool = True) -> list[Run]:
    """The text cut at every mark boundary, each run with the marks over it, ordered to
    nest: a mark that starts earlier is outside one that starts later (so an enclosing
    mark stays open across the runs it covers), links are never nested, and code holds
    no other mark. ``base`` and ``relative``: as for ``usable_marks``."""
    marks = usable_marks(text, marks, base, relative=relative)
    if not marks:
        return [Run(text, ())] if text else []
    order = sorted(range(len(marks)), key=lambda i: (marks[i].kind is MarkKind.CODE, marks[i].start, -marks[i].end, _RANK[marks[i].kind], i))
    cuts = sorted({0, len(text), *(mark.start for mark in marks), *(mark.end for mark in marks)})
    found = []
    for start, end in zip(cuts, cuts[1:]):
        over: list[Mark] = []
        kinds: set[MarkKind] = set()
        for index in order:
            mark = marks[index]
            if mark.start <= start and end <= mark.end and mark.kind not in kinds:
                over.append(mark)  # one mark of a kind at a time: <a> in <a> is invalid, ** in * is strong
                kinds.add(mark.kind)
        found.append(Run(text[start:end], tuple(over)))
    return found


@dataclass(frozen=True, slots=True)
class Open:
    mark: Mark


@dataclass(frozen=True, slots=True)
class Close:
    mark: Mark


Event = str | Open | Close


def events(pieces: Sequence[Run]) -> list[Event]:
    """Runs as a well-nested stream: text, and the opening and closing of each mark
    (a mark that crosses another's end is closed and opened again)."""
    stream: list[Event] = []
    stack: list[Mark] = []
    for piece in pieces:
        keep = 0
        while keep < len(stack) and keep < len(piece.marks) and stack[keep] is piece.marks[keep]:
            keep += 1
        while len(stack) > keep:
            stream.append(Close(stack.pop()))
        for mark in piece.marks[keep:]:
            stack.append(mark)
            stream.append(Open(mark))
        stream.append(piece.text)
    while stack:
        stream.append(Close(stack.pop()))
    return stream
