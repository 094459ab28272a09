"""The XSS corpus of ``test_hostile.py`` over everything republishing adds: inline marks
and their URLs, metadata in the page's head and header, images, the EPUB's XHTML, table
of contents and package, the site's index and Atom feed, and Markdown front matter.

Every payload goes into every text field (and into URLs, where only safe ones may come
out). As in ``test_hostile``, each output is compared with the same output of a
harmless article: the markup must be the template's, whatever the text."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import datetime, timezone
from xml.etree import ElementTree

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from safety import NEUTRAL, check_html, check_markdown, neutral
from test_hostile import PAYLOADS, cleaned, hand_built

import cleaner
from cleaner import Article, LineSpan, Mark, MarkKind, Media, MediaType, Metadata
from cleaner.render.context import display_title
from cleaner.render.epub import xml_text
from cleaner.render.inline import safe_url
from cleaner.render.site import SiteEntry, render_feed, render_index

_MD = MarkdownIt("commonmark")
_ALLOWED_SCHEMES = ("http:", "https:", "mailto:")


def with_everything(article: Article, payload: str) -> Article:
    """``article`` with the payload also in its metadata, an image, and a link over every
    text block (the payload as the URL)."""
    text = " ".join(payload.split())
    body = tuple(
        replace(block, marks=(Mark(MarkKind.LINK, 0, len(block.text), payload), Mark(MarkKind.EMPHASIS, 0, len(block.text))))
        if hasattr(block, "marks") and block.text
        else block
        for block in article.body
    )
    media = article.media + (Media(MediaType.IMAGE, text, 1, LineSpan(90, 90), text, text, payload),)
    metadata = Metadata(url=payload, site=text, published=text, modified=text, language=payload, description=text, tags=(text,))
    return replace(article, body=body, media=media, metadata=metadata)


def harmless(article: Article) -> Article:
    """``safety.neutral`` of the article, with its marks kept over the whole (new) text, its
    URLs and language as they are (they decide which elements appear), and every other
    metadata text neutral."""
    plain = neutral(article)
    body = tuple(
        replace(new, marks=tuple(replace(mark, start=0, end=len(new.text)) for mark in old.marks)) if hasattr(old, "marks") else new
        for old, new in zip(article.body, plain.body)
    )
    metadata = article.metadata
    texts = {name: (NEUTRAL if getattr(metadata, name) else None) for name in ("site", "published", "modified", "description")}
    metadata = replace(metadata, tags=tuple(NEUTRAL for _ in metadata.tags), **texts)
    media = tuple(replace(new, url=old.url) for old, new in zip(article.media, plain.media))
    return replace(plain, body=body, metadata=metadata, media=media)


def articles(payload: str) -> list[Article]:
    return [with_everything(hand_built(payload), payload), with_everything(cleaned(payload), payload)]


def check_links(html: str) -> None:
    for element in BeautifulSoup(html, "html.parser").find_all(href=True) + BeautifulSoup(html, "html.parser").find_all(src=True):
        url = element.get("href") or element.get("src")
        assert safe_url(url) == url, url
        assert ":" not in url.split("/")[0] or url.lower().startswith(_ALLOWED_SCHEMES), url


@pytest.mark.parametrize("payload", PAYLOADS)
def test_marks_metadata_and_images_stay_text_in_html_and_markdown(payload):
    for article in articles(payload):
        quiet = harmless(article)
        for options in ({}, {"standalone": False}):
            html = cleaner.render(article, "html", **options)
            check_html(article, html, cleaner.render(quiet, "html", **options))
            check_links(html)
        markdown = cleaner.render(article, "md")
        for token in _MD.parse(markdown):
            for child in token.children or []:
                assert child.type not in ("html_inline", "html_block"), markdown
                if child.type == "link_open" or child.type == "image":
                    href = child.attrGet("href") or child.attrGet("src")
                    assert href.lower().startswith(_ALLOWED_SCHEMES) or ":" not in href.split("/")[0], href


def _chapters(book: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(book))
    return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_epub_xhtml_and_package_stay_text(payload):
    for article in articles(payload):
        files = _chapters(cleaner.render(article, "epub"))
        quiet = _chapters(cleaner.render(harmless(article), "epub"))
        for name, data in files.items():
            if name.endswith((".xhtml", ".opf", ".xml")):
                ElementTree.fromstring(data)  # well-formed, whatever the text
        chapter = files["EPUB/text/chapter-00001.xhtml"].decode("utf-8")
        check_html(article, chapter, quiet["EPUB/text/chapter-00001.xhtml"].decode("utf-8"))
        check_links(chapter)
        package = ElementTree.fromstring(files["EPUB/package.opf"])
        title = package.find("{http://www.idpf.org/2007/opf}metadata/{http://purl.org/dc/elements/1.1/}title").text
        assert title == xml_text(display_title(article))
        nav = ElementTree.fromstring(files["EPUB/nav.xhtml"])
        assert [a.text for a in nav.iter("{http://www.w3.org/1999/xhtml}a")] == [title]


def _entry(article: Article, page: str) -> SiteEntry:
    from cleaner.render.context import language, published, source_link, summary

    when, source = published(article), source_link(article)
    return SiteEntry(
        page=page,
        title=display_title(article),
        summary=summary(article),
        author=article.author.name if article.author else None,
        date=when.iso if when else None,
        date_text=when.text if when else None,
        site=source.label if source else None,
        source_url=source.url if source else None,
        language=language(article),
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_site_index_and_feed_stay_text(payload):
    for article in articles(payload):
        entries = [_entry(article, "a/b c.html")]
        quiet = [_entry(harmless(article), "a/b c.html")]
        [(_, index)] = render_index(entries, title=display_title(article))
        [(_, quiet_index)] = render_index(quiet, title=NEUTRAL)
        page = BeautifulSoup(index, "html.parser")
        assert [element.name for element in page.find_all(True)] == [element.name for element in BeautifulSoup(quiet_index, "html.parser").find_all(True)]
        assert page.select_one(".entries h2 a").get_text() == display_title(article)
        assert page.select_one(".entries h2 a")["href"] == "a/b%20c.html"
        check_links(index)
        feed_text = render_feed(entries, title=display_title(article), updated=datetime.now(timezone.utc))
        ElementTree.fromstring(feed_text.encode("utf-8"))
        feed = feedparser.parse(feed_text)
        assert not feed.bozo, feed.bozo_exception
        assert len(feed.entries) == 1
        assert " ".join(feed.entries[0].title.split()) == " ".join(xml_text(display_title(article)).split())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_front_matter_stays_data(payload):
    for plain in (hand_built(payload), cleaned(payload)):
        # The payload in the metadata only: check_markdown rightly finds the links marks make.
        article = replace(plain, metadata=with_everything(plain, payload).metadata)
        markdown = cleaner.render(article, "md", front_matter=True)
        head, _, body = markdown[4:].partition("\n---\n")
        data = yaml.safe_load(head)
        assert data["title"] == article.title
        assert data["site"] == article.metadata.site and data["tags"] == list(article.metadata.tags)
        assert data["date"] == article.metadata.published and data["description"] == article.metadata.description
        assert "source_url" not in data or data["source_url"] == safe_url(article.metadata.url)
        check_markdown(article, body.lstrip("\n"), cleaner.render(neutral(article), "md"))


@pytest.mark.slow
def test_a_book_of_every_payload_passes_epubcheck(tmp_path):
    """One book, a chapter per payload and article: valid EPUB whatever the text."""
    from epubcheck import epubcheck, require_epubcheck

    from cleaner.render.epub import render_book

    command = require_epubcheck()
    book = tmp_path / "hostile.epub"
    with open(book, "wb") as stream:
        render_book((article for payload in PAYLOADS for article in articles(payload)), stream, title="<script>alert(1)</script> & friends")
    report = epubcheck(command, book)
    assert report.ok, report.messages[:20]
