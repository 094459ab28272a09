"""Inputs as the commands name them: several files with -o DIR, gzip (bounded by
--max-bytes), never a URL; batch picks every reader's suffix and a record's metadata."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import SEED
from typer.testing import CliRunner

from cleaner.batch.fields import record_metadata
from cleaner.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_several_inputs_go_to_one_file_each_in_the_output_directory(tmp_path):
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress((FIXTURES / "article.html").read_bytes()))
    code, output = run("convert", str(SEED), str(FIXTURES / "article.md"), str(page), "-o", str(tmp_path / "out"), "--to", "txt")
    assert code == 0, output
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["000_e4caed1a0f944f3c.txt", "article.txt", "page.txt"]
    assert "The old stone bridge" in (tmp_path / "out" / "page.txt").read_text(encoding="utf-8")


def test_several_inputs_need_an_output_directory():
    code, output = run("convert", str(SEED), str(FIXTURES / "article.md"))
    assert code == 2 and "-o DIR" in output


@pytest.mark.parametrize("command", [["convert"], ["inspect"], ["batch", "--out", "out"]])
def test_a_url_is_refused_with_a_clear_message(command):
    code, output = run(*command[:1], "https://news.example/story", *command[1:])
    assert code == 2
    assert "never fetches" in output and "https://news.example/story" in output


def test_a_gzip_text_input_reads_like_the_text(tmp_path):
    packed = tmp_path / "seed.txt.gz"
    packed.write_bytes(gzip.compress(SEED.read_bytes()))
    assert run("convert", str(packed), "--to", "txt") == run("convert", str(SEED), "--to", "txt")


def test_a_gzip_bomb_hits_max_bytes_not_memory(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * (20 * 1024 * 1024)))
    code, output = run("convert", str(bomb), "--max-bytes", "100000")
    assert code == 5 and "decompresses to more than" in output


def test_a_broken_gzip_is_a_decode_error(tmp_path):
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes(gzip.compress(b"some text" * 100)[:-6])
    code, output = run("convert", str(broken))
    assert code == 4 and "gzip" in output


def test_from_forces_the_reader_and_names_the_choices(tmp_path):
    code, output = run("convert", str(FIXTURES / "article.md"), "--from", "text", "--to", "json")
    assert code == 0 and json.loads(output)["source"]["format"] == "text"
    code, output = run("convert", str(SEED), "--from", "pdf")
    assert code == 2 and "text, md, html" in output


@pytest.mark.slow
def test_batch_reads_every_readers_suffix_by_default(tmp_path):
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "a.txt").write_bytes(SEED.read_bytes())
    (tree / "b.md").write_bytes((FIXTURES / "article.md").read_bytes())
    (tree / "c.html.gz").write_bytes(gzip.compress((FIXTURES / "article.html").read_bytes()))
    (tree / "d.csv").write_text("not,an,article\n")
    code, output = run("batch", str(tree), "--out", str(tmp_path / "out"), "--to", "json")
    assert code == 0, output
    assert sorted(path.name for path in (tmp_path / "out").glob("*.json") if not path.name.startswith(".")) == ["a.json", "b.json", "c.json"]
    assert json.loads((tmp_path / "out" / "c.json").read_text())["source"]["format"] == "html"


@pytest.mark.slow
def test_batch_records_fill_the_metadata_and_take_from(tmp_path):
    dump = tmp_path / "dump.jsonl"
    record = {"id": "r1", "text": (FIXTURES / "article.md").read_text(), "url": "https://x.example/a", "date": "2016-10-17T08:00:00Z", "title": "Given title", "lang": "en_GB"}
    dump.write_text(json.dumps(record) + "\n")
    code, output = run("batch", str(dump), "--out", str(tmp_path / "out"), "--to", "json", "--from", "md")
    assert code == 0, output
    article = json.loads((tmp_path / "out" / "dump.jsonl").read_text())["article"]
    assert article["source"]["format"] == "md" and article["title"] == "Given title"
    assert article["metadata"]["url"] == "https://x.example/a" and article["metadata"]["published"] == "2016-10-17T08:00:00+00:00"
    assert article["metadata"]["language"] == "en-GB"


def test_record_fields_that_are_not_usable_are_ignored():
    title, metadata = record_metadata({"date": "yesterday", "lang": 7, "url": "", "title": "  "})
    assert title is None and metadata.published is None and metadata.language is None and metadata.url is None
