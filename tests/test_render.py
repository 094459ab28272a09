"""Renderers: literal text in Markdown and HTML whatever the scraped text holds."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import SEED
from readback import html_captions, html_paragraphs, markdown_blocks, markdown_html_tags

import cleaner
from cleaner import Article, Author, Gallery, GalleryAnchor, GalleryItem, LineSpan, Paragraph

TRICKY = [
    "1. This starts like a list",
    "2) So does this",
    "# not a heading",
    "- not a bullet",
    "+ nor this",
    "> not a quote",
    "Stars *like this* and __under__ and snake_case_names stay.",
    "A [link](http://example.com) and ![image](x.png) stay literal.",
    "<script>alert('x')</script> and <b>bold</b>",
    "Ampersands: AT&T, &amp; &copy; &#169; stay as typed.",
    "Backslash \\ and `code` and ~~strike~~ and a | pipe",
    "Ends with hashes ##",
    "=== underline?",
    "---",
    "***",
    "<!-- comment -->",
    "http://example.com/a_b_c and <http://autolink.example>",
    "Trailing backslash \\",
    "    four leading spaces are stripped by decoding anyway",
]


def _article(texts: list[str], captions: list[str] | None = None) -> Article:
    body = [Paragraph(text=text, lines=LineSpan(n, n)) for n, text in enumerate(texts, 1)]
    galleries = ()
    if captions:
        items = tuple(GalleryItem(i, caption, "AFP/Getty <Images>", LineSpan(100 + i, 100 + i)) for i, caption in enumerate(captions, 1))
        galleries = (Gallery("<Gallery> *title*", len(items), items, LineSpan(100, 100 + len(items))),)
        body.append(GalleryAnchor(gallery=0))
    return Article(title="A *title* <with> markup", body=tuple(body), galleries=galleries, author=Author("Jo Bloggs", "Jo Bloggs is *editor* at <Example>.", (200,)))


@pytest.mark.parametrize("text", TRICKY)
def test_markdown_reads_back_to_the_model_text(text):
    text = " ".join(text.split())
    article = _article([text])
    blocks = markdown_blocks(cleaner.render(article, "md", body_only=True))
    assert blocks == [text]


def test_markdown_gallery_title_and_bio_read_back():
    article = _article(["Body."], captions=TRICKY[:6])
    markdown = cleaner.render(article, "md")
    blocks = markdown_blocks(markdown)
    assert blocks[0] == "A *title* <with> markup"
    assert "Gallery: <Gallery> *title*" in blocks
    for caption in TRICKY[:6]:
        assert f"{caption} (AFP/Getty <Images>)" in blocks
    assert blocks[-1] == "Jo Bloggs is *editor* at <Example>."
    assert markdown_html_tags(markdown) == []


def test_html_is_escaped_and_reads_back():
    texts = [" ".join(text.split()) for text in TRICKY]
    article = _article(texts, captions=["<img src=x onerror=alert(1)>", "plain"])
    html = cleaner.render(article, "html")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None and soup.find("b") is None
    assert html_paragraphs(html)[0] == "A *title* <with> markup"
    assert html_paragraphs(html)[1:] == texts
    assert html_captions(html) == [("<img src=x onerror=alert(1)>", "AFP/Getty <Images>"), ("plain", "AFP/Getty <Images>")]
    assert soup.select_one("footer.author-bio").get_text(strip=True) == "Jo Bloggs is *editor* at <Example>."


def test_html_semantics_of_the_seed():
    soup = BeautifulSoup(cleaner.render(cleaner.clean(SEED.read_bytes()), "html"), "html.parser")
    article = soup.find("article")
    assert len(article.find_all("p", recursive=False)) == 12
    assert len(article.select("section.gallery figure")) == 22
    assert len(article.select("figcaption small.credit")) == 21
    assert soup.find("footer").get_text(strip=True).startswith("Maya Mailer is head")
    # The header first, then the gallery between paragraphs 10 and 11.
    children = [child.name for child in article.children if getattr(child, "name", None)]
    assert children[0] == "header" and children[11] == "section"


def test_body_only_text_is_just_paragraphs():
    article = cleaner.clean(SEED.read_bytes())
    text = cleaner.render(article, "txt", body_only=True)
    assert text.split("\n\n") == [block.text for block in article.paragraphs()][:-1] + [article.paragraphs()[-1].text + "\n"]


def test_media_is_not_rendered_by_default():
    article = cleaner.clean(SEED.read_bytes())
    for fmt in ("md", "html", "txt"):
        assert "Isis video purports" not in cleaner.render(article, fmt)
