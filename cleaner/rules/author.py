"""The author bio: "Maya Mailer is head of humanitarian policy … at Oxfam."

Two kinds of evidence. An author box: a header from the pack ("About the author", "Über
den Autor"…) after the article, with what stands under it: a name and a role on short
lines, and the bio's paragraph. Or, with no header, the last paragraph of the article,
when it reads like a bio: it opens with a personal name followed by a bio verb ("is",
"was", "writes"…), names a role from the pack ("head", "editor", "professor"…), and the
name is not someone the article itself talks about earlier (a closing line about a
person the piece discusses is content). A short last paragraph that is merely about
somebody stays in the body. Either way the lines move to the author, not out of the
article's record.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import RemovalKind
from .base import Decision, Role, Scan, drop
from .packs import RulePack
from .signals import is_prose

NAME = "author_bio"

# Two to four capitalised name parts, allowing initials, particles and hyphenated names.
_NAME = r"(?P<name>(?:[A-Z][\w'’-]+|[A-Z]\.)(?:\s+(?:(?:de|da|del|van|von|der|al|bin|le|la)\s+)?(?:[A-Z][\w'’-]+|[A-Z]\.)){1,3})"
_ABOUT_PREFIX = r"(?:(?:About the author|The author)\s*[:—–-]?\s*)?[*_—–-]*\s*"
_MAX_BIO_CHARS = 600
_MAX_TRAILING_SCRAPS = 3
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)”\"’][.!?])\s")


@lru_cache(maxsize=16)
def _bio_patterns(pack: RulePack) -> tuple[re.Pattern[str], re.Pattern[str]]:
    opening = re.compile(
        rf"{_ABOUT_PREFIX}{_NAME}(?:\s+\(@\w+\))?(?:,\s[^,]{{1,80}},)?\s+(?:{pack.alternation('bio_verbs')})\s",
    )
    role = re.compile(rf"\b(?:{pack.alternation('bio_roles')})\b", re.IGNORECASE)
    return opening, role


def bio_name(text: str, pack: RulePack) -> str | None:
    """The person's name if ``text`` reads like an author bio, else None."""
    if len(text) > _MAX_BIO_CHARS:
        return None
    opening, role = _bio_patterns(pack)
    match = opening.match(text)
    if not match:
        return None
    # The rest of the first sentence (an initial like "T." does not end it).
    predicate = _SENTENCE_END.split(text[match.end() :], maxsplit=1)[0]
    if not role.search(predicate):
        return None
    # "at Oxfam", "of the Guardian", "for Reuters": a bio places the person somewhere.
    if not re.search(r"\b(?:at|of|for|with|in|on)\s+(?:the\s+)?[A-Z0-9]", predicate):
        return None
    return match.group("name")


#: Under an author box's header: at most this many short lines (the name, the role)
#: before the bio's paragraph, and at most this many paragraphs of bio.
_BOX_SHORT_LINES = 3
_BOX_SHORT_WORDS = 12
_BOX_PARAGRAPHS = 2
_NAME_LINE = re.compile(rf"{_NAME}\s*$")


def find_author_bio(scan: Scan) -> None:
    if not _author_box(scan):
        _closing_bio(scan)


_HEADER_MARKS = " \t#*_:：-—–"


@lru_cache(maxsize=16)
def _box_headers(pack: RulePack) -> tuple[frozenset[str], int]:
    """The pack's author-box headers, lower-cased, and the longest one's length."""
    headers = frozenset(header.lower() for header in pack.words("author_box_headers"))
    return headers, max(map(len, headers), default=0)


def _author_box(scan: Scan) -> bool:
    """The header, then its short lines and the bio's paragraphs; True when one was found.
    A header with nothing under it, or one no paragraph of the article precedes, is not."""
    headers, longest = _box_headers(scan.pack)
    if not headers:
        return False
    open_lines = scan.open_lines()
    first_prose = None  # found once, when a header is
    for position, index in enumerate(open_lines):
        text = scan.lines[index]
        if len(text) > longest and text[0] not in _HEADER_MARKS and text[-1] not in _HEADER_MARKS:
            continue  # no marks to strip, and longer than any header: most lines end here
        if text.strip(_HEADER_MARKS).lower() not in headers:
            continue
        if first_prose is None:
            first_prose = next((at for at, line in enumerate(open_lines) if is_prose(scan.lines[line])), len(open_lines))
        if position <= first_prose:
            continue  # an author box closes an article: some of its prose comes first
        box, paragraphs, short = [index], 0, 0
        for following in open_lines[position + 1 :]:
            text = scan.lines[following]
            if is_prose(text):
                if len(text) > _MAX_BIO_CHARS or paragraphs == _BOX_PARAGRAPHS:
                    break
                paragraphs += 1
            elif paragraphs or short == _BOX_SHORT_LINES or len(text.split()) > _BOX_SHORT_WORDS:
                break  # the box ends with its bio, or a line too long for a name or a role
            else:
                short += 1
            box.append(following)
        if len(box) == 1:
            continue
        name = next((match.group("name") for i in box[1:] if (match := _NAME_LINE.match(scan.lines[i].strip()))), None)
        if name is None:
            name = next((found for i in box[1:] if (found := bio_name(scan.lines[i], scan.pack))), None)
        header = scan.lines[index].strip()
        reason = f"the author box under '{header}'" + (f": {name}" if name else "")
        # The header and a line holding only the name label the box: the name is the
        # author's, the bio is what stands under them.
        scan.decide(index, drop(NAME, RemovalKind.BYLINE, f"the header of the author box ('{header}')"))
        for line in box[1:]:
            if name is not None and scan.lines[line].strip() == name:
                scan.decide(line, drop(NAME, RemovalKind.BYLINE, f"the author's name in the author box: {name}"))
            else:
                scan.decide(line, Decision(Role.AUTHOR_BIO, NAME, reason, detail=name))
        return True
    return False


def _closing_bio(scan: Scan) -> None:
    # The last paragraph still open: debris, galleries and media after the bio are passed
    # over, and so are a few trailing scraps that are not prose (a later rule removes them).
    name = last = None
    scraps = 0
    for index in reversed(scan.content()):
        if scan.decisions[index] is not None:
            continue
        text = scan.lines[index]
        name = bio_name(text, scan.pack)
        if name is not None:
            last = index
            break
        scraps += 1
        if is_prose(text) or scraps > _MAX_TRAILING_SCRAPS:
            return
    if last is None:
        return
    # A bio closes an article: some body prose must come before it.
    if not any(is_prose(scan.lines[i]) for i in scan.undecided() if i < last):
        return
    surname = name.split()[-1]
    mentioned = re.compile(rf"\b{re.escape(surname)}\b")
    for index in scan.undecided():
        if index != last and mentioned.search(scan.lines[index]):
            return  # the article talks about this person: the closing line is content
    scan.decide(last, Decision(Role.AUTHOR_BIO, NAME, f"closing bio of {name}: name, bio verb, role and organisation", detail=name))


_BYLINE = re.compile(r"(?:by|BY|By)\s+(?P<names>[^,|•·–—]+?)(?:\s*(?:,|\||•|·|–|—|\s-\s).*)?$")


def byline_name(text: str) -> str | None:
    """The author named in a byline: "By Tom Krisher, AP Auto Writer" gives "Tom Krisher"."""
    match = _BYLINE.match(text)
    if not match:
        return None
    names = match.group("names").strip()
    if names.isupper():
        names = names.title()  # "By JANE DOE" reads better as "Jane Doe"
    return names or None
