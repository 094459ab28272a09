"""CommonMark. Every piece of scraped text is escaped so that a CommonMark parser reads it
back as exactly the model's text: "1. caption", "*", "#", "<b>" and "[x](y)" stay literal.
The model's inline marks come back as emphasis, strong emphasis, code spans and links
(http, https, mailto and relative only); images stand where they stood, with their caption.
With ``front_matter``, a YAML header (title, author, date…) for static-site generators.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache

from ..model import Article, CodeBlock, Gallery, GalleryAnchor, Heading, Mark, MarkKind, Media, Quote, Table
from . import RenderOptions
from .context import language, source_link
from .inline import Close, Open, events, runs, safe_url
from .layout import ListGroup, layout

# Characters with inline meaning anywhere in a line. Underscores inside a word cannot open
# or close emphasis in CommonMark, so only those at a word edge are escaped (readability).
# Trailing '#'s would close an ATX heading: the run is matched once, from its first '#'
# (possessively), so a long run costs linear time, not quadratic.
_INLINE = re.compile(r"[\\`*\[\]<>|~]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)|(?<!#)#++$")
# Every character _INLINE can match: text without any of them (most prose) is left as it
# is after one scan, cheaper than the lookarounds _INLINE tries at every position (the
# substitution was two thirds of the Markdown renderer's time).
_INLINE_CHARACTERS = re.compile(r"[\\`*\[\]<>|~_&#]")
# Characters with block meaning at the start of a line.
_LINE_START = re.compile(r"^(?:([#>+=\-])|(\d{1,9})([.)]))")


def escape(text: str) -> str:
    """Backslash-escape ``text`` so it renders literally in CommonMark."""
    if _INLINE_CHARACTERS.search(text):
        text = _INLINE.sub(_escape_inline, text)
    return _LINE_START.sub(_escape_start, text)


def _escape_inline(match: re.Match[str]) -> str:
    return "".join("\\" + character for character in match.group(0))


def _escape_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return match.group(2) + "\\" + match.group(3)


def render_markdown(article: Article, options: RenderOptions = RenderOptions()) -> str:
    body_only = options.body_only
    parts: list[str] = []
    if article.title and not body_only:
        parts.append(f"# {escape(article.title)}")
    if not body_only and article.author and article.author.name and not article.author.bio:
        parts.append(f"*By {escape(article.author.name)}*")
    source = source_link(article)
    base = source.url if source else None  # relative links are read against the article's address
    for block in layout(article.body, () if body_only else article.media):
        if isinstance(block, GalleryAnchor):
            if not body_only:
                parts.append(_gallery(article.galleries[block.gallery]))
        elif isinstance(block, Media):
            parts.extend(_figure(block, base))
        elif isinstance(block, ListGroup):
            parts.append("\n".join(_list_lines(block, "", base)))
        elif isinstance(block, Heading):
            parts.append(f"{'#' * min(6, max(2, block.level))} {inline(block.text, block.marks, base)}")
        elif isinstance(block, Quote):
            parts.append(f"> {inline(block.text, block.marks, base)}")
        elif isinstance(block, CodeBlock):
            parts.append(_code(block))
        elif isinstance(block, Table):
            parts.append(_table(block))
        else:
            parts.append(inline(block.text, block.marks, base))
    if article.author and article.author.bio and not body_only:
        parts.append("---")
        parts.extend(escape(paragraph) for paragraph in article.author.bio.split("\n\n"))
    text = "\n\n".join(parts) + ("\n" if parts else "")
    if options.front_matter:
        text = front_matter(article) + ("\n" if text else "") + text
    return text


def front_matter(article: Article) -> str:
    """YAML front matter (Hugo, Jekyll, Astro, pandoc): what the model knows, nothing else.

    Keys: ``title``, ``author``, ``date`` (as the source gives it), ``lang``,
    ``source_url`` (not ``url``: Hugo reads ``url`` as the page's own path), ``site``,
    ``description``, ``tags``. Every value is a JSON string, which is YAML: quotes,
    newlines, ``---`` and ``#`` in scraped text stay inside their value."""
    metadata = article.metadata
    fields = {
        "title": article.title,
        "author": article.author.name if article.author else None,
        "date": metadata.published,
        "lang": language(article) if metadata.language else None,
        "source_url": safe_url(metadata.url),
        "site": metadata.site,
        "description": metadata.description,
    }
    lines = ["---"]
    lines.extend(f"{key}: {_yaml_string(value)}" for key, value in fields.items() if value)
    if metadata.tags:
        lines.append("tags:")
        lines.extend(f"  - {_yaml_string(tag)}" for tag in metadata.tags)
    lines.append("---")
    return "\n".join(lines) + "\n"


def _yaml_string(value: str) -> str:
    # ensure_ascii: YAML forbids some characters JSON allows raw (C1 controls, U+FEFF…);
    # escaped, every one of them is a valid YAML double-quoted string.
    return json.dumps(value, ensure_ascii=True)


def inline(text: str, marks: Sequence[Mark] = (), base: str | None = None) -> str:
    """A block's text with its marks as CommonMark, read back by a CommonMark parser as
    exactly ``text`` (and its links' URLs, relative ones resolved against ``base``).
    Emphasis that CommonMark cannot express where it stands (delimiters next to
    punctuation inside a word) is left out; when the result would not read back, the
    marks go, never the text."""
    if not marks:
        return escape(text)
    pieces = runs(text, marks, base)
    for keep in (None, _LINKS_AND_CODE):
        written = _write_inline(pieces, keep)
        if _reads_back(written, text, pieces, keep):
            return written
    return escape(text)


_LINKS_AND_CODE = frozenset({MarkKind.LINK, MarkKind.CODE})
_DELIMITERS = {MarkKind.EMPHASIS: "*", MarkKind.STRONG: "**"}


def _write_inline(pieces, keep: frozenset[MarkKind] | None) -> str:
    if keep is not None:
        pieces = [type(piece)(piece.text, tuple(mark for mark in piece.marks if mark.kind in keep)) for piece in pieces]
    out: list[str] = []
    text: list[str] = []  # text between two delimiters, escaped as one (entities, '_' at word edges)
    code: list[str] | None = None

    def flush() -> None:
        if text:
            out.append(_INLINE.sub(_escape_inline, "".join(text)))
            text.clear()

    for event in _move_spaces_out(events(pieces)):
        if isinstance(event, str):
            (code if code is not None else text).append(event)
            continue
        flush()
        kind = event.mark.kind
        if kind is MarkKind.CODE:
            if isinstance(event, Open):
                code = []
            else:
                out.append(_code_span("".join(code or [])))
                code = None
        elif kind is MarkKind.LINK:
            out.append("[" if isinstance(event, Open) else f"](<{destination(event.mark.url)}>)")
        else:
            out.append(_DELIMITERS[kind])
    flush()
    return _LINE_START.sub(_escape_start, "".join(out))


# In a link destination between <>, these need a backslash (and '&' would start an entity).
_DESTINATION = re.compile(r"[\\<>&]")


def destination(url: str) -> str:
    """A (safe) URL as a CommonMark link destination, to go between ``<`` and ``>``."""
    return _DESTINATION.sub(lambda match: "\\" + match.group(0), url)


def _move_spaces_out(stream: list) -> list:
    """Emphasis delimiters next to a space do not count in CommonMark ("* a*" is literal):
    spaces at the edges of an emphasis or strong span move outside it, and a span left
    with nothing in it goes."""
    result = list(stream)
    changed = True
    while changed:
        changed = False
        for index, event in enumerate(result):
            if isinstance(event, Open) and event.mark.kind in _DELIMITERS and index + 1 < len(result):
                after = result[index + 1]
                if isinstance(after, Close) and after.mark is event.mark:
                    del result[index : index + 2]
                    changed = True
                    break
                if isinstance(after, str) and after[:1].isspace():
                    stripped = after.lstrip()
                    result[index : index + 2] = [after[: len(after) - len(stripped)], event] + ([stripped] if stripped else [])
                    changed = True
                    break
            if isinstance(event, Close) and event.mark.kind in _DELIMITERS and index > 0:
                before = result[index - 1]
                if isinstance(before, str) and before[-1:].isspace():
                    stripped = before.rstrip()
                    result[index - 1 : index + 1] = ([stripped] if stripped else []) + [event, before[len(stripped) :]]
                    changed = True
                    break
    return result


def _code_span(content: str) -> str:
    """A code span holding ``content`` literally: fenced by more backticks than any run
    inside, padded with a space where CommonMark would otherwise eat one or see a fence."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = content.startswith("`") or content.endswith("`") or (content.startswith(" ") and content.endswith(" ") and content.strip(" "))
    return f"{fence} {content} {fence}" if pad else f"{fence}{content}{fence}"


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt  # only articles with marks pay for the check

    return MarkdownIt("commonmark")


def _reads_back(written: str, text: str, pieces, keep) -> bool:
    """Whether a CommonMark parser reads ``written`` as ``text``, with the links' URLs."""
    parser = _parser()
    tokens = [token for token in parser.parse(written) if token.type == "inline"]
    if len(tokens) != 1:
        return False
    found, hrefs = [], []
    for child in tokens[0].children or []:
        if child.type in ("text", "code_inline", "text_special"):
            found.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            found.append("\n")
        elif child.type == "link_open":
            hrefs.append(child.attrGet("href"))
        elif child.type in ("image", "html_inline"):
            return False
    wanted = [parser.normalizeLink(mark.url) for opened in events(pieces) if isinstance(opened, Open) and opened.mark.kind is MarkKind.LINK for mark in (opened.mark,)]
    return "".join(found) == text and hrefs == wanted


def _figure(media: Media, base: str | None = None) -> list[str]:
    """An image: the picture when its address is safe, and its caption (with the credit)
    as an italic line; a caption-only figure is the italic line alone."""
    caption = " ".join(filter(None, [media.caption, f"({media.credit})" if media.credit else None]))
    parts = []
    url = safe_url(media.url, base)
    if url is not None:
        parts.append(f"![{escape(media.caption or '')}](<{destination(url)}>)")
    if caption:
        parts.append(f"*{escape(caption)}*")
    return parts


def _list_lines(group: ListGroup, indent: str, base: str | None = None) -> list[str]:
    """A tight list, one item a line; nested lists indented under their item by the width
    of its marker, as CommonMark wants."""
    lines = []
    for entry in group.entries:
        marker = f"{entry.number}. " if group.ordered else "- "
        lines.append(f"{indent}{marker}{inline(entry.item.text, entry.item.marks, base)}")
        for child in entry.children:
            if child.ordered and child.start != 1:
                # Only a list that starts at 1 may interrupt a paragraph (CommonMark):
                # any other would read as the item's text running on.
                lines.append("")
            lines.extend(_list_lines(child, indent + " " * len(marker), base))
    return lines


def _code(block: CodeBlock) -> str:
    """A fenced code block, its fence longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", block.text)), default=0)
    fence = "`" * max(3, longest + 1)
    language = (block.language or "").split()[0] if block.language else ""
    return f"{fence}{language}\n{block.text}\n{fence}"


def _table(block: Table) -> str:
    """A pipe table (GFM); a table without a header row gets an empty one, which is the
    only way GFM can write it."""
    width = max((len(row) for row in block.rows), default=0)
    if not width:
        return ""
    rows = [list(row) + [""] * (width - len(row)) for row in block.rows]
    header = rows.pop(0) if block.header else [""] * width

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(escape(" ".join(cell.split())) for cell in cells) + " |"

    return "\n".join([line(header), "|" + "---|" * width, *(line(row) for row in rows)])


def _gallery(gallery: Gallery) -> str:
    heading = f"## Gallery: {escape(gallery.title)}" if gallery.title else "## Gallery"
    shown, declared = len(gallery.items), gallery.declared_count
    count = f"*{shown} of {declared} photos*" if declared and declared != shown else f"*{shown} photos*"
    items = []
    for item in gallery.items:
        credit = f" *({escape(item.credit)})*" if item.credit else ""
        items.append(f"{item.index}. {escape(item.caption)}{credit}")
    return "\n\n".join([heading, count, "\n".join(items)])
