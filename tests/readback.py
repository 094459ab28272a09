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
    """The title (unless it is one made up for an article without one, which is visually
    hidden) and the texts of the body."""
    soup = BeautifulSoup(html, "html.parser")
    return [element.get_text() for element in soup.select("article > header > h1:not(.visually-hidden), article > p, article > h2, article > blockquote > p, article li")]


def html_captions(html: str) -> list[tuple[str, str | None]]:
    soup = BeautifulSoup(html, "html.parser")
    out = []
    for figure in soup.select("figure figcaption"):
        credit = figure.select_one(".credit")
        out.append((figure.select_one(".caption").get_text(), credit.get_text() if credit else None))
    return out


# --- structure: every block type, as a reader of the output sees it ---------------------

_GFM = MarkdownIt("commonmark").enable("table")


def markdown_structure(markdown: str) -> list[tuple]:
    """The blocks a Markdown reader finds: ("paragraph" | "heading" | "quote", text),
    ("list", ordered, start, [item texts]) with nested lists flattened in order after
    their item, ("code", text) and ("table", [[cells]])."""
    found: list[tuple] = []
    tokens = _GFM.parse(markdown)
    stack: list[str] = []
    lists: list[list] = []
    rows: list[list[str]] | None = None
    for position, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            ordered = token.type == "ordered_list_open"
            entry = ["list", ordered, int(token.attrGet("start") or 1) if ordered else None, []]
            found.append(entry)
            lists.append(entry)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type.endswith("_open"):
            stack.append(token.type[: -len("_open")])
            if token.type == "table_open":
                rows = []
            elif token.type == "tr_open":
                rows.append([])
        elif token.type.endswith("_close"):
            stack.pop()
            if token.type == "table_close":
                found.append(("table", rows))
                rows = None
        elif token.type == "fence" or token.type == "code_block":
            found.append(("code", token.content[:-1] if token.content.endswith("\n") else token.content))
        elif token.type == "inline":
            text = "".join(_text(child) for child in token.children or [])
            if rows is not None:
                rows[-1].append(text)
            elif "list_item" in stack:
                lists[-1][3].append(text)
            elif "blockquote" in stack:
                found.append(("quote", text))
            elif stack and stack[-1] == "heading":
                found.append(("heading", text))
            else:
                found.append(("paragraph", text))
    return [tuple(entry) if isinstance(entry, list) else entry for entry in found]


def html_structure(html: str) -> list[tuple]:
    """The same structure, read from the article element of cleaner's HTML."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article")
    found: list[tuple] = []

    def walk_list(element) -> None:
        ordered = element.name == "ol"
        entry = ["list", ordered, int(element.get("start", 1)) if ordered else None, []]
        found.append(entry)
        for item in element.find_all("li", recursive=False):
            entry[3].append("".join(item.find_all(string=True, recursive=False)))
            for child in item.find_all(["ol", "ul"], recursive=False):
                walk_list(child)

    for element in article.find_all(recursive=False):
        if element.name == "p":
            found.append(("paragraph", element.get_text()))
        elif element.name in ("h2", "h3", "h4", "h5", "h6"):
            found.append(("heading", element.get_text()))
        elif element.name == "blockquote":
            found.append(("quote", element.get_text()))
        elif element.name in ("ol", "ul"):
            walk_list(element)
        elif element.name == "pre":
            found.append(("code", element.get_text()))
        elif element.name == "div" and element.select_one("table"):
            found.append(("table", [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in element.select("tr")]))
    return [tuple(entry) if isinstance(entry, list) else entry for entry in found]


def html_list_numbers(html: str) -> list[list[int]]:
    """The number each item of each ordered list shows, as a browser numbers them."""
    soup = BeautifulSoup(html, "html.parser")
    numbers = []
    for element in soup.select("ol"):
        current = int(element.get("start", 1))
        shown = []
        for item in element.find_all("li", recursive=False):
            current = int(item.get("value", current))
            shown.append(current)
            current += 1
        numbers.append(shown)
    return numbers
