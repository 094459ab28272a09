"""The HTML reader: a saved page's article region as the model's blocks, its figures as
media, its metadata, and every text block of the page accounted for (in the model, or
in the removal log by ``main_content``); script, style and hidden text never reach it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import ROOT

import cleaner
from cleaner import Heading, ListItem, MarkKind, MediaType, Paragraph, Quote, RemovalKind
from cleaner.readers import choose_reader
from cleaner.readers.metadata import bcp47, iso_date

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
PAGE = FIXTURES / "article.html"


@pytest.fixture(scope="module")
def article():
    return cleaner.clean(PAGE.read_bytes(), path=str(PAGE))


def test_the_article_region_becomes_the_body_in_order(article):
    kinds = [type(block) for block in article.body]
    assert kinds == [Paragraph, Paragraph, Heading, Paragraph, ListItem, ListItem, Quote, Paragraph]
    assert article.body[0].text.startswith("The old stone bridge over the river reopened")
    items = [block for block in article.body if isinstance(block, ListItem)]
    assert [(item.ordered, item.number) for item in items] == [(True, 1), (True, 2)]


def test_inline_emphasis_and_links_are_standoff_marks(article):
    second = article.body[1]
    marked = {(mark.kind, second.text[mark.start : mark.end], mark.url) for mark in second.marks}
    assert (MarkKind.LINK, "council's report", "https://council.example/bridge") in marked
    assert (MarkKind.STRONG, "stronger than before", None) in marked


def test_a_figure_is_media_with_caption_credit_and_address(article):
    (figure,) = article.media
    assert figure.type is MediaType.IMAGE
    assert figure.caption == "Traffic crosses the bridge for the first time since October."
    assert figure.credit == "Photo: Sam Smith" and figure.url == "https://gazette.example/img/bridge.jpg"


def test_the_page_outside_the_article_is_removed_with_a_reason(article):
    outside = [removal for removal in article.removed if removal.rule == "main_content"]
    assert outside and all(removal.kind is RemovalKind.BOILERPLATE for removal in outside)
    removed_text = "\n".join(removal.text for removal in outside)
    assert "Home" in removed_text and "Most read" in removed_text and "Privacy policy" in removed_text
    assert not any(block.text in ("Home", "Most read") for block in article.paragraphs())


def test_every_block_of_the_page_is_accounted_for_once(article):
    assert article.source.unit == "block" and article.source.format == "html"
    assert sorted(article.line_owners()) == list(range(1, article.source.lines + 1))


def test_script_style_and_hidden_text_never_reach_the_model(article):
    dumped = cleaner.render(article, "json")
    for secret in ("SCRIPT TEXT", "HIDDEN TEXT", "font-family", "tracking"):
        assert secret not in dumped


def test_metadata_from_json_ld_meta_tags_and_lang(article):
    assert article.title == "Bridge reopens after flood repairs"
    assert article.author.name == "Jane Doe"
    meta = article.metadata
    assert meta.published.startswith("2024-03-18") and meta.modified.startswith("2024-03-18T09:00")
    assert meta.language == "en-GB" and meta.site == "The Example Gazette"
    assert meta.url == "https://gazette.example/news/bridge-reopens"
    assert meta.tags == ("Floods", "Transport")


def test_without_main_content_the_other_rules_judge_the_whole_page(article):
    whole = cleaner.clean(PAGE.read_bytes(), from_="html", disable=["main_content"])
    assert not any(removal.rule == "main_content" for removal in whole.removed)
    assert len(whole.paragraphs()) > len(article.paragraphs())
    assert sorted(whole.line_owners()) == list(range(1, whole.source.lines + 1))


@pytest.mark.parametrize(
    ("markup", "restored"),
    [
        ("<div><p>Residents said the repairs took longer than planned because of the wet winter weather.</p></div>", True),
        ("<aside><p>Residents said the repairs took longer than planned because of the wet winter weather.</p></aside>", False),
        ("<div class='related-stories'><p>Residents said the repairs took longer than planned because of the wet weather.</p></div>", False),
        ("<div><p>Read more about the bridge</p></div>", False),
    ],
)
def test_prose_the_extractor_skipped_inside_the_region_is_given_back(markup, restored):
    from cleaner.readers.html import _restorable, parse_page
    from cleaner.readers.html_blocks import page_blocks

    (block,) = page_blocks(parse_page(f"<html><body>{markup}</body></html>"))
    assert _restorable(block) is restored


def test_language_is_detected_when_the_page_does_not_say():
    page = PAGE.read_text(encoding="utf-8").replace(' lang="en-gb"', "")
    assert cleaner.clean(page, from_="html").metadata.language == "en"


def test_a_page_is_sniffed_from_its_first_bytes():
    reader, how = choose_reader(None, head=b"\xef\xbb\xbf  <!DOCTYPE html><html>")
    assert (reader.name, how) == ("html", "sniffed")
    assert choose_reader(None, head=b"<html lang=en>")[0].name == "html"
    assert choose_reader(None, head=b"The <html> tag starts a page.")[0].name == "text"


@pytest.mark.parametrize("page", ["", "<html></html>", "<p>one short line</p>", "<html><body><script>x()</script></body></html>", "\x00garbage<<<>>>"])
def test_degenerate_pages_give_a_model_or_a_cleaner_error(page):
    try:
        article = cleaner.clean(page, from_="html")
    except cleaner.CleanerError:
        return
    assert sorted(article.line_owners()) == list(range(1, article.source.lines + 1))


@pytest.mark.parametrize(
    ("written", "iso"),
    [("2024-03-18T07:30:00Z", "2024-03-18T07:30:00+00:00"), ("2024-3-8", "2024-03-08"), ("2024-03-18T07:30:00+0100", "2024-03-18T07:30:00+01:00"), ("March 2024", None), ("2024-02-30", None)],
)
def test_dates_become_iso_8601(written, iso):
    assert iso_date(written) == iso


@pytest.mark.parametrize(("written", "tag"), [("en-us", "en-US"), ("pt_BR", "pt-BR"), ("zh-hant-tw", "zh-Hant-TW"), ("EN", "en"), ("", None)])
def test_languages_become_bcp_47(written, tag):
    assert bcp47(written) == tag


def test_a_gzipped_page_converts_from_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from cleaner.cli import app

    page = tmp_path / "story.html.gz"
    page.write_bytes(gzip.compress(PAGE.read_bytes()))
    result = CliRunner().invoke(app, ["convert", str(page), "--to", "json"])
    assert result.exit_code == 0, result.output
    model = json.loads(result.output)
    assert model["source"]["format"] == "html" and model["metadata"]["language"] == "en-GB"


BENCH = ROOT.parent / "shared" / "bench" / "aeb-dev"


def test_saved_benchmark_pages_account_for_every_block():
    if not (BENCH / "html").is_dir():
        pytest.skip(f"shared benchmark not found at {BENCH}")
    for path in sorted((BENCH / "html").glob("*.html.gz"))[:8]:
        article = cleaner.clean(gzip.decompress(path.read_bytes()), from_="html")
        assert sorted(article.line_owners()) == list(range(1, article.source.lines + 1)), path.name
        assert article.paragraphs(), path.name


_PROSE = [
    "The old stone bridge over the river reopened on Monday after two years of repairs, the council said.",
    "Engineers replaced the cracked arches with new stone from the same quarry the builders used in 1820.",
    "Residents said the repairs took longer than planned because of the wet winter weather and the floods.",
    "The bridge carries about four thousand cars a day, and a new weight limit keeps lorries off it for good.",
    "To check the new limit, the council publishes the sensor readings as a small program anyone can run:",
]
_PARAGRAPHS = "".join(f"<p>{text}</p>" for text in _PROSE)


def test_highlighted_code_the_extractor_keeps_is_the_articles():
    # A highlighter wraps every token in a span: the page's text of the block is spaced
    # otherwise than the extractor's, and the block must still be found (it was lost to
    # main_content: react.dev and pydantic's documentation lost a quarter of their text).
    spans = "".join(f'<span class="t">{token}</span> ' for token in "const limit = { tonnes : 7.5 } ;".split())
    page = f"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Bridge reopens</h1>{_PARAGRAPHS}<pre><code>{spans}\nreadings.filter(r =&gt; r.weight &gt; limit.tonnes);</code></pre><p>The readings are updated every hour, and the council will publish a year of them in the spring.</p></article></body></html>"
    article = cleaner.clean(page, from_="html")
    (code,) = [block for block in article.body if isinstance(block, cleaner.CodeBlock)]
    assert "readings.filter(r => r.weight > limit.tonnes);" in code.text
    assert not any("readings" in removal.text for removal in article.removed)


def test_a_page_laid_out_in_a_table_keeps_its_article():
    # Old sites put the whole page in one table: its cells are blocks, not one atomic
    # table whose text the extractor's paragraphs cannot be mapped onto.
    from cleaner.readers.html import parse_page
    from cleaner.readers.html_blocks import page_blocks

    layout = f"<html><body><table><tr><td>PO Box 1214 • La Pine • Oregon</td></tr><tr><td><h1>Survival guide to SysV init</h1>{_PARAGRAPHS}</td></tr></table></body></html>"
    blocks = page_blocks(parse_page(layout))
    assert [block.tag for block in blocks] == ["td", "h1", "p", "p", "p", "p", "p"]
    data = "<html><body><table><tr><th>Tonnes</th><th>Cars</th></tr><tr><td><b>7.5</b></td><td>4,000</td></tr></table></body></html>"
    assert [block.tag for block in page_blocks(parse_page(data))] == ["table"]

    # ...and the article reads as paragraphs, not as one cell of a table.
    article = cleaner.clean(layout, from_="html")
    assert [block.text for block in article.body if isinstance(block, Paragraph)][-len(_PROSE) :] == _PROSE
    assert not [block for block in article.body if isinstance(block, cleaner.Table)]
    # A table of data stays a table, even with a paragraph in each cell (MDN's tables).
    for cell in ("{}", "<p>{}</p>"):
        rows = "".join(f"<tr><td>{cell.format(a)}</td><td>{cell.format(b)}</td></tr>" for a, b in (("7.5", "4,000"), ("12", "1,000")))
        with_data = cleaner.clean(f"<html><body><p>{_PROSE[0]}</p><p>{_PROSE[1]}</p><table><tr><th>Tonnes</th><th>Cars</th></tr>{rows}</table><p>{_PROSE[2]}</p></body></html>", from_="html")
        (table,) = [block for block in with_data.body if isinstance(block, cleaner.Table)]
        assert table.rows[1:] == (("7.5", "4,000"), ("12", "1,000"))


def test_the_balanced_region_is_taken_when_recall_mode_settles_on_a_sliver(monkeypatch):
    # trafilatura's recall mode can settle on one post of a forum thread; its balanced
    # mode then holds far more of the page's text, and that is the article.
    from types import SimpleNamespace

    from lxml import etree

    from cleaner.readers import html

    def body(*texts):
        element = etree.Element("body")
        for text in texts:
            etree.SubElement(element, "p").text = text
        return element

    one_post = SimpleNamespace(body=body(_PROSE[0]), title="Notes do not sync")
    thread = SimpleNamespace(body=body(*_PROSE), title=None)
    visible = 2 * sum(map(len, _PROSE))  # the page's text: the thread and as much around it
    monkeypatch.setattr(html, "_trafilatura", lambda text, **options: one_post if options["favor_recall"] else thread)
    chosen = html._extract("<html></html>", visible)
    assert chosen is one_post and chosen.title == "Notes do not sync"  # the metadata stays
    assert [p.text for p in chosen.body] == _PROSE

    # About as much text either way: recall mode's region stays.
    most = SimpleNamespace(body=body(*_PROSE[:3]), title="Notes do not sync")
    monkeypatch.setattr(html, "_trafilatura", lambda text, **options: most if options["favor_recall"] else thread)
    assert [p.text for p in html._extract("<html></html>", visible).body] == _PROSE[:3]

    # When the recall region holds half the page's text, no region can hold twice as much:
    # the balanced mode is not run at all.
    modes = []
    monkeypatch.setattr(html, "_trafilatura", lambda text, **options: modes.append(options["favor_recall"]) or (most if options["favor_recall"] else thread))
    assert [p.text for p in html._extract("<html></html>", sum(map(len, _PROSE))).body] == _PROSE[:3]
    assert modes == [True]
