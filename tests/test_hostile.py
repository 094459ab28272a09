"""Known XSS payloads in every place scraped text can reach: it must come out as text.

The payloads are data, one per line, in ``fixtures/xss_payloads.txt`` (every non-empty
line is a payload; add new ones there). Each goes into paragraphs, headings, quotes, list
items, gallery titles, captions and credits, titles, author names and bios, both through
``cleaner.clean`` of a seed-like document and in hand-built ``Article`` objects. HTML is
rendered with the built-in templates and with a user's template directory; Markdown is
parsed back with markdown-it-py (raw HTML enabled). See ``safety.py`` for the checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from safety import check_html, check_markdown, neutral

import cleaner
from cleaner import Article, Author, Gallery, GalleryAnchor, GalleryItem, Heading, LineSpan, ListItem, Media, MediaType, Paragraph, Quote
from cleaner.decode import normalise_text, one_line

PAYLOADS = [line for line in (Path(__file__).parent / "fixtures" / "xss_payloads.txt").read_text(encoding="utf-8").splitlines() if line.strip()]

SEED_LIKE = """\
{p}

The fighting around Mosul has displaced thousands of families, aid agencies said on Monday.

Officials said {p} in a statement, and the army would not comment on the reports.

{p}

In pictures: {p}

22 show all In pictures: {p}

1/3 {p} Getty

2/3 Soldiers flash the sign of victory {p} AFP/Getty Images

3/3 {p}

Photo: {p}

The conditions that allowed the group to grow have not gone away, the report concluded.

Maya Mailer is head of humanitarian policy at Oxfam. She wrote {p} for the report.
"""

# A user's own templates: every field in element content and in quoted attributes (the
# places autoescaping protects), including single quotes.
USER_PAGE = """<!DOCTYPE html>
<html><head><title>{{ article.title or "" }}</title>
<meta name="description" content="{{ article.title or '' }}"></head>
<body data-author='{{ article.author.name if article.author and article.author.name else "" }}'>
{% include "article.html.j2" %}
</body></html>
"""
USER_ARTICLE = """<div class="mine" title="{{ article.title or '' }}">
{% for block in article.body %}
{% if block.type == "gallery" %}
{% set gallery = article.galleries[block.gallery] %}
<section data-title="{{ gallery.title or '' }}">{{ gallery.title or "" }}
{% for item in gallery.items %}<figure data-caption='{{ item.caption }}'>{{ item.caption }} {{ item.credit or "" }}</figure>
{% endfor %}</section>
{% else %}
<p data-text="{{ block.text }}">{{ block.text }}</p>
{% endif %}
{% endfor %}
{% if article.author and article.author.bio %}<footer>{{ article.author.bio }}</footer>{% endif %}
</div>
"""


@pytest.fixture(scope="module")
def user_templates(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("templates")
    (directory / "page.html.j2").write_text(USER_PAGE, encoding="utf-8")
    (directory / "article.html.j2").write_text(USER_ARTICLE, encoding="utf-8")
    return directory


def hand_built(payload: str) -> Article:
    text = " ".join(payload.split())  # model texts are single lines with folded spaces
    line = LineSpan(1, 1)
    items = (GalleryItem(1, text, text, LineSpan(10, 10)), GalleryItem(2, f"Caption {text}", None, LineSpan(11, 11)))
    return Article(
        title=text,
        body=(
            Paragraph(text=text, lines=line),
            Heading(text=text, lines=line, level=3),
            Quote(text=text, lines=line),
            ListItem(text=text, lines=line),
            ListItem(text=text, lines=line, ordered=True),
            GalleryAnchor(gallery=0),
            Paragraph(text=f"Before {text} after.", lines=line),
        ),
        galleries=(Gallery(text, 2, items, LineSpan(9, 11)),),
        media=(Media(MediaType.VIDEO, text, 1, line),),
        author=Author(text, f"{text}\n\nJo Bloggs is editor at {text}."),
    )


def cleaned(payload: str) -> Article:
    return cleaner.clean(SEED_LIKE.format(p=payload), title=payload)


def check_renders(article: Article, template_dir: Path) -> None:
    harmless = neutral(article)
    for options in ({}, {"standalone": False}, {"body_only": True}, {"template_dir": template_dir}):
        body_only = options.get("body_only", False)
        check_html(article, cleaner.render(article, "html", **options), cleaner.render(harmless, "html", **options), body_only=body_only)
    for body_only in (False, True):
        check_markdown(article, cleaner.render(article, "md", body_only=body_only), cleaner.render(harmless, "md", body_only=body_only), body_only=body_only)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_hand_built_article_stays_text(payload, user_templates):
    check_renders(hand_built(payload), user_templates)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_scraped_article_stays_text(payload, user_templates):
    article = cleaned(payload)
    check_renders(article, user_templates)
    # The payload's text itself survives cleaning somewhere (it is content, or logged).
    expected = normalise_text(payload)
    rendered = cleaner.render(article, "json")
    assert article.title == one_line(payload)  # a title is one line of text
    assert any(expected in block.text for block in article.paragraphs()) or expected in rendered


def test_the_corpus_covers_the_classic_vectors():
    joined = "\n".join(PAYLOADS).lower()
    for vector in ("<script", "onerror=", "onload=", "javascript:", "<svg", "<iframe", "<!--", "<![cdata[", "&#", "](javascript:", '" onmouseover='):
        assert vector in joined, vector


def test_raw_payload_never_appears_in_html(user_templates):
    # Independent of any parser: no '<' or '"' of the input survives unescaped.
    for payload in PAYLOADS:
        if not any(character in payload for character in "<>\"'&"):
            continue
        for article in (hand_built(payload), cleaned(payload)):
            for options in ({}, {"template_dir": user_templates}):
                html = cleaner.render(article, "html", **options)
                assert " ".join(payload.split()) not in html, payload


def test_the_checks_catch_markup_that_gets_through(tmp_path):
    # Negative controls: a template that marks text safe, and Markdown that is not escaped.
    (tmp_path / "article.html.j2").write_text("<article>{% for block in article.body %}<p>{{ block.text|safe }}</p>{% endfor %}</article>")
    article = Article(title=None, body=(Paragraph(text='x" onclick="alert(1)', lines=LineSpan(1, 1)), Paragraph(text="<img src=x onerror=alert(1)>", lines=LineSpan(2, 2))))
    html = cleaner.render(article, "html", template_dir=tmp_path, standalone=False)
    with pytest.raises(AssertionError, match="elements from the input"):
        check_html(article, html, cleaner.render(neutral(article), "html", template_dir=tmp_path, standalone=False))
    (tmp_path / "article.html.j2").write_text('<article>{% for block in article.body %}<p title={{ block.text }}>x</p>{% endfor %}</article>')
    html = cleaner.render(article, "html", template_dir=tmp_path, standalone=False)  # unquoted attribute: unsafe
    with pytest.raises(AssertionError, match="attributes from the input"):
        check_html(article, html, cleaner.render(neutral(article), "html", template_dir=tmp_path, standalone=False))
    with pytest.raises(AssertionError, match="Markdown from the input"):
        check_markdown(article, "[x](javascript:alert(1)) <b>x</b>\n", "x\n")
