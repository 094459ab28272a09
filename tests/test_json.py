"""The model's JSON is written without pydantic (``cleaner.render.json``), and must stay
byte for byte what pydantic's adapter writes: over many generated articles, every field
of every model class filled with arbitrary text, indented and compact."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaner
from cleaner import model
from cleaner.render.json import pydantic_json, render_json, to_data

SETTINGS = settings(max_examples=int(os.environ.get("CLEANER_HYPOTHESIS_EXAMPLES", 300)), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any text a str can hold and JSON can carry: control characters, quotes, backslashes,
# U+2028, astral characters... (lone surrogates cannot be written by either).
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
maybe_text = st.none() | text
number = st.integers(min_value=0, max_value=2**40)
span = st.builds(model.LineSpan, number, number)
mark = st.builds(model.Mark, st.sampled_from(model.MarkKind), number, number, maybe_text)
marks = st.lists(mark, max_size=3).map(tuple)
block = st.one_of(
    st.builds(model.Paragraph, text=text, lines=span, marks=marks),
    st.builds(model.Heading, text=text, lines=span, level=st.integers(1, 6), marks=marks),
    st.builds(model.Quote, text=text, lines=span, marks=marks),
    st.builds(model.ListItem, text=text, lines=span, ordered=st.booleans(), number=st.none() | number, depth=st.integers(0, 5), marks=marks),
    st.builds(model.CodeBlock, text=text, lines=span, language=maybe_text),
    st.builds(model.Table, rows=st.lists(st.lists(text, max_size=3).map(tuple), max_size=3).map(tuple), lines=span, header=st.booleans()),
    st.builds(model.GalleryAnchor, gallery=number),
)
item = st.builds(model.GalleryItem, number, text, maybe_text, span, maybe_text)
gallery = st.builds(model.Gallery, maybe_text, st.none() | number, st.lists(item, max_size=3).map(tuple), span)
media = st.builds(model.Media, st.sampled_from(model.MediaType), text, number, span, maybe_text, maybe_text, maybe_text)
author = st.none() | st.builds(model.Author, maybe_text, maybe_text, st.lists(number, max_size=3).map(tuple))
removal = st.builds(model.Removal, st.sampled_from(model.RemovalKind), text, span, text, text)
source = st.none() | st.builds(model.Source, text, st.booleans(), text, number, number, st.booleans(), number, text, text, text)
metadata = st.builds(model.Metadata, maybe_text, maybe_text, maybe_text, maybe_text, maybe_text, maybe_text, st.lists(text, max_size=3).map(tuple))
article = st.builds(
    model.Article,
    title=maybe_text,
    body=st.lists(block, max_size=6).map(tuple),
    galleries=st.lists(gallery, max_size=2).map(tuple),
    media=st.lists(media, max_size=2).map(tuple),
    author=author,
    removed=st.lists(removal, max_size=4).map(tuple),
    source=source,
    metadata=metadata,
)


@pytest.mark.slow
@SETTINGS
@given(article)
def test_json_is_byte_identical_to_pydantics(article):
    assert render_json(article) == pydantic_json(article)
    assert render_json(article, indent=None) == pydantic_json(article, indent=None)
    assert json.loads(render_json(article)) == to_data(article)
    assert cleaner.from_json(render_json(article)) == article


def test_every_field_of_every_model_class_is_written():
    """A field added to the model must be added to ``to_data``: the strategies above fill
    every field, and this says which one is missing when one is."""
    data = to_data(
        model.Article(
            title="t",
            body=tuple(
                cls(**{"text": "x", "lines": model.LineSpan(1, 1)} if cls is not model.Table else {"rows": (("a",),), "lines": model.LineSpan(1, 1)})
                for cls in (model.Paragraph, model.Heading, model.Quote, model.ListItem, model.CodeBlock, model.Table)
            )
            + (model.GalleryAnchor(gallery=0),),
            galleries=(model.Gallery("g", 1, (model.GalleryItem(1, "c", None, model.LineSpan(2, 2)),), model.LineSpan(2, 2)),),
            media=(model.Media(model.MediaType.VIDEO, "v", 0, model.LineSpan(3, 3)),),
            author=model.Author("a", None),
            removed=(model.Removal(model.RemovalKind.BLANK, "r", model.LineSpan(4, 4), ""),),
            source=model.Source("utf-8", False, "lf", 1, 4),
        )
    )

    def names(cls) -> list[str]:
        return [field.name for field in dataclasses.fields(cls)]

    assert list(data) == names(model.Article)
    for block, cls in zip(data["body"], (model.Paragraph, model.Heading, model.Quote, model.ListItem, model.CodeBlock, model.Table, model.GalleryAnchor)):
        assert list(block) == names(cls)
    assert list(data["galleries"][0]) == names(model.Gallery)
    assert list(data["galleries"][0]["items"][0]) == names(model.GalleryItem)
    assert list(data["media"][0]) == names(model.Media)
    assert list(data["author"]) == names(model.Author)
    assert list(data["removed"][0]) == names(model.Removal)
    assert list(data["source"]) == names(model.Source)
    assert list(data["metadata"]) == names(model.Metadata)
