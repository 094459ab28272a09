"""``cleaner batch``: file trees and JSONL dumps in, the same outputs as ``cleaner convert``
out, a manifest line per record, broken records reported and skipped, and resume."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import SEED
from typer.testing import CliRunner

import cleaner
from cleaner.batch import BatchJob, InlineEngine, ProcessEngine, run_batch
from cleaner.batch.outputs import output_path
from cleaner.cli import app
from cleaner.render import Format
from cleaner.render.json import to_data

ARTICLES = {
    "seed": SEED.read_text(encoding="utf-8"),
    "short": "A plain article.\n\n\n\nIt has two paragraphs and a run of blank lines.\n",
    "media": "First paragraph of the story, told at length.\n\nVideo: fighting in Mosul\n\nSecond paragraph, also told at length.\n",
    "bio": "The story goes on for a while here.\n\nJane Smith is a correspondent at the Daily Example.\n",
}


def batch(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["batch", *args])
    return result.exit_code, result.output


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def write_tree(root: Path) -> dict[str, str]:
    """corpus/{seed,short}.txt and corpus/sub/deeper/{media,bio}.txt, plus a file the glob skips."""
    files = {"seed.txt": ARTICLES["seed"], "short.txt": ARTICLES["short"], "sub/deeper/media.txt": ARTICLES["media"], "sub/deeper/bio.txt": ARTICLES["bio"]}
    for rel, text in files.items():
        path = root / "corpus" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "corpus" / "notes.csv").write_text("not an article", encoding="utf-8")
    return files


def write_dump(path: Path, records: list[dict | str]) -> None:
    lines = "".join((record if isinstance(record, str) else json.dumps(record)) + "\n" for record in records)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(lines.encode("utf-8")))
    else:
        path.write_text(lines, encoding="utf-8")


def read_dump(path: Path) -> list[dict]:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


# --- file trees ---------------------------------------------------------------------------


def test_a_tree_gives_the_same_tree_with_one_file_per_format(tmp_path: Path) -> None:
    files = write_tree(tmp_path)
    out = tmp_path / "out"
    code, output = batch(str(tmp_path / "corpus"), "--out", str(out), "--to", "md,html,txt,json", "--jobs", "1")
    assert code == 0, output
    for rel, text in files.items():
        article = cleaner.clean(text.encode("utf-8"), path=rel)
        stem = out / Path(rel).with_suffix("")
        for fmt in ("md", "html", "txt", "json"):
            written = stem.with_suffix(f".{fmt}").read_text(encoding="utf-8")
            assert written == cleaner.render(article, fmt), (rel, fmt)
    assert not (out / "notes.md").exists()  # the default --glob: the suffixes of the readers, not .csv
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != "manifest.jsonl" and not p.name.startswith(".")) == sorted(
        f"{Path(rel).with_suffix('').as_posix()}.{fmt}" for rel in files for fmt in ("md", "html", "txt", "json")
    )


def test_the_manifest_has_a_line_per_record_with_outputs_counts_and_digest(tmp_path: Path) -> None:
    files = write_tree(tmp_path)
    out = tmp_path / "out"
    code, output = batch(str(tmp_path / "corpus"), "--out", str(out), "--to", "txt,md", "--jobs", "1")
    assert code == 0, output
    lines = manifest(out)
    assert sorted(line["id"] for line in lines) == sorted(files)
    for line in lines:
        data = files[line["id"]].encode("utf-8")
        assert line["status"] == "ok" and line["error"] is None
        assert line["input"] == str(tmp_path / "corpus" / line["id"])
        assert line["outputs"] == [str(Path(line["id"]).with_suffix(".txt").as_posix()), str(Path(line["id"]).with_suffix(".md").as_posix())]
        assert line["removed"] == cleaner.clean(data).removed_counts()
        assert line["sha256"] == hashlib.sha256(data).hexdigest()
        assert line["bytes"] == len(data)
    assert any(line["removed"].get("blank") for line in lines)


def test_several_inputs_keep_their_names_and_out_may_sit_inside_an_input(tmp_path: Path, monkeypatch) -> None:
    write_tree(tmp_path)
    (tmp_path / "single.txt").write_text(ARTICLES["short"], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, output = batch("corpus", "single.txt", "--out", "corpus/cleaned", "--jobs", "1")
    assert code == 0, output
    out = tmp_path / "corpus" / "cleaned"
    assert (out / "corpus" / "sub" / "deeper" / "media.md").is_file()
    assert (out / "single.md").is_file()
    # The output directory is never walked, even when --glob takes every file.
    shutil.rmtree(out)
    code, output = batch("corpus", "--out", "corpus/everything", "--glob", "*", "--jobs", "1")
    assert code == 0, output
    ids = [line["id"] for line in manifest(tmp_path / "corpus" / "everything")]
    assert "notes.csv" in ids and not any(record_id.startswith("everything") for record_id in ids)


def test_body_only_shapes_the_text_formats_and_leaves_json_whole(tmp_path: Path) -> None:
    write_tree(tmp_path)
    out = tmp_path / "out"
    code, output = batch(str(tmp_path / "corpus"), "--out", str(out), "--to", "txt,json", "--body-only", "--jobs", "1")
    assert code == 0, output
    article = cleaner.clean(ARTICLES["bio"].encode("utf-8"), path="bio.txt")
    assert (out / "sub/deeper/bio.txt").read_text(encoding="utf-8") == cleaner.render(article, "txt", body_only=True)
    assert (out / "sub/deeper/bio.json").read_text(encoding="utf-8") == cleaner.render(article, "json")


# --- JSONL dumps --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dump.jsonl", "dump.jsonl.gz"])
def test_a_jsonl_dump_gives_a_jsonl_record_per_input_record(tmp_path: Path, name: str) -> None:
    records = [{"url": f"https://example.com/{key}", "body": text, "other": 1} for key, text in ARTICLES.items()]
    write_dump(tmp_path / name, records)
    out = tmp_path / "out"
    code, output = batch(str(tmp_path / name), "--out", str(out), "--to", "md,html,txt,json", "--text-field", "body", "--id-field", "url", "--jobs", "1")
    assert code == 0, output
    written = read_dump(out / name)
    assert [record["url"] for record in written] == [record["url"] for record in records]  # input order
    for record, source in zip(written, records):
        article = cleaner.clean(source["body"].encode("utf-8"), metadata=cleaner.Metadata(url=source["url"]))  # the record's url field
        assert record["article"] == to_data(article)
        assert record["markdown"] + "\n" == cleaner.render(article, "md")  # a value: no file's final newline
        assert record["text"] + "\n" == cleaner.render(article, "txt")
        assert record["html"] + "\n" == cleaner.render(article, "html", standalone=False)
        # Every input field passes through (the id is the record's own url: no id added).
        assert record["body"] == source["body"] and record["other"] == 1
        assert list(record) == ["url", "body", "other", "markdown", "html", "text", "article"]
    lines = manifest(out)
    assert [(line["input"], line["line"], line["outputs"]) for line in lines] == [(str(tmp_path / name), n, [name]) for n in range(1, 5)]
    assert [line["sha256"] for line in lines] == [hashlib.sha256(r["body"].encode()).hexdigest() for r in records]


def test_record_ids_never_make_a_path_outside_out(tmp_path: Path) -> None:
    hostile = ["../../escaped", "/tmp/absolute", "..\\windows", "C:\\drive", "a/../../b"]
    (tmp_path / "in").mkdir()
    write_dump(tmp_path / "in" / "dump.jsonl", [{"id": record_id, "text": ARTICLES["short"]} for record_id in hostile])
    before = set(tmp_path.rglob("*"))
    out = tmp_path / "in" / "out"
    code, output = batch(str(tmp_path / "in" / "dump.jsonl"), "--out", str(out), "--to", "md,json", "--jobs", "1")
    assert code == 0, output
    created = set(tmp_path.rglob("*")) - before
    assert created and all(out in path.parents or path == out for path in created)
    assert [record["id"] for record in read_dump(out / "dump.jsonl")] == hostile  # kept as data


@pytest.mark.parametrize("rel", ["../../etc/passwd", "/etc/passwd", "..", "", "a/./../..//b", "C:\\x\\..\\..\\y", "a\0b"])
def test_output_path_stays_inside_out(tmp_path: Path, rel: str) -> None:
    out = tmp_path / "out"
    path = output_path(out, rel, ".md")
    assert out in path.parents
    assert ".." not in path.relative_to(out).parts


# --- broken records ------------------------------------------------------------------------


def test_broken_records_are_listed_and_skipped_and_the_exit_code_is_1(tmp_path: Path) -> None:
    write_tree(tmp_path)
    # Undecodable whatever the decoder tolerates: a UTF-8 byte-order mark, then bytes that are not UTF-8.
    (tmp_path / "corpus" / "undecodable.txt").write_bytes(b"\xef\xbb\xbf\xff\xfe\xfd not text")
    (tmp_path / "corpus" / "huge.txt").write_text("word " * 5000, encoding="utf-8")
    write_dump(
        tmp_path / "dump.jsonl",
        [{"id": "fine", "text": ARTICLES["short"]}, "{not json", {"id": "no-text"}, {"id": "number", "text": 42}, ["a", "list"], {"id": "fine too", "text": ARTICLES["media"]}],
    )
    out = tmp_path / "out"
    code, output = batch(str(tmp_path / "corpus"), str(tmp_path / "dump.jsonl"), "--out", str(out), "--max-bytes", "10000", "--jobs", "1")
    assert code == 1, output
    lines = {line["id"]: line for line in manifest(out)}
    errors = {key: line["error"] for key, line in lines.items() if line["status"] == "error"}
    assert set(errors) == {"corpus/undecodable.txt", "corpus/huge.txt", "dump.jsonl:2", "no-text", "number", "dump.jsonl:5"}
    assert "not valid utf-8" in errors["corpus/undecodable.txt"]
    assert "larger than the limit" in errors["corpus/huge.txt"]
    assert "not a JSON record" in errors["dump.jsonl:2"]
    assert "no field 'text'" in errors["no-text"]
    assert all(lines[key]["outputs"] == [] for key in errors)
    assert [record["id"] for record in read_dump(out / "dump.jsonl")] == ["fine", "fine too"]
    assert (out / "corpus" / "sub" / "deeper" / "bio.md").is_file()
    assert "6 failed" in output


def test_a_jsonl_line_over_the_limit_is_one_error_and_is_never_read_whole(tmp_path: Path) -> None:
    write_dump(tmp_path / "dump.jsonl", [{"id": "a", "text": ARTICLES["short"]}, {"id": "big", "text": "x " * 2_000_000}, {"id": "c", "text": ARTICLES["bio"]}])
    out = tmp_path / "out"
    code, output = batch(str(tmp_path / "dump.jsonl"), "--out", str(out), "--max-bytes", "1000", "--jobs", "1")
    assert code == 1, output
    lines = manifest(out)
    assert [line["status"] for line in lines] == ["ok", "error", "ok"]
    assert "longer than the limit" in lines[1]["error"]


def test_user_errors_are_one_line_and_do_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path)
    code, output = batch(str(tmp_path / "missing"), "--out", str(tmp_path / "out"))
    assert code == 3 and "no such file" in output
    code, output = batch(str(tmp_path / "corpus"), "--out", str(tmp_path / "out"), "--to", "pdf")
    assert code == 2 and "unknown format" in output
    code, output = batch(str(tmp_path / "corpus"), str(tmp_path / "corpus" / "sub"), "--out", str(tmp_path / "out"))
    assert code == 2 and "given twice" in output
    assert not (tmp_path / "out" / "manifest.jsonl").exists()


def test_an_existing_batch_is_not_overwritten_without_resume(tmp_path: Path) -> None:
    write_tree(tmp_path)
    out = tmp_path / "out"
    assert batch(str(tmp_path / "corpus"), "--out", str(out), "--jobs", "1")[0] == 0
    code, output = batch(str(tmp_path / "corpus"), "--out", str(out), "--jobs", "1")
    assert code == 2 and "--resume" in output


# --- resume after a crash ------------------------------------------------------------------


def test_resume_after_a_kill_redoes_nothing_done_and_writes_no_duplicate_lines(tmp_path: Path) -> None:
    write_tree(tmp_path)
    dump_records = [{"id": f"r{n}", "text": text} for n, text in enumerate(list(ARTICLES.values()) * 3)]
    write_dump(tmp_path / "dump.jsonl.gz", dump_records)
    inputs = [str(tmp_path / "corpus"), str(tmp_path / "dump.jsonl.gz")]
    complete = tmp_path / "complete"
    assert batch(*inputs, "--out", str(complete), "--to", "md,txt", "--jobs", "1")[0] == 0
    expected_manifest = manifest(complete)
    expected_outputs = {p.relative_to(complete).as_posix(): p.read_bytes() for p in complete.rglob("*") if p.is_file()}

    # What a kill -9 part way through the dump leaves: the tree done, 5 of the 12 dump
    # records in the manifest, a half-written manifest line, a partial output holding
    # those 5 records plus more and a torn gzip member, and a stray temporary file.
    out = tmp_path / "out"
    assert batch(*inputs, "--out", str(out), "--to", "md,txt", "--jobs", "1")[0] == 0
    lines = (out / "manifest.jsonl").read_bytes().splitlines(keepends=True)
    done = 4 + 5
    (out / "manifest.jsonl").write_bytes(b"".join(lines[:done]) + lines[done][:40])
    records = gzip.decompress((out / "dump.jsonl.gz").read_bytes()).splitlines(keepends=True)
    partial = gzip.compress(b"".join(records[:5])) + gzip.compress(b"".join(records[5:7])) + gzip.compress(b"".join(records[7:9]))[:30]
    (out / ".dump.jsonl.gz.partial").write_bytes(partial)
    (out / "dump.jsonl.gz").unlink()
    (out / "corpus" / ".seed.md.abcd1234.tmp").write_text("half", encoding="utf-8")
    # A done record's output is marked: resuming must not write it again.
    (out / "corpus" / "short.md").write_text("written by the first run", encoding="utf-8")

    code, output = batch(*inputs, "--out", str(out), "--to", "md,txt", "--jobs", "1", "--resume")
    assert code == 0, output
    assert manifest(out) == expected_manifest  # no duplicates, nothing missing, same order
    assert not (out / "corpus" / ".seed.md.abcd1234.tmp").exists()
    assert not (out / ".dump.jsonl.gz.partial").exists()
    assert read_dump(out / "dump.jsonl.gz") == read_dump(complete / "dump.jsonl.gz")
    assert (out / "corpus" / "short.md").read_text(encoding="utf-8") == "written by the first run"
    outputs = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert set(outputs) == set(expected_outputs)
    assert "9 already done" in output


def test_resume_of_a_finished_run_does_nothing(tmp_path: Path) -> None:
    write_tree(tmp_path)
    write_dump(tmp_path / "dump.jsonl", [{"id": "a", "text": ARTICLES["short"]}])
    out = tmp_path / "out"
    assert batch(str(tmp_path / "corpus"), str(tmp_path / "dump.jsonl"), "--out", str(out), "--jobs", "1")[0] == 0
    before = (out / "manifest.jsonl").read_bytes(), (out / "dump.jsonl").read_bytes()
    code, output = batch(str(tmp_path / "corpus"), str(tmp_path / "dump.jsonl"), "--out", str(out), "--jobs", "1", "--resume")
    assert code == 0, output
    assert ((out / "manifest.jsonl").read_bytes(), (out / "dump.jsonl").read_bytes()) == before


def test_resume_refuses_inputs_that_changed(tmp_path: Path) -> None:
    write_tree(tmp_path)
    out = tmp_path / "out"
    assert batch(str(tmp_path / "corpus"), "--out", str(out), "--jobs", "1")[0] == 0
    (tmp_path / "corpus" / "aaa.txt").write_text(ARTICLES["short"], encoding="utf-8")
    code, output = batch(str(tmp_path / "corpus"), "--out", str(out), "--jobs", "1", "--resume")
    assert code == 2 and "cannot resume" in output


class _InterruptAfter:
    """A progress sink that presses Ctrl-C after ``chunks`` chunks have been collected."""

    def __init__(self, chunks: int) -> None:
        self.left = chunks

    def advance(self, **_) -> None:
        self.left -= 1
        if self.left == 0:
            raise KeyboardInterrupt


def test_ctrl_c_stops_cleanly_and_resume_finishes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("cleaner.batch.runner.CHUNK_RECORDS", 2)
    write_tree(tmp_path)
    write_dump(tmp_path / "dump.jsonl", [{"id": f"r{n}", "text": ARTICLES["short"]} for n in range(7)])
    job = BatchJob(inputs=(tmp_path / "corpus", tmp_path / "dump.jsonl"), out=tmp_path / "out", formats=(Format.MD,))
    summary = run_batch(job, InlineEngine(), progress=_InterruptAfter(3))
    assert summary.interrupted and summary.exit_code == 130
    assert summary.records == 6 and len(manifest(job.out)) == 6
    assert not (job.out / "dump.jsonl").exists()  # never a partial file under the final name
    summary = run_batch(job, InlineEngine(), resume=True)
    assert (summary.ok, summary.already_done, summary.exit_code) == (5, 6, 0)
    assert [line["line"] for line in manifest(job.out)][4:] == [1, 2, 3, 4, 5, 6, 7]
    assert [record["id"] for record in read_dump(job.out / "dump.jsonl")] == [f"r{n}" for n in range(7)]


# --- engines --------------------------------------------------------------------------------


def _run_and_read(tmp_path: Path, name: str, engine) -> tuple[list[dict], dict[str, bytes]]:
    """The manifest and every output; neither names the --out directory, so runs compare equal."""
    job = BatchJob(inputs=(tmp_path / "corpus", tmp_path / "dump.jsonl.gz"), out=tmp_path / name, formats=(Format.MD, Format.JSON))
    summary = run_batch(job, engine)
    assert summary.exit_code == 1 and summary.failed == 1
    outputs = {p.relative_to(job.out).as_posix(): p.read_bytes() for p in job.out.rglob("*") if p.is_file() and p.name != "manifest.jsonl"}
    outputs["dump.jsonl.gz"] = gzip.decompress(outputs["dump.jsonl.gz"])
    return manifest(job.out), outputs


@pytest.fixture
def mixed_inputs(tmp_path: Path) -> Path:
    write_tree(tmp_path)
    (tmp_path / "corpus" / "broken.txt").write_bytes(b"\xff\xfe\x41")  # a UTF-16 byte-order mark, then an odd byte
    write_dump(tmp_path / "dump.jsonl.gz", [{"id": f"r{n}", "text": text} for n, text in enumerate(list(ARTICLES.values()) * 20)])
    return tmp_path


@pytest.mark.slow
def test_worker_processes_give_the_same_outputs_and_manifest(mixed_inputs: Path, monkeypatch) -> None:
    monkeypatch.setattr("cleaner.batch.runner.CHUNK_RECORDS", 8)
    expected = _run_and_read(mixed_inputs, "inline", InlineEngine())
    assert _run_and_read(mixed_inputs, "processes", ProcessEngine(2)) == expected


@pytest.mark.slow
def test_the_dask_engine_gives_the_same_outputs_and_manifest(mixed_inputs: Path, monkeypatch) -> None:
    distributed = pytest.importorskip("distributed")
    from cleaner.batch import DaskEngine

    monkeypatch.setattr("cleaner.batch.runner.CHUNK_RECORDS", 8)
    expected = _run_and_read(mixed_inputs, "inline", InlineEngine())
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        assert _run_and_read(mixed_inputs, "dask", DaskEngine(client=client)) == expected


def test_outputs_beside_the_inputs_never_overwrite_an_input(tmp_path: Path) -> None:
    write_tree(tmp_path)
    corpus = tmp_path / "corpus"
    code, output = batch(str(corpus), "--out", str(corpus), "--to", "md,txt", "--jobs", "1")
    assert code == 1, output
    assert (corpus / "short.txt").read_text(encoding="utf-8") == ARTICLES["short"]
    assert not (corpus / "short.md").exists()  # refused before anything of the record was written
    assert all("over the input" in line["error"] for line in manifest(corpus))


@pytest.mark.slow
def test_the_command_line_runs_on_a_dask_scheduler(mixed_inputs: Path) -> None:
    distributed = pytest.importorskip("distributed")
    expected = _run_and_read(mixed_inputs, "inline", InlineEngine())
    out = mixed_inputs / "dask-cli"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", dashboard_address=None) as cluster:
        code, output = batch(
            str(mixed_inputs / "corpus"), str(mixed_inputs / "dump.jsonl.gz"), "--out", str(out), "--to", "md,json", "--engine", "dask", "--scheduler", cluster.scheduler_address
        )
    assert code == 1, output
    assert manifest(out) == expected[0]


def test_scheduler_without_the_dask_engine_is_a_usage_error(tmp_path: Path) -> None:
    write_tree(tmp_path)
    code, output = batch(str(tmp_path / "corpus"), "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "--engine dask" in output


def test_resume_refuses_other_options(tmp_path: Path) -> None:
    write_tree(tmp_path)
    out = tmp_path / "out"
    assert batch(str(tmp_path / "corpus"), "--out", str(out), "--to", "md", "--jobs", "1")[0] == 0
    code, output = batch(str(tmp_path / "corpus"), "--out", str(out), "--to", "md,html", "--jobs", "1", "--resume")
    assert code == 2 and "formats" in output


def test_empty_files_and_dumps_are_records_too(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "empty.txt").write_bytes(b"")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "one.jsonl").write_text(json.dumps({"id": "a", "text": ""}) + "\n\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = batch(str(tmp_path / "corpus"), str(tmp_path / "empty.jsonl"), str(tmp_path / "one.jsonl"), "--out", str(out), "--jobs", "1")
    assert code == 0, output
    assert [(line["id"], line["status"]) for line in manifest(out)] == [("corpus/empty.txt", "ok"), ("a", "ok")]
    assert (out / "corpus" / "empty.md").read_text(encoding="utf-8") == cleaner.render(cleaner.clean(b"", path="empty.txt"), "md")
    assert (out / "empty.jsonl").read_bytes() == b""
    assert [record["id"] for record in read_dump(out / "one.jsonl")] == ["a"]


def test_a_record_whose_output_cannot_be_written_fails_alone(tmp_path: Path) -> None:
    write_tree(tmp_path)
    out = tmp_path / "out"
    (out / "short.md").mkdir(parents=True)  # a directory where an output file should go
    job = BatchJob(inputs=(tmp_path / "corpus",), out=out, formats=(Format.TXT, Format.MD))
    summary = run_batch(job, InlineEngine())
    assert (summary.ok, summary.failed, summary.exit_code) == (3, 1, 1)
    lines = {line["id"]: line for line in manifest(out)}
    assert lines["short.txt"]["status"] == "error" and "cannot write" in lines["short.txt"]["error"]
    assert lines["short.txt"]["outputs"] == [] and lines["short.txt"]["removed"] == {}
    assert summary.removed == sum((Counter(line["removed"]) for line in lines.values()), Counter())
    assert (out / "sub" / "deeper" / "media.md").is_file()
