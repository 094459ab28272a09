"""JSONL output keeps its records: every input field as it was written, the cleaned text
under documented keys, the model only when asked, and no more bytes than that."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEED, require_bench
from typer.testing import CliRunner

import cleaner
from cleaner.batch.records import members, output_record
from cleaner.cli import app
from cleaner.render.json import to_data


def batch(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["batch", *args])
    return result.exit_code, result.output


def test_the_round_trip_of_the_issue(tmp_path):
    record = {"id": "a1", "url": "https://example.com/a", "date": "2016-10-31", "text": SEED.read_text(encoding="utf-8")}
    (tmp_path / "in.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    code, output = batch(str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out"), "--to", "txt", "--jobs", "1")
    assert code == 0, output
    [back] = [json.loads(line) for line in (tmp_path / "out" / "in.jsonl").read_text(encoding="utf-8").splitlines()]
    assert list(back) == ["id", "url", "date", "text"]  # the same record, in the same order
    assert (back["id"], back["url"], back["date"]) == ("a1", "https://example.com/a", "2016-10-31")
    assert back["text"] + "\n" == cleaner.render(cleaner.clean(record["text"], metadata=cleaner.Metadata(url=record["url"], published=record["date"])), "txt")


def test_fields_pass_through_exactly_as_written(tmp_path):
    line = '{"n": 1.50, "big": 123456789012345678901234567890, "esc": "caf\\u00e9 \\/ \\ud83d\\ude00", "raw": "café", "nested": {"a": [1, {"b": null}]}, "body": "An article.\\n\\nIt goes on for a while."}\n'
    (tmp_path / "in.jsonl").write_text(line, encoding="utf-8")
    code, output = batch(str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out"), "--to", "md,txt", "--text-field", "body", "--jobs", "1")
    assert code == 0, output
    written = (tmp_path / "out" / "in.jsonl").read_text(encoding="utf-8")
    for member in ('"n": 1.50', '"big": 123456789012345678901234567890', '"esc": "caf\\u00e9 \\/ \\ud83d\\ude00"', '"raw": "café"', '"nested": {"a": [1, {"b": null}]}', '"body": "An article.\\n\\nIt goes on for a while."'):
        assert member in written  # byte for byte
    back = json.loads(written)
    assert list(back) == ["id", "n", "big", "esc", "raw", "nested", "body", "markdown", "text"]
    assert back["id"] == "in.jsonl:1"  # no id of its own: the manifest's
    assert "article" not in back


def test_the_model_only_when_asked(tmp_path):
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": 7, "text": "An article.\n"}) + "\n", encoding="utf-8")
    for args, keys in ((["--to", "txt"], ["id", "text"]), (["--to", "txt", "--with-model"], ["id", "text", "article"]), (["--to", "json"], ["id", "text", "article"])):
        out = tmp_path / f"out{len(args)}{args[-1]}"
        code, output = batch(str(tmp_path / "in.jsonl"), "--out", str(out), *args, "--jobs", "1")
        assert code == 0, output
        back = json.loads((out / "in.jsonl").read_text(encoding="utf-8"))
        assert list(back) == keys, args
        assert back["id"] == 7
        if "article" in back:
            assert back["article"] == to_data(cleaner.clean(b"An article.\n"))


def test_the_text_field_is_kept_when_it_is_not_text(tmp_path):
    # With --text-field body, the input's body stays and the cleaned text is added: input plus what was asked.
    (tmp_path / "in.jsonl").write_text(json.dumps({"body": "An article.\n", "html": "<p>raw</p>"}) + "\n", encoding="utf-8")
    code, output = batch(str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out"), "--to", "txt,html", "--text-field", "body", "--jobs", "1")
    assert code == 0, output
    back = json.loads((tmp_path / "out" / "in.jsonl").read_text(encoding="utf-8"))
    assert back["body"] == "An article.\n" and back["text"] == "An article."  # a value, not a file: no final newline
    assert back["html"].startswith('<article class="cleaner-article">')  # the output key wins, in the input field's place
    assert list(back) == ["id", "body", "html", "text"]


def test_epub_cannot_go_in_a_record(tmp_path):
    (tmp_path / "in.jsonl").write_text(json.dumps({"text": "x"}) + "\n", encoding="utf-8")
    code, output = batch(str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out"), "--to", "epub")
    assert code == 2 and "--book" in output


@pytest.mark.parametrize(
    "line",
    ['{}', '{"a":1}', ' { "a" : [1,2] , "b":{"c":"}"} , "d" : "\\"" } ', '{"k": "\\ud800 lone"}', '{"a": 1, "a": 2}', '{"t": true, "f": false, "n": null, "x": -1.5e3}'],
)
def test_members_are_the_object_as_written(line):
    found = list(members(line))
    assert [key for key, _ in found] == [key for key, _ in _pairs(line)]
    for _, member in found:
        assert member in line  # a slice of the line, as written
    rebuilt = json.loads("{" + ", ".join(member for _, member in found) + "}")
    assert rebuilt == json.loads(line)


def _pairs(line):
    return json.loads(line, object_pairs_hook=lambda pairs: pairs)


@pytest.mark.parametrize("line", ['[1, 2]', '{"a" 1}', '{"a": 1,}', '{"a": 1'])
def test_members_refuses_what_is_not_one_object(line):
    with pytest.raises(ValueError):
        list(members(line))


def test_bytes_that_are_not_utf8_pass_through_too():
    raw = b'{"note": "caf\xe9", "text": "x"}\n'
    assert output_record(raw, {"note": "caf\udce9", "text": "x"}, {"text": '"y"'}, None) == b'{"note": "caf\xe9", "text": "y"}\n'


def test_body_only_text_is_no_larger_than_its_input(tmp_path):
    """The acceptance case: --to txt --body-only on the benchmark's dump is no larger."""
    bench = require_bench()
    outputs = json.loads((bench / "inputs" / "trafilatura.json").read_text(encoding="utf-8"))["output"]
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps({"id": page, "url": truth.get(page, {}).get("url"), "date": "2019-11-21", "text": record["articleBody"]}, ensure_ascii=False) + "\n" for page, record in outputs.items()), encoding="utf-8")
    out = tmp_path / "out"
    code, output = batch(str(dump), "--out", str(out), "--to", "txt", "--body-only", "--jobs", "1")
    assert code == 0, output
    assert (out / "dump.jsonl").stat().st_size <= dump.stat().st_size
    for before, after in zip(dump.read_text(encoding="utf-8").splitlines(), (out / "dump.jsonl").read_text(encoding="utf-8").splitlines()):
        assert len(after.encode("utf-8")) <= len(before.encode("utf-8"))  # record by record, too
        before, after = json.loads(before), json.loads(after)
        assert {key: after[key] for key in ("id", "url", "date")} == {key: before[key] for key in ("id", "url", "date")}


def test_body_only_text_keeps_the_sources_breaks():
    # One paragraph a line (as extractors write), then a blank line: the same breaks come out.
    text = "The first paragraph of the story, told at length.\nThe second one, on the next line.\n\n\n\nThe third, after blank lines.\n"
    assert cleaner.render(cleaner.clean(text), "txt", body_only=True) == text.replace("\n\n\n\n", "\n\n")
    # The full form keeps its blank line between paragraphs: it is the shape that cleans to itself.
    assert cleaner.render(cleaner.clean(text), "txt").count("\n\n") == 2
