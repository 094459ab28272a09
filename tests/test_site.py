"""``cleaner batch --site``: an index of every article (newest first, paginated), each
page linking back, an Atom feed that feedparser reads back one entry per article, and no
relative link that leads nowhere."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import SEED, require_bench
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.render import site as site_module


def batch(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["batch", *args])
    return result.exit_code, result.output


def broken_links(out: Path) -> list[str]:
    """Every relative href or src in the site's HTML (and the feed's links) that names no file."""
    broken = []
    pages = [path for path in out.rglob("*.html")]
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for element in soup.find_all(href=True) + soup.find_all(src=True):
            target = element.get("href") or element.get("src")
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # absolute, or a fragment of this page
            if not (page.parent / unquote(parts.path)).resolve().is_file():
                broken.append(f"{page.relative_to(out)} -> {target}")
    for entry in feedparser.parse(str(out / "feed.xml")).entries:
        if not (out / unquote(entry.link)).is_file():
            broken.append(f"feed.xml -> {entry.link}")
    return broken


def write_tree(root: Path) -> None:
    (root / "news" / "world").mkdir(parents=True)
    (root / "news" / "world" / "mosul.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "news" / "short one.txt").write_text("A plain article, with a first sentence. And a second one.\n\n\n\nIt has two paragraphs.\n", encoding="utf-8")


def test_a_site_from_a_tree(tmp_path):
    write_tree(tmp_path)
    out = tmp_path / "site"
    code, output = batch(str(tmp_path / "news"), "--out", str(out), "--site", "--collection-title", "The week", "--jobs", "1")
    assert code == 0, output
    assert "site:" in output and "(2 articles, 1 index page, feed.xml)" in output
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.find("h1").get_text() == "The week"
    links = sorted(a["href"] for a in index.select(".entries h2 a"))
    assert links == ["short%20one.html", "world/mosul.html"]
    assert index.find("link", rel="alternate")["href"] == "feed.xml"
    summary = [entry.select_one(".summary").get_text() for entry in index.select(".entry")]
    titles = [entry.select_one("h2").get_text() for entry in index.select(".entry")]
    assert "A plain article, with a first sentence. And a second one." in titles  # no title: its opening words
    assert "It has two paragraphs." in summary  # and the summary goes on from there
    # Each page links back to the index, from its own depth.
    page = BeautifulSoup((out / "world" / "mosul.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("nav a")["href"] == "../index.html"
    assert (out / "world" / "mosul.md").is_file()  # the formats asked for (md by default) still come
    assert broken_links(out) == []
    feed = feedparser.parse(str(out / "feed.xml"))
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "The week"
    assert sorted(entry.link for entry in feed.entries) == links


def test_a_site_from_a_jsonl_dump_writes_a_page_per_record(tmp_path):
    records = [
        {"id": "old", "url": "https://example.com/old", "text": "An older story, told at length in one paragraph.\n"},
        {"id": "new", "url": "https://example.com/new", "text": "A newer story, also told at length.\n"},
    ]
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    out = tmp_path / "site"
    code, output = batch(str(dump), "--out", str(out), "--site", "--to", "txt", "--jobs", "1")
    assert code == 0, output
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in index.select(".entries h2 a")]
    assert hrefs == ["dump/1.html", "dump/2.html"]  # undated: in input order
    assert BeautifulSoup((out / "dump" / "2.html").read_text(encoding="utf-8"), "html.parser").select_one("nav a")["href"] == "../index.html"
    written = [json.loads(line) for line in (out / "dump.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [record["id"] for record in written] == ["old", "new"] and "html" in written[0]  # the site needs html: it is added
    assert broken_links(out) == []


def test_newest_first_and_pagination(tmp_path):
    entries = [site_module.SiteEntry(page=f"a/{n}.html", title=f"Story {n}", timestamp=float(n * 86400) if n % 3 else None) for n in range(120)]
    ordered = site_module.newest_first(entries)
    dated = [entry.timestamp for entry in ordered if entry.timestamp is not None]
    assert dated == sorted(dated, reverse=True) and ordered[len(dated)].title == "Story 0"
    pages = site_module.render_index(ordered, title="All")
    assert [name for name, _ in pages] == ["index.html", "index-2.html", "index-3.html"]
    first, second, last = (BeautifulSoup(html, "html.parser") for _, html in pages)
    assert len(first.select(".entry")) == site_module.PER_PAGE and len(last.select(".entry")) == 120 - 2 * site_module.PER_PAGE
    assert first.select_one("a[rel=next]")["href"] == "index-2.html" and first.select_one("a[rel=prev]") is None
    assert second.select_one("a[rel=prev]")["href"] == "index.html" and second.select_one("a[rel=next]")["href"] == "index-3.html"
    assert last.select_one("a[rel=next]") is None


def test_an_input_named_like_the_index_is_refused_not_overwritten(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "index.txt").write_text("An article that happens to be called index.\n", encoding="utf-8")
    out = tmp_path / "site"
    code, output = batch(str(tmp_path / "in"), "--out", str(out), "--site", "--jobs", "1")
    assert code == 6 and "index.html" in output
    assert "happens to be called index" in (out / "index.html").read_text(encoding="utf-8")  # the article's page stays


def test_resume_finishes_the_site_without_duplicates(tmp_path):
    write_tree(tmp_path)
    out = tmp_path / "site"
    assert batch(str(tmp_path / "news"), "--out", str(out), "--site", "--jobs", "1")[0] == 0
    # As if the run had been killed after one record: the manifest lists it, the collected file has it twice.
    manifest = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    collected = (out / ".collected.jsonl").read_text(encoding="utf-8").splitlines()
    (out / "manifest.jsonl").write_text(manifest[0] + "\n", encoding="utf-8")
    (out / ".collected.jsonl").write_text(collected[0] + "\n" + collected[0] + "\n" + collected[1][:20], encoding="utf-8")
    (out / "index.html").unlink()
    code, output = batch(str(tmp_path / "news"), "--out", str(out), "--site", "--jobs", "1", "--resume")
    assert code == 0, output
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(index.select(".entry")) == 2
    assert len(feedparser.parse(str(out / "feed.xml")).entries) == 2


@pytest.mark.slow
def test_the_benchmark_as_a_site(tmp_path):
    """The acceptance case: the 90 aeb-dev trafilatura outputs as a site."""
    bench = require_bench()
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    outputs = json.loads((bench / "inputs" / "trafilatura.json").read_text(encoding="utf-8"))["output"]
    dump = tmp_path / "trafilatura.jsonl"
    dump.write_text("".join(json.dumps({"id": page, "url": truth.get(page, {}).get("url"), "text": record["articleBody"]}) + "\n" for page, record in outputs.items()), encoding="utf-8")
    out = tmp_path / "site"
    code, output = batch(str(dump), "--out", str(out), "--site", "--to", "html", "--jobs", "2")
    assert code == 0, output
    pages = sorted(path.relative_to(out).as_posix() for path in (out / "trafilatura").glob("*.html"))
    assert len(pages) == len(outputs)
    linked = []
    for index_page in sorted(out.glob("index*.html")):
        linked += [unquote(a["href"]) for a in BeautifulSoup(index_page.read_text(encoding="utf-8"), "html.parser").select(".entries h2 a")]
    assert sorted(linked) == pages  # the index links every article, once
    feed = feedparser.parse(str(out / "feed.xml"))
    assert not feed.bozo, feed.bozo_exception
    assert sorted(unquote(entry.link) for entry in feed.entries) == pages  # one entry per article
    assert all(entry.title and entry.id.startswith("urn:uuid:") for entry in feed.entries)
    assert len({entry.id for entry in feed.entries}) == len(pages)
    assert broken_links(out) == []


@pytest.mark.parametrize("name", ["index.html", "index-2.html", "feed.xml"])
def test_reserved_names(name):
    assert site_module.reserved(name)
    assert not site_module.reserved("sub/index.html") and not site_module.reserved("index-x.html")
