"""Properties that hold for any input, not just the seed."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readback import html_paragraphs, markdown_blocks, markdown_html_tags
from strategies import document

import cleaner
from cleaner.decode import normalise_text
from cleaner import Article, LineSpan, Paragraph

SETTINGS = settings(max_examples=int(os.environ.get("CLEANER_HYPOTHESIS_EXAMPLES", 300)), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@SETTINGS
@given(document)
def test_every_line_is_accounted_for_exactly_once_and_in_order(text):
    article = cleaner.clean(text)
    owners = article.line_owners()  # raises if any line is claimed twice
    assert sorted(owners) == list(range(1, article.source.lines + 1))
    # Body blocks keep input order.
    firsts = [block.lines.first for block in article.paragraphs()]
    assert firsts == sorted(firsts)
    # The removal log keeps the removed text itself (hard-wrapped lines rejoined).
    lines = normalise_text(text).split("\n")
    for removal in article.removed:
        span = lines[removal.lines.first - 1 : removal.lines.last]
        assert removal.text.split() == " ".join(span).split()


@pytest.mark.slow
@SETTINGS
@given(document)
def test_cleaning_is_deterministic_and_the_text_output_is_a_fixed_point(text):
    article = cleaner.clean(text)
    assert cleaner.clean(text) == article
    once = cleaner.render(article, "txt")
    twice = cleaner.render(cleaner.clean(once), "txt")
    assert twice == once


@pytest.mark.slow
@SETTINGS
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=60), min_size=1, max_size=5))
def test_markdown_and_html_read_back_to_the_model_text(texts):
    texts = [" ".join(text.split()) for text in texts]
    texts = [text for text in texts if text]
    article = Article(title=None, body=tuple(Paragraph(text=text, lines=LineSpan(i, i)) for i, text in enumerate(texts, 1)))
    markdown = cleaner.render(article, "md")
    assert markdown_blocks(markdown) == texts
    assert markdown_html_tags(markdown) == []
    assert html_paragraphs(cleaner.render(article, "html")) == texts


@pytest.mark.slow
@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_clean_or_fail_with_a_cleaner_error(data):
    try:
        article = cleaner.clean(data)
    except cleaner.CleanerError:
        return
    for fmt in ("md", "html", "txt", "json"):
        cleaner.render(article, fmt)


@pytest.mark.slow
@SETTINGS
@given(st.lists(document, min_size=3, max_size=4))
def test_with_a_site_memory_every_line_is_still_accounted_for_and_a_document_keeps_its_prose(texts):
    # The documents of one site, each the memory's and each cleaned with it: whatever they
    # share, every line ends up in the model or the log, and no text loses all its body.
    learner = cleaner.Learner(min_documents=2)
    plain = cleaner.Cleaner()
    for text in texts:
        learner.add(plain.read(text).lines.texts, url="https://example.com/")
    remembering = cleaner.Cleaner(memory=learner.memory())
    metadata = cleaner.Metadata(url="https://example.com/a")
    for text in texts:
        article = remembering.clean(text, metadata=metadata)
        owners = article.line_owners()
        assert sorted(owners) == list(range(1, article.source.lines + 1))
        if plain.clean(text).paragraphs():
            assert article.paragraphs(), "the memory left a document with body text none"
