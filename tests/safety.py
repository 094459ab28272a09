"""Checks that rendered output carries no markup from the input, shared by the hostile-input
tests, the fuzz harness (``scripts/fuzz.py``) and the crash-fixture replay.

The idea: render an article, then render the same article with every piece of text replaced
by a harmless word. Markup can only come from the templates, so both renders must have the
same elements with the same attributes (the texts differ, nothing else); the Markdown must
parse into the same block and inline structure, with no raw HTML, links or images at all.
"""

from __future__ import annotations

import re
import signal
from contextlib import contextmanager
from dataclasses import replace

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from cleaner import Article, GalleryAnchor

_MD = MarkdownIt("commonmark")  # raw HTML enabled, as CommonMark has it
#: Inline tokens that only carry text (their number varies with the text, not with markup).
_TEXTUAL = {"text", "text_special", "softbreak", "hardbreak"}
#: Tokens cleaner's Markdown never produces: any of them came from the input.
_FORBIDDEN_MD = {"html_inline", "html_block", "link_open", "image", "code_inline", "code_block", "fence"}
#: The harmless text: a word no template contains, so that where it shows, article text goes.
NEUTRAL = "Zqxneutral"


def neutral(article: Article) -> Article:
    """The same article with every text replaced by ``NEUTRAL`` (empty texts stay empty, so every
    ``{% if %}`` in a template takes the same branch)."""

    def x(text: str | None) -> str | None:
        return NEUTRAL if text else text

    body = tuple(block if isinstance(block, GalleryAnchor) else replace(block, text=x(block.text)) for block in article.body)
    galleries = tuple(
        replace(gallery, title=x(gallery.title), items=tuple(replace(item, caption=x(item.caption), credit=x(item.credit)) for item in gallery.items))
        for gallery in article.galleries
    )
    media = tuple(replace(item, label=x(item.label), caption=x(item.caption), credit=x(item.credit)) for item in article.media)
    author = article.author
    if author is not None:
        bio = "\n\n".join(x(part) or "" for part in author.bio.split("\n\n")) if author.bio else author.bio
        author = replace(author, name=x(author.name), bio=bio)
    return replace(article, title=x(article.title), body=body, galleries=galleries, media=media, author=author)


def texts_of(article: Article, *, body_only: bool = False) -> list[str]:
    """Every text of the model a renderer shows (media placeholders are not rendered;
    ``body_only`` shows the body's text blocks only)."""
    found = [article.title] if article.title and not body_only else []
    for block in article.body:
        if not isinstance(block, GalleryAnchor):
            found.append(block.text)
    if body_only:
        return found
    for gallery in article.galleries:
        found.append(gallery.title or "")
        for item in gallery.items:
            found.extend([item.caption, item.credit or ""])
    if article.author and article.author.bio:
        found.extend(article.author.bio.split("\n\n"))
    return [text for text in found if text]


