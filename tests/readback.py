"""Reading rendered output back into text, the way a consumer of cleaner's output would."""

from __future__ import annotations

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark")  # HTML enabled, as CommonMark has it


def markdown_blocks(markdown: str) -> list[str]:
    """The text of every inline run (paragraph, heading, list item), in order."""
    texts = []
    for token in _MD.parse(markdown):
        if token.type == "inline":
            texts.append("".join(_text(child) for child in token.children or []))
    return texts


def markdown_html_tags(markdown: str) -> list[str]:
    """Raw HTML the Markdown would pass through (there should be none from the input)."""
    return [token.content for token in _MD.parse(markdown) if token.type == "html_block"] + [
        child.content for token in _MD.parse(markdown) if token.type == "inline" for child in token.children or [] if child.type == "html_inline"
    ]


def _text(token) -> str:
    if token.type in ("text", "code_inline", "html_inline"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    return ""  # emphasis open/close markers carry no text


def html_paragraphs(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [element.get_text() for element in soup.select("article > header > h1, article > p, article > h2, article > blockquote > p, article li")]


def html_captions(html: str) -> list[tuple[str, str | None]]:
    soup = BeautifulSoup(html, "html.parser")
    out = []
    for figure in soup.select("figure figcaption"):
        credit = figure.select_one(".credit")
        out.append((figure.select_one(".caption").get_text(), credit.get_text() if credit else None))
    return out
