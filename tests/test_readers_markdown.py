"""The Markdown reader: blocks with their kinds and line spans, inline marks over plain
text, images as media, and every line of the input accounted for exactly once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaner
from cleaner import CodeBlock, Heading, ListItem, MarkKind, MediaType, Paragraph, Quote, Table

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
SETTINGS = settings(max_examples=int(os.environ.get("CLEANER_HYPOTHESIS_EXAMPLES", 300)), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _article(name: str = "article.md"):
    return cleaner.clean((FIXTURES / name).read_bytes(), path=name)


def _accounted(article) -> None:
    owners = article.line_owners()  # raises if a line is claimed twice
    assert sorted(owners) == list(range(1, article.source.lines + 1))


def test_blocks_keep_their_kind_and_lines():
    article = _article()
    assert article.source.format == "md" and article.source.detected_by == "suffix" and article.source.unit == "line"
    kinds = [type(block) for block in article.body]
    assert kinds == [Paragraph, ListItem, ListItem, ListItem, Quote, CodeBlock, Table, Paragraph]
    items = [block for block in article.body if isinstance(block, ListItem)]
    assert [(item.ordered, item.number, item.depth) for item in items] == [(True, 3, 0), (True, 4, 0), (False, None, 1)]
    code = next(block for block in article.body if isinstance(block, CodeBlock))
    assert code.text == 'print("kept exactly")\n    indented' and code.language == "python"
    table = next(block for block in article.body if isinstance(block, Table))
    assert table.rows == (("Road", "Status"), ("A1", "open")) and table.header
    assert article.title == "Bridge reopens after flood repairs"  # the headline rule took the heading
    _accounted(article)


def test_an_authors_wrapped_paragraph_is_one_block_with_standoff_marks():
    first = _article().body[0]
    assert first.text == "Officials said on Monday that the bridge would reopen next week after repairs, the council said."
    assert first.lines.first == 3 and first.lines.last == 4
    marked = {(mark.kind, first.text[mark.start : mark.end], mark.url) for mark in first.marks}
    assert marked == {
        (MarkKind.EMPHASIS, "Monday", None),
        (MarkKind.LINK, "bridge", "https://example.com/bridge"),
        (MarkKind.STRONG, "repairs", None),
        (MarkKind.CODE, "council", None),
    }
    assert "*" not in first.text and "[" not in first.text  # the text itself holds no markup


def test_an_image_becomes_media_with_its_caption_and_address():
    (image,) = _article().media
    assert image.type is MediaType.IMAGE and image.caption == "Workers on the bridge deck"
    assert image.url == "https://example.com/img/deck.jpg" and image.lines.first == 6


def test_a_scrapers_one_block_a_line_markdown_is_read_line_by_line():
    article = _article("scraped.md")
    texts = [block.text for block in article.paragraphs()]
    assert "The old stone bridge over the river reopened on Monday morning, six months after the winter floods." in texts
    menu = [block for block in article.paragraphs() if block.text in ("Home", "News")]
    # a menu entry is a link over its whole text: the evidence a rule can weigh
    assert all(len(block.marks) == 1 and block.marks[0].kind is MarkKind.LINK and block.marks[0].end == len(block.text) for block in menu)
    _accounted(article)


def test_a_run_of_numbered_images_is_a_gallery_with_their_addresses():
    (gallery,) = _article("scraped.md").galleries
    assert [item.caption for item in gallery.items] == ["Workers on the deck", "The arch under repair", "The first car across"]
    assert [item.url for item in gallery.items] == [f"https://gazette.example/{n}.jpg" for n in (1, 2, 3)]
    assert {item.credit for item in gallery.items} == {"Getty"}


def test_markdown_is_chosen_by_suffix_or_option_never_sniffed():
    text = "# Title\n\nSome *text* here.\n"
    assert cleaner.clean(text).source.format == "text"
    assert cleaner.clean(text, from_="md").source.format == "md"
    assert cleaner.clean(text, path="a.markdown.gz").source.format == "md"


def test_raw_html_in_markdown_keeps_its_words_and_drops_scripts():
    article = cleaner.clean('Intro line of the article, long enough to be a paragraph.\n\n<div>Boxed <b>words</b></div>\n\n<script>alert("no")</script>\n', from_="md")
    texts = [block.text for block in article.paragraphs()]
    assert "Boxed words" in texts and not any("alert" in text for text in texts)
    _accounted(article)


_INLINE = st.sampled_from(["plain words", "*emphasis*", "**strong**", "`code`", "[a link](https://x.example/)", "![alt](https://x.example/i.png)", "<span>raw</span>", "\\*escaped\\*"])
_LINE = st.lists(_INLINE, min_size=1, max_size=4).map(" ".join)
_BLOCK = st.one_of(
    _LINE,
    _LINE.map(lambda line: "## " + line),
    _LINE.map(lambda line: "> " + line),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda lines: "\n".join("- " + line for line in lines)),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda lines: "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda lines: "- item\n" + "\n".join("  - " + line for line in lines)),
    _LINE.map(lambda line: f"```\n{line}\n\n  indented\n```"),
    st.just("| a | b |\n|---|---|\n| 1 | 2 |"),
    st.just("---"),
    st.just("<div>\nblock <em>html</em>\n</div>"),
    st.just("[ref]: https://x.example/"),
    st.just(""),
)


@pytest.mark.slow
@SETTINGS
@given(st.lists(_BLOCK, min_size=1, max_size=12), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_every_markdown_line_is_accounted_for_exactly_once_and_in_order(blocks, separator):
    text = separator.join(blocks)
    article = cleaner.clean(text, from_="md")
    _accounted(article)
    firsts = [block.lines.first for block in article.paragraphs()]
    assert firsts == sorted(firsts)
    for block in article.paragraphs():
        for mark in getattr(block, "marks", ()):
            assert 0 <= mark.start < mark.end <= len(block.text)