def html_elements(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every element with its attributes, in document order."""
    soup = BeautifulSoup(html, "html.parser")
    return [(element.name, {name: str(value) for name, value in element.attrs.items()}) for element in soup.find_all(True)]


def check_html(article: Article, html: str, harmless_html: str, *, body_only: bool = False) -> None:
    """``html`` (a render of ``article``) has exactly the markup of ``harmless_html`` (the
    same render of ``neutral(article)``), and every text of the model reads back. An
    attribute value may differ only where the harmless render has text in it."""
    elements, expected = html_elements(html), html_elements(harmless_html)
    assert [name for name, _ in elements] == [name for name, _ in expected], f"elements from the input: {_difference(elements, expected)}"
    for (name, attributes), (_, harmless) in zip(elements, expected):
        assert attributes.keys() == harmless.keys(), f"attributes from the input on <{name}>: {sorted(attributes.keys() ^ harmless.keys())}"
        for key, value in attributes.items():
            assert NEUTRAL in harmless[key] or value == harmless[key], f"<{name} {key}={value!r}> differs from the template's {harmless[key]!r}"
    text = BeautifulSoup(html, "html.parser").get_text()
    for piece in texts_of(article, body_only=body_only):
        assert piece in text, f"text lost in HTML: {piece!r}"


def markdown_shape(markdown: str) -> list[str]:
    shape = []
    for token in _MD.parse(markdown):
        shape.append(token.type)
        shape.extend(child.type for child in token.children or [] if child.type not in _TEXTUAL)
    return shape


def markdown_text(markdown: str) -> str:
    """The text a reader of the rendered Markdown sees, inline runs joined by newlines."""
    runs = []
    for token in _MD.parse(markdown):
        if token.type == "inline":
            runs.append("".join(child.content for child in token.children or [] if child.type in ("text", "text_special", "code_inline", "html_inline")))
    return "\n".join(runs)


def check_markdown(article: Article, markdown: str, harmless_markdown: str, *, body_only: bool = False) -> None:
    shape = markdown_shape(markdown)
    forbidden = _FORBIDDEN_MD.intersection(shape)
    assert not forbidden, f"Markdown from the input: {sorted(forbidden)}"
    assert shape == markdown_shape(harmless_markdown), "the input changed the Markdown's structure"
    text = markdown_text(markdown)
    for piece in texts_of(article, body_only=body_only):
        assert piece in text, f"text lost in Markdown: {piece!r}"


def _difference(elements, expected) -> list[str]:
    names, harmless = [name for name, _ in elements], [name for name, _ in expected]
    extra = [name for name in set(names) if names.count(name) != harmless.count(name)]
    return sorted(extra)


# -- the whole pipeline on one input (the fuzz harness and the crash fixtures) -------------


def check_renders(article: Article) -> None:
    """Every render works; HTML and Markdown carry no markup from the text; JSON reads back."""
    from cleaner import from_json, render  # noqa: PLC0415  (keeps this module light to import)

    harmless = neutral(article)
    for body_only in (False, True):
        check_html(article, render(article, "html", body_only=body_only), render(harmless, "html", body_only=body_only), body_only=body_only)
        check_markdown(article, render(article, "md", body_only=body_only), render(harmless, "md", body_only=body_only), body_only=body_only)
        render(article, "txt", body_only=body_only)
    assert from_json(render(article, "json")) == article, "JSON does not read back to the model"


#: Bytes that occur nowhere in valid UTF-8: each is a bad sequence of its own, wherever it stands.
NEVER_UTF8 = re.compile(rb"[\xc0\xc1\xf5-\xff]")


def check_fidelity(data: bytes) -> None:
    """Valid UTF-8 with a few bad bytes keeps everything else: when ``data`` is valid UTF-8
    text but for bytes that never occur in UTF-8 (put between characters), at most one in a
    thousand, it is read as UTF-8 with a U+FFFD for each of them, and nothing else changes.
    Other inputs: whenever cleaner reads any as UTF-8, it replaces only its bad bytes."""
    from cleaner import CleanerError  # noqa: PLC0415
    from cleaner.decode import decode, normalise_text  # noqa: PLC0415

    pieces = NEVER_UTF8.split(data)
    try:
        texts = [piece.decode("utf-8") for piece in pieces]
        original = decode(b"".join(pieces))
    except (UnicodeDecodeError, CleanerError):
        return  # not valid text around the bad bytes, or refused without them (binary)
    if original.source.encoding != "utf-8":
        return  # read as UTF-16 or UTF-32 (NULs): no UTF-8 to keep
    bad = len(pieces) - 1
    try:
        decoded = decode(data)
    except CleanerError as error:
        assert bad > max(1, len(data) // 1000), f"{bad} bad bytes in {len(data)}: {error}"
        return
    if bad <= max(1, len(data) // 1000):
        assert decoded.source.encoding == "utf-8", f"{bad} bad bytes in {len(data)} read as {decoded.source.encoding}"
    if decoded.source.encoding == "utf-8":
        assert decoded.text == normalise_text("\ufffd".join(texts)), "text around the bad bytes changed"
        assert decoded.source.replaced == bad, f"{decoded.source.replaced} replaced, {bad} bad bytes"


def check_document(data: bytes | str, *, idempotence: bool = True) -> None:
    """Clean ``data`` and check everything cleaner promises about the result: a
    ``CleanerError`` (for bytes that are not text) or an article whose every input line is
    accounted for, in order; the same article again; safe renders; and (``idempotence``)
    plain text that cleans to itself."""
    import cleaner  # noqa: PLC0415

    if isinstance(data, bytes):
        check_fidelity(data)
    try:
        article = cleaner.clean(data)
    except cleaner.CleanerError:
        assert isinstance(data, bytes), "text input refused"
        return
    owners = article.line_owners()  # raises if a line is claimed twice
    assert sorted(owners) == list(range(1, article.source.lines + 1)), "input lines not accounted for"
    firsts = [block.lines.first for block in article.paragraphs()]
    assert firsts == sorted(firsts), "body blocks out of input order"
    assert cleaner.clean(data) == article, "cleaning is not deterministic"
    check_renders(article)
    if idempotence:
        check_idempotence(data)


def check_idempotence(data: bytes | str) -> None:
    """Cleaning the plain-text output again changes nothing."""
    import cleaner  # noqa: PLC0415

    try:
        article = cleaner.clean(data)
    except cleaner.CleanerError:
        return
    text = cleaner.render(article, "txt")
    assert cleaner.render(cleaner.clean(text), "txt") == text, "the plain-text output does not clean to itself"


class Hang(Exception):
    """Raised by ``hang_guard`` when its block runs past the limit."""


@contextmanager
def hang_guard(seconds: int, what: str = "still running"):
    """Fail, not hang: raise ``Hang`` when the block runs longer than ``seconds`` (a
    super-linear rule or a backtracking regex). Without SIGALRM (not on Unix) the block
    just runs."""
    if not hasattr(signal, "SIGALRM") or seconds <= 0:
        yield
        return

    def expire(signum, frame):
        raise Hang(f"{what} after {seconds} s (super-linear rule or regex?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
