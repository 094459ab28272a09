"""Every block type reads back from Markdown and HTML as the model has it, and lists are
grouped once, alike for every renderer (kind, start number, nesting)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readback import html_list_numbers, html_structure, markdown_structure

import cleaner
from cleaner import Article, CodeBlock, Heading, LineSpan, ListItem, Paragraph, Quote, Table

SETTINGS = settings(max_examples=int(os.environ.get("CLEANER_HYPOTHESIS_EXAMPLES", 300)), deadline=None, suppress_health_check=[HealthCheck.too_slow])

_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40).map(lambda text: " ".join(text.split())).filter(bool)
_SPAN = LineSpan(1, 1)


def _list(depth: int):
    """(spec, items): the structure a reader should find, and the model's list items."""

    @st.composite
    def build(draw):
        ordered = draw(st.booleans())
        start = draw(st.integers(1, 500)) if ordered else None
        texts = draw(st.lists(_text, min_size=1, max_size=4))
        specs, items = [("list", ordered, start, texts)], []
        for offset, text in enumerate(texts):
            items.append(ListItem(text=text, lines=_SPAN, ordered=ordered, number=start + offset if ordered else None, depth=depth))
            if depth < 1 and draw(st.booleans()):
                child_specs, child_items = draw(_list(depth + 1))
                specs.extend(child_specs)
                items.extend(child_items)
        return specs, items

    return build()


_single = st.one_of(
    _text.map(lambda text: ([("paragraph", text)], [Paragraph(text=text, lines=_SPAN)])),
    _text.map(lambda text: ([("heading", text)], [Heading(text=text, lines=_SPAN, level=2)])),
    _text.map(lambda text: ([("quote", text)], [Quote(text=text, lines=_SPAN)])),
    st.lists(_text, min_size=1, max_size=3).map(lambda lines: "\n".join(lines)).map(lambda text: ([("code", text)], [CodeBlock(text=text, lines=_SPAN)])),
    st.integers(1, 3).flatmap(lambda width: st.lists(st.lists(_text, min_size=width, max_size=width), min_size=2, max_size=4)).map(
        lambda rows: ([("table", [list(row) for row in rows])], [Table(rows=tuple(tuple(row) for row in rows), lines=_SPAN, header=True)])
    ),
)


@st.composite
def _body(draw):
    specs, blocks = [], []
    for _ in range(draw(st.integers(1, 6))):
        spec, made = draw(st.one_of(_single, _list(0)))
        if specs and spec[0][0] == "list" and blocks and isinstance(blocks[-1], ListItem):
            specs.append(("paragraph", "between"))  # two lists in a row would be one
            blocks.append(Paragraph(text="between", lines=_SPAN))
        specs.extend(spec)
        blocks.extend(made)
    return specs, blocks


@pytest.mark.slow
@SETTINGS
@given(_body())
def test_every_block_type_reads_back_from_markdown_and_html(body):
    specs, blocks = body
    article = Article(title=None, body=tuple(blocks))
    assert markdown_structure(cleaner.render(article, "md")) == specs
    assert html_structure(cleaner.render(article, "html")) == specs


def _items(*specs) -> tuple[ListItem, ...]:
    return tuple(ListItem(text=text, lines=_SPAN, ordered=number is not None, number=number) for text, number in specs)


def test_an_ordered_list_then_a_bullet_list_are_two_lists_in_every_format():
    article = Article(title=None, body=_items(("one", 1), ("two", 2), ("dot", None)))
    html = cleaner.render(article, "html")
    assert html_structure(html) == [("list", True, 1, ["one", "two"]), ("list", False, None, ["dot"])]
    assert "<ol>" in html and "</ol>" in html and "<ul>" in html and "</ul>" in html
    assert markdown_structure(cleaner.render(article, "md")) == html_structure(html)
    assert cleaner.render(article, "txt") == "1. one\n2. two\n\n- dot\n"


def test_html_keeps_the_source_numbers_of_an_ordered_list():
    article = Article(title=None, body=_items(("third", 3), ("fourth", 4)))
    assert html_list_numbers(cleaner.render(article, "html")) == [[3, 4]]
    assert cleaner.render(article, "md").startswith("3. third\n4. fourth")
    skipping = Article(title=None, body=_items(("a", 1), ("b", 5), ("c", 6)))
    assert html_list_numbers(cleaner.render(skipping, "html")) == [[1, 5, 6]]
    assert cleaner.render(skipping, "txt") == "1. a\n5. b\n6. c\n"
