"""Inline marks: links and emphasis come back in Markdown and HTML, never garble or drop
text, and never link anywhere but http, https, mailto or a relative address."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import cleaner
from cleaner import Article, Heading, LineSpan, ListItem, Mark, MarkKind, Paragraph, Quote
from cleaner.render.inline import runs, safe_url, usable_marks

SETTINGS = settings(max_examples=int(os.environ.get("CLEANER_HYPOTHESIS_EXAMPLES", 300)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
_MD = MarkdownIt("commonmark")
_SPAN = LineSpan(1, 1)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=1&c=2#d", "https://example.com/a?b=1&c=2#d"),
        ("HTTP://EXAMPLE.COM", "HTTP://EXAMPLE.COM"),
        ("mailto:desk@example.com", "mailto:desk@example.com"),
        ("/news/2016/10/story.html", "/news/2016/10/story.html"),
        ("story.html", "story.html"),
        ("//cdn.example.com/x.jpg", "//cdn.example.com/x.jpg"),
        ("#comments", "#comments"),
        ("?page=2", "?page=2"),
        ("  https://example.com/  ", "https://example.com/"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("\x01javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox(1)", None),
        ("file:///etc/passwd", None),
        ("jav&#x61;script:alert(1)", None),  # a colon before any '/': not a relative URL
        ("", None),
        (None, None),
        ("https://exa\x00mple.com", None),
    ],
)
def test_only_safe_urls_survive(url, expected):
    assert safe_url(url) == expected


def test_marks_out_of_range_are_clipped_or_dropped():
    text = "Hello world"
    marks = [Mark(MarkKind.EMPHASIS, -5, 5), Mark(MarkKind.STRONG, 6, 500), Mark(MarkKind.CODE, 20, 30), Mark(MarkKind.EMPHASIS, 8, 3)]
    assert [(mark.start, mark.end) for mark in usable_marks(text, marks)] == [(0, 5), (6, 11)]
    assert "".join(run.text for run in runs(text, marks)) == text


def _paragraph(text, marks, block=Paragraph):
    return Article(title=None, body=(block(text=text, lines=_SPAN, marks=tuple(marks)),))


def test_links_and_emphasis_in_markdown_html_and_text():
    text = "Read the full report from Oxfam, or *ask* us."
    marks = [Mark(MarkKind.LINK, 9, 31, "https://oxfam.org/report?a=1&b=2"), Mark(MarkKind.STRONG, 26, 31), Mark(MarkKind.EMPHASIS, 37, 40), Mark(MarkKind.CODE, 0, 4)]
    article = _paragraph(text, marks)
    markdown = cleaner.render(article, "md", body_only=True)
    assert markdown == "`Read` the [full report from **Oxfam**](<https://oxfam.org/report?a=1\\&b=2>), or \\**ask*\\* us.\n"
    html = cleaner.render(article, "html", standalone=False)
    assert '<p><code>Read</code> the <a href="https://oxfam.org/report?a=1&amp;b=2">full report from <strong>Oxfam</strong></a>, or *<em>ask</em>* us.</p>' in html
    assert cleaner.render(article, "txt") == text + "\n"


def test_an_unsafe_link_keeps_its_text_and_loses_its_link():
    article = _paragraph("click here now", [Mark(MarkKind.LINK, 6, 10, "javascript:alert(1)")])
    assert cleaner.render(article, "md", body_only=True) == "click here now\n"
    assert BeautifulSoup(cleaner.render(article, "html", standalone=False), "html.parser").find("a") is None


def test_crossing_marks_are_split_so_they_nest():
    article = _paragraph("the foo bar", [Mark(MarkKind.EMPHASIS, 0, 7), Mark(MarkKind.LINK, 4, 11, "/x")])
    html = cleaner.render(article, "html", standalone=False)
    assert '<p><em>the <a href="/x">foo</a></em><a href="/x"> bar</a></p>' in html
    assert cleaner.render(article, "md", body_only=True) == "*the [foo](</x>)*[ bar](</x>)\n"


def test_emphasis_markdown_cannot_express_is_dropped_not_the_text():
    # '*' between a letter and a quote cannot open emphasis in CommonMark.
    article = _paragraph('a"foo"b and [x]', [Mark(MarkKind.EMPHASIS, 1, 6), Mark(MarkKind.LINK, 12, 15, "https://e.com")])
    markdown = cleaner.render(article, "md", body_only=True)
    assert _markdown_inline(markdown) == ('a"foo"b and [x]', ["https://e.com"])


@pytest.mark.parametrize("block", [Paragraph, Heading, Quote, ListItem])
def test_every_text_block_carries_its_marks(block):
    article = _paragraph("see the story", [Mark(MarkKind.LINK, 4, 13, "https://e.com/s")], block)
    assert _markdown_inline(cleaner.render(article, "md", body_only=True)) == ("see the story", ["https://e.com/s"])
    soup = BeautifulSoup(cleaner.render(article, "html", standalone=False), "html.parser")
    assert [(a.get_text(), a["href"]) for a in soup.select("article a")] == [("the story", "https://e.com/s")]


# --- the property: any text, any marks -----------------------------------------------------

_URLS = st.one_of(
    st.sampled_from(["https://example.com/a b", "http://x.org/(paren)", "/rel/path", "#top", "mailto:a@b.c", "javascript:alert(1)", "data:x", " java\tscript:x", "a<b>c", "x&amp;y", "back\\slash", "https://例え.jp/", None]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
)
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=50).map(lambda text: " ".join(text.split())).filter(bool)


@st.composite
def marked(draw):
    text = draw(_TEXT)
    bound = st.integers(-2, len(text) + 2)
    marks = draw(st.lists(st.builds(Mark, kind=st.sampled_from(list(MarkKind)), start=bound, end=bound, url=_URLS), max_size=6))
    return text, marks


def _markdown_inline(markdown: str) -> tuple[str, list[str]]:
    inline = [token for token in _MD.parse(markdown) if token.type == "inline"]
    assert len(inline) == 1, markdown
    text, hrefs = [], []
    for child in inline[0].children:
        assert child.type not in ("html_inline", "image"), markdown
        if child.type in ("text", "code_inline", "text_special"):
            text.append(child.content)
        elif child.type == "link_open":
            hrefs.append(child.attrGet("href"))
    return "".join(text), hrefs


def _covered(text: str, marks, kind: MarkKind) -> int:
    """How many characters at least one usable mark of ``kind`` covers."""
    covered = set()
    for mark in usable_marks(text, marks):
        if mark.kind is kind:
            covered.update(range(mark.start, mark.end))
    return len(covered)


@pytest.mark.slow
@SETTINGS
@given(marked(), st.sampled_from([Paragraph, Heading, Quote, ListItem]))
def test_any_marks_read_back_to_the_text_and_safe_links(case, block):
    text, marks = case
    article = _paragraph(text, marks, block)
    allowed = {safe_url(mark.url) for mark in marks if mark.kind is MarkKind.LINK} - {None}

    markdown = cleaner.render(article, "md", body_only=True)
    found, hrefs = _markdown_inline(markdown)
    assert found == text
    assert set(hrefs) <= {_MD.normalizeLink(url) for url in allowed}

    soup = BeautifulSoup(cleaner.render(article, "html", standalone=False), "html.parser")
    element = soup.select_one("article").find(["p", "h2", "blockquote", "li"])
    assert element.get_text() == text
    assert {a["href"] for a in element.find_all("a")} <= allowed
    # HTML keeps every mark: each character a mark of a kind covers is in one such element.
    for kind, tag in ((MarkKind.LINK, "a"), (MarkKind.EMPHASIS, "em"), (MarkKind.STRONG, "strong"), (MarkKind.CODE, "code")):
        assert sum(len(node.get_text()) for node in element.find_all(tag)) == _covered(text, marks, kind)
        assert not any(node.find(tag) for node in element.find_all(tag))  # never nested in itself
    assert not any(node.find(True) for node in element.find_all("code"))  # code holds only text

    prefix = {Quote: "> ", ListItem: "- "}.get(block, "")
    assert cleaner.render(article, "txt", body_only=True) == prefix + text + "\n"  # plain text drops the marks


@SETTINGS
@given(_TEXT, st.data())
def test_links_over_whole_words_survive_in_markdown(text, data):
    # Links that do not cross: Markdown keeps every one of them, with its text.
    words = text.split(" ")
    marks, position = [], 0
    for index, word in enumerate(words):
        if data.draw(st.booleans(), label=f"link {index}"):
            marks.append(Mark(MarkKind.LINK, position, position + len(word), f"https://example.com/{index}"))
        position += len(word) + 1
    markdown = cleaner.render(_paragraph(text, marks), "md", body_only=True)
    found, hrefs = _markdown_inline(markdown)
    assert found == text
    assert hrefs == [mark.url for mark in marks]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a b/<c>?q=\"x\"", "https://example.com/a%20b/%3Cc%3E?q=%22x%22"),
        ("https://example.com/ümlaut#a#b", "https://example.com/%C3%BCmlaut#a%23b"),
        ("/100% sure", "/100%25%20sure"),
        ("https://example.com/%20ok", "https://example.com/%20ok"),
    ],
)
def test_urls_come_out_as_valid_uris(url, expected):
    assert safe_url(url) == expected


def test_relative_links_are_read_against_the_article_address():
    article = Article(
        title=None,
        body=(Paragraph(text="see the story and the top", lines=_SPAN, marks=(Mark(MarkKind.LINK, 4, 13, "../2016/story.html"), Mark(MarkKind.LINK, 22, 25, "#top"))),),
        metadata=cleaner.Metadata(url="https://news.example/world/2017/today.html"),
    )
    html = BeautifulSoup(cleaner.render(article, "html", standalone=False), "html.parser")
    assert [a["href"] for a in html.select("article > p a")] == ["https://news.example/world/2016/story.html", "https://news.example/world/2017/today.html#top"]
    assert _markdown_inline(cleaner.render(article, "md", body_only=True))[1] == ["https://news.example/world/2016/story.html", "https://news.example/world/2017/today.html#top"]
    # Without the article's address, a page keeps a relative link; a book, where it would
    # point inside the book, drops it (and keeps its text).
    unknown = replace(article, metadata=cleaner.Metadata())
    assert [a["href"] for a in BeautifulSoup(cleaner.render(unknown, "html", standalone=False), "html.parser").select("article > p a")] == ["../2016/story.html", "#top"]
    import io
    import zipfile

    chapter = zipfile.ZipFile(io.BytesIO(cleaner.render(unknown, "epub"))).read("EPUB/text/chapter-00001.xhtml").decode("utf-8")
    assert "<a " not in chapter and "see the story and the top" in chapter
    chapter = zipfile.ZipFile(io.BytesIO(cleaner.render(article, "epub"))).read("EPUB/text/chapter-00001.xhtml").decode("utf-8")
    assert 'href="https://news.example/world/2016/story.html"' in chapter
