"""EPUB 3: one article (``--to epub``) or many (``batch --book``), built with zipfile and
the HTML templates, valid under EPUBCheck (skipped with a message when it is absent)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import SEED, require_bench
from epubcheck import epubcheck, require_epubcheck
from typer.testing import CliRunner

import cleaner
from cleaner import Article, Author, LineSpan, Mark, MarkKind, Media, MediaType, Metadata, Paragraph
from cleaner.cli import app
from cleaner.render.epub import render_book

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _open(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_container_is_what_readers_expect():
    book = cleaner.render(cleaner.clean(SEED.read_bytes()), "epub")
    assert isinstance(book, bytes)
    archive = _open(book)
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED and not first.extra
    assert archive.read("mimetype") == b"application/epub+zip"
    assert book[30:38] == b"mimetype" and book[38:58] == b"application/epub+zip"  # at a fixed offset
    container = ElementTree.fromstring(archive.read("META-INF/container.xml"))
    assert container[0][0].get("full-path") == "EPUB/package.opf"
    for name in archive.namelist():
        if name.endswith((".xhtml", ".opf", ".xml")):
            ElementTree.fromstring(archive.read(name))  # well-formed XML, every file


def test_the_package_says_what_the_model_knows():
    article = Article(
        title="Смерть в Мосуле",
        body=(Paragraph(text="Текст статьи.", lines=LineSpan(1, 1)),),
        author=Author("Мария Иванова", None),
        metadata=Metadata(language="ru", published="2016-10-31T09:00:00+03:00", url="https://example.ru/a"),
    )
    archive = _open(cleaner.render(article, "epub"))
    package = ElementTree.fromstring(archive.read("EPUB/package.opf"))
    metadata = package.find(f"{OPF}metadata")
    assert metadata.find(f"{DC}title").text == "Смерть в Мосуле"
    assert metadata.find(f"{DC}language").text == "ru"
    assert metadata.find(f"{DC}creator").text == "Мария Иванова"
    assert metadata.find(f"{DC}date").text == "2016-10-31"
    assert metadata.find(f"{DC}source").text == "https://example.ru/a"
    assert metadata.find(f"{DC}identifier").text.startswith("urn:uuid:")
    chapter = ElementTree.fromstring(archive.read("EPUB/text/chapter-00001.xhtml"))
    assert chapter.get("lang") == "ru" and chapter.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"


def test_the_same_article_gives_the_same_book(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1477900800")
    article = cleaner.clean(SEED.read_bytes())
    assert cleaner.render(article, "epub") == cleaner.render(article, "epub")


def test_text_xml_forbids_is_dropped_and_remote_images_are_not_shown():
    article = Article(
        title="Bell \x07 and \ufffe",
        body=(Paragraph(text="Form\x0cfeed and a link.", lines=LineSpan(1, 1), marks=(Mark(MarkKind.LINK, 13, 19, "https://e.com/?a=1&b=2"),)),),
        media=(Media(MediaType.IMAGE, "Map", 1, LineSpan(2, 2), "A map", "AFP", "https://e.com/map.png"),),
    )
    archive = _open(cleaner.render(article, "epub"))
    chapter = ElementTree.fromstring(archive.read("EPUB/text/chapter-00001.xhtml"))
    text = "".join(chapter.itertext())
    assert "Bell  and " in text and "Formfeed" in text
    assert chapter.find(f".//{XHTML}img") is None
    assert chapter.find(f".//{XHTML}figcaption") is not None  # the caption stays
    assert chapter.find(f".//{XHTML}a").get("href") == "https://e.com/?a=1&b=2"


def test_a_book_of_many_articles_has_a_table_of_contents():
    articles = [Article(title=f"Story {n}", body=(Paragraph(text=f"Text {n}.", lines=LineSpan(1, 1)),), metadata=Metadata(language="en" if n else "fr")) for n in range(3)]
    buffer = io.BytesIO()
    assert render_book(articles, buffer, title="The week") == 3
    archive = _open(buffer.getvalue())
    nav = ElementTree.fromstring(archive.read("EPUB/nav.xhtml"))
    links = [(a.text, a.get("href")) for a in nav.iter(f"{XHTML}a")]
    assert links == [(f"Story {n}", f"text/chapter-{n + 1:05d}.xhtml") for n in range(3)]
    package = ElementTree.fromstring(archive.read("EPUB/package.opf"))
    assert [item.get("idref") for item in package.find(f"{OPF}spine")] == ["nav", "chapter-00001", "chapter-00002", "chapter-00003"]
    assert [language.text for language in package.iter(f"{DC}language")] == ["en", "fr"]


def test_convert_writes_an_epub_and_never_to_a_terminal(tmp_path):
    out = tmp_path / "seed.epub"
    result = CliRunner().invoke(app, ["convert", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(out)
    result = CliRunner().invoke(app, ["convert", str(SEED), "--to", "epub", "--body-only"])
    assert result.exit_code == 2 and "--body-only does not apply to epub" in result.output


def test_user_templates_must_give_xml(tmp_path):
    (tmp_path / "article.html.j2").write_text("<article><p>{{ article.title }}&nbsp;<br></p></article>", encoding="utf-8")
    with pytest.raises(cleaner.UsageError, match="not well-formed XML"):
        cleaner.render(cleaner.clean(SEED.read_bytes()), "epub", template_dir=tmp_path)


# --- EPUBCheck -----------------------------------------------------------------------------


@pytest.mark.slow
def test_the_seed_passes_epubcheck(tmp_path):
    command = require_epubcheck()
    book = tmp_path / "seed.epub"
    book.write_bytes(cleaner.render(cleaner.clean(SEED.read_bytes()), "epub", stylesheet="p { hyphens: auto; }"))
    report = epubcheck(command, book)
    assert report.ok and not report.warnings, report.messages


@pytest.mark.slow
def test_a_book_of_the_benchmark_articles_passes_epubcheck(tmp_path):
    """The acceptance case: --book of the 90 aeb-dev trafilatura outputs, with no errors."""
    bench = require_bench()
    command = require_epubcheck()
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    outputs = json.loads((bench / "inputs" / "trafilatura.json").read_text(encoding="utf-8"))["output"]
    dump = tmp_path / "trafilatura.jsonl"
    dump.write_text("".join(json.dumps({"id": page, "url": truth.get(page, {}).get("url"), "text": record["articleBody"]}) + "\n" for page, record in outputs.items()), encoding="utf-8")
    book = tmp_path / "aeb-dev.epub"
    result = CliRunner().invoke(app, ["batch", str(dump), "--out", str(tmp_path / "out"), "--to", "txt", "--book", str(book), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert len(_open(book.read_bytes()).namelist()) == len(outputs) + 5  # the chapters; nav, package, css, container, mimetype
    report = epubcheck(command, book)
    assert report.ok, report.messages
