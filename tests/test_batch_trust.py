"""``cleaner batch`` over untrusted corpora, run unattended: an output never replaces an
input or another output, nothing outside the input tree is read by default, one run per
``--out``, and the exit code tells the truth (issue 9). Each test is a reproduction."""

from __future__ import annotations

import errno
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import SEED
from typer.testing import CliRunner

import cleaner
from cleaner.batch import BatchJob, InlineEngine, run_batch
from cleaner.cli import app
from cleaner.render import Format

SHORT = "A plain article.\n\n\n\nIt has two paragraphs and a run of blank lines.\n"
ENTRY = "import sys; from cleaner.cli import main; sys.argv[0] = 'cleaner'; main()"


def batch(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["batch", *map(str, args)])
    return result.exit_code, result.output


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def article(n: int) -> str:
    """A distinct article per number: whose output a file holds can be told."""
    return f"Article number {n} begins here, and it is told at some length.\n\nIts second paragraph ends it.\n"


def outputs(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file() and p.name not in ("manifest.jsonl", ".batch-settings.json")}


# --- an output never replaces an input, nor another record's output ----------------------


@pytest.mark.slow
def test_an_output_never_replaces_another_input_of_the_run(tmp_path: Path) -> None:
    # The issue: `batch DIR --out DIR --glob '*.md' --glob '*.txt' --to md` wrote a.txt's output over a.md.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(article(1), encoding="utf-8")
    (corpus / "a.txt").write_text(article(2), encoding="utf-8")
    (corpus / "b.txt").write_text(article(3), encoding="utf-8")
    code, output = batch(corpus, "--out", corpus, "--glob", "*.md", "--glob", "*.txt", "--to", "md", "--jobs", "1")
    assert code == 1, output
    assert (corpus / "a.md").read_text(encoding="utf-8") == article(1)
    assert (corpus / "a.txt").read_text(encoding="utf-8") == article(2)
    lines = {line["id"]: line for line in manifest(corpus)}
    assert "over the input" in lines["a.md"]["error"]
    assert lines["a.txt"]["status"] == "error"
    # b.md is no input yet, but it would be one (--glob '*.md' in --out): refused as well.
    assert "over the input" in lines["b.txt"]["error"] and not (corpus / "b.md").exists()


def test_an_output_is_never_written_where_the_walk_would_find_it(tmp_path: Path) -> None:
    # Not only existing inputs: a.txt's output a.md, in the tree a --glob '*.md' walks, would
    # be read as a new record by --resume. It is refused before it exists.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(article(1), encoding="utf-8")
    code, output = batch(corpus, "--out", corpus, "--glob", "*.md", "--glob", "*.txt", "--to", "md,json", "--jobs", "1")
    assert code == 1, output
    assert not (corpus / "a.md").exists() and not (corpus / "a.json").exists()
    assert "over the input" in manifest(corpus)[0]["error"]


@pytest.mark.parametrize(
    ("names", "globs"),
    [
        (["x:y.txt", "x_y.txt"], ["*.txt"]),
        (["sub\\z.txt", "sub/z.txt"], ["*.txt"]),
        (["a.txt", "a.text"], ["*.txt", "*.text"]),
        (["a", "a.txt"], ["*"]),
    ],
    ids=["colon", "backslash", "suffixes", "no-suffix"],
)
def test_two_records_never_share_an_output(tmp_path: Path, names: list[str], globs: list[str]) -> None:
    if os.name == "nt":
        pytest.skip("POSIX file names")
    corpus = tmp_path / "corpus"
    for number, name in enumerate(names):
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(article(number), encoding="utf-8")
    out = tmp_path / "out"
    code, output = batch(corpus, "--out", out, *[arg for glob in globs for arg in ("--glob", glob)], "--to", "md", "--jobs", "1")
    lines = manifest(out)
    assert len(lines) == len(names)
    written = [output for line in lines for output in line["outputs"]]
    assert len(written) == len(set(written)), lines  # no output claimed twice
    for line in lines:  # each output holds the article of the record that lists it
        for name in line["outputs"]:
            source = (corpus / line["id"]).read_text(encoding="utf-8")
            assert (out / name).read_text(encoding="utf-8") == cleaner.render(cleaner.clean(source), "md")
    failed = [line for line in lines if line["status"] == "error"]
    if failed:  # a collision that cannot be mapped apart is one clear error, never silence
        assert code == 1 and len(failed) == 1 and "would be those of" in failed[0]["error"], output
    else:
        assert code == 0, output


def test_given_files_never_share_an_output(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(article(1), encoding="utf-8")
    (tmp_path / "a.text").write_text(article(2), encoding="utf-8")
    out = tmp_path / "out"
    code, output = batch(tmp_path / "a.txt", tmp_path / "a.text", "--out", out, "--jobs", "1")
    assert code == 1, output
    assert (out / "a.md").read_text(encoding="utf-8") == cleaner.render(cleaner.clean(article(1)), "md")
    assert "would be those of a.txt" in manifest(out)[1]["error"]


# --- nothing outside the input tree is read by default ------------------------------------


@pytest.fixture
def linked_tree(tmp_path: Path) -> Path:
    """corpus/{real.txt, alias.txt -> real.txt, x.txt -> ../secret/shadow}"""
    if not hasattr(os, "symlink"):
        pytest.skip("no symbolic links")
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "shadow").write_text("root:$6$secret-hash:19000:0:99999:7:::\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "real.txt").write_text(article(1), encoding="utf-8")
    os.symlink("real.txt", corpus / "alias.txt")
    os.symlink(tmp_path / "secret" / "shadow", corpus / "x.txt")
    return tmp_path


def test_a_link_out_of_the_input_tree_is_not_followed(linked_tree: Path) -> None:
    out = linked_tree / "out"
    code, output = batch(linked_tree / "corpus", "--out", out, "--to", "txt,json", "--jobs", "1")
    assert code == 1, output
    assert not any("secret-hash" in text for text in outputs(out).values())
    lines = {line["id"]: line for line in manifest(out)}
    assert lines["x.txt"]["status"] == "error" and "symbolic link" in lines["x.txt"]["error"] and "--follow-symlinks" in lines["x.txt"]["error"]
    assert lines["x.txt"]["bytes"] is None and lines["x.txt"]["sha256"] is None  # not even read
    assert lines["alias.txt"]["status"] == "ok"  # a link inside the tree is read
    assert lines["alias.txt"]["link"] == os.path.realpath(linked_tree / "corpus" / "real.txt")


def test_following_links_out_of_the_tree_is_opt_in_and_in_the_manifest(linked_tree: Path) -> None:
    out = linked_tree / "out"
    code, output = batch(linked_tree / "corpus", "--out", out, "--to", "txt", "--jobs", "1", "--follow-symlinks")
    assert code == 0, output
    assert "secret-hash" in (out / "x.txt").read_text(encoding="utf-8")
    line = {line["id"]: line for line in manifest(out)}["x.txt"]
    assert line["link"] == os.path.realpath(linked_tree / "secret" / "shadow")
    # The choice shapes the outputs: a resume must make the same one.
    code, output = batch(linked_tree / "corpus", "--out", out, "--to", "txt", "--jobs", "1", "--resume")
    assert code == 2 and "follow_symlinks" in output


def test_a_dump_linked_from_outside_the_tree_is_one_failed_record(linked_tree: Path) -> None:
    dump = linked_tree / "secret" / "dump.jsonl"
    dump.write_text(json.dumps({"id": "a", "text": "secret text of a record"}) + "\n", encoding="utf-8")
    os.symlink(dump, linked_tree / "corpus" / "dump.jsonl")
    out = linked_tree / "out"
    code, output = batch(linked_tree / "corpus", "--out", out, "--glob", "*.jsonl", "--jobs", "1")
    assert code == 1, output
    [line] = manifest(out)
    assert "symbolic link" in line["error"] and not (out / "dump.jsonl").exists()


# --- long names ----------------------------------------------------------------------------


def test_a_250_byte_file_name_is_cleaned(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = "n" * 246 + ".txt"  # outputs of 249 to 251 bytes; their temporaries would be 264
    (corpus / name).write_text(article(1), encoding="utf-8")
    dump = "d" * 244 + ".jsonl"  # its partial output, ".NAME.partial", would be 259
    (corpus / dump).write_text(json.dumps({"id": "a", "text": article(2)}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = batch(corpus, "--out", out, "--glob", "*.txt", "--glob", "*.jsonl", "--to", "md,html,txt,json", "--jobs", "1")
    assert code == 0, output
    assert (out / ("n" * 246 + ".html")).read_text(encoding="utf-8") == cleaner.render(cleaner.clean(article(1)), "html")
    assert json.loads((out / dump).read_text(encoding="utf-8"))["id"] == "a"
    assert {p.name for p in out.iterdir()} == {"n" * 246 + suffix for suffix in (".md", ".html", ".txt", ".json")} | {dump, "manifest.jsonl", ".batch-settings.json"}


def test_a_file_name_that_is_not_utf8_is_cleaned_and_resumable(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    try:
        (corpus / os.fsdecode(b"caf\xe9.txt")).write_text(article(1), encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system takes UTF-8 names only")
    out = tmp_path / "out"
    code, output = batch(corpus, "--out", out, "--jobs", "1")
    assert code == 0, output  # was exit 70: the manifest line could not be encoded
    assert (out / os.fsdecode(b"caf\xe9.md")).is_file()
    assert manifest(out)[0]["id"] == os.fsdecode(b"caf\xe9.txt")
    assert batch(corpus, "--out", out, "--jobs", "1", "--resume")[0] == 0


# --- one run per --out ------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
@pytest.mark.parametrize("resume", [False, True])
def test_a_second_run_in_the_same_out_is_refused(tmp_path: Path, resume: bool) -> None:
    import fcntl

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(article(1), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with open(out / "manifest.jsonl", "ab") as running:  # what a run in progress holds
        fcntl.flock(running, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, output = batch(tmp_path / "corpus", "--out", out, "--jobs", "1", *(["--resume"] if resume else []))
    assert code == 2, output
    assert "another cleaner batch is running" in output and "Traceback" not in output
    assert (out / "manifest.jsonl").read_bytes() == b"" and not (out / "a.md").exists()
    assert not (out / ".batch-settings.json").exists()  # nothing in --out was touched


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_two_real_runs_at_once_never_mix(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(400):
        (corpus / f"a{n:03}.txt").write_text(article(n), encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-c", ENTRY, "batch", str(corpus), "--out", str(out), "--jobs", "1", "--to", "md,html,txt,json"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # The second starts once the first holds --out (its manifest exists), with --resume: it must wait its turn.
        while not (out / "manifest.jsonl").exists() and first.poll() is None:
            time.sleep(0.01)
        second = subprocess.run([*command, "--resume"], capture_output=True, text=True, timeout=120)
    finally:
        first.wait(timeout=120)
    assert first.returncode == 0, first.stderr.read()
    lines = manifest(out)
    assert len(lines) == len({line["id"] for line in lines}) == 400  # no line twice
    if second.returncode != 0:  # it ran while the first did (the usual case): refused
        assert second.returncode == 2 and "another cleaner batch is running" in second.stderr, second.stderr


# --- exit codes that tell the truth ------------------------------------------------------------


def test_resume_exits_1_while_a_record_of_the_run_has_failed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(article(1), encoding="utf-8")
    (corpus / "b.txt").write_bytes(bytes(range(256)) * 8)  # binary: fails
    out = tmp_path / "out"
    code, output = batch(corpus, "--out", out, "--jobs", "1")
    assert code == 1, output
    code, output = batch(corpus, "--out", out, "--jobs", "1", "--resume")
    assert code == 1, output
    assert "1 record of the run failed, 1 of them before --resume" in " ".join(output.split())
    assert len(manifest(out)) == 2


# --- the file system refusing writes ------------------------------------------------------------


def _disk_full_for(name: str, monkeypatch, error: int = errno.ENOSPC) -> dict:
    """Make creating the temporary of output ``name`` fail as on a full disk (or with
    ``error``), while ``state["full"]``."""
    state = {"full": True}
    real = tempfile.mkstemp

    def mkstemp(*args, prefix="", **kwargs):
        if state["full"] and prefix == f".{name}.":
            raise OSError(error, os.strerror(error))
        return real(*args, prefix=prefix, **kwargs)

    monkeypatch.setattr("cleaner.io.tempfile.mkstemp", mkstemp)
    return state


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EDQUOT, errno.EACCES], ids=["full", "quota", "permission"])
def test_a_full_disk_stops_the_run_leaves_no_orphan_and_resume_retries(tmp_path: Path, monkeypatch, error: int) -> None:
    from cleaner.errors import StorageError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in "abcd":
        (corpus / f"{name}.txt").write_text(article(ord(name)), encoding="utf-8")
    state = _disk_full_for("c.md", monkeypatch, error)
    job = BatchJob(inputs=(corpus,), out=tmp_path / "out", formats=(Format.TXT, Format.MD))
    with pytest.raises(StorageError, match=rf"cannot write .*c\.md: {os.strerror(error)}.*--resume") as stopped:
        run_batch(job, InlineEngine())
    assert "standard output" not in str(stopped.value)
    # The records before c are done and listed; c is not (it was not its fault), and its
    # txt output, written before the md failed, is gone: no file the manifest does not list.
    assert [(line["id"], line["status"]) for line in manifest(job.out)] == [("a.txt", "ok"), ("b.txt", "ok")]
    assert sorted(outputs(job.out)) == ["a.md", "a.txt", "b.md", "b.txt"]
    state["full"] = False  # space freed
    summary = run_batch(job, InlineEngine(), resume=True)
    assert (summary.ok, summary.already_done, summary.exit_code) == (2, 2, 0)
    assert [(line["id"], line["status"]) for line in manifest(job.out)] == [(f"{name}.txt", "ok") for name in "abcd"]
    assert sorted(outputs(job.out)) == sorted(f"{name}.{fmt}" for name in "abcd" for fmt in ("txt", "md"))


def test_a_full_disk_stops_a_dask_run_too(tmp_path: Path, monkeypatch) -> None:
    # Dask workers write their outputs themselves: the same stop, the same clean-up.
    distributed = pytest.importorskip("distributed")
    from cleaner.batch import DaskEngine
    from cleaner.errors import StorageError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in "abc":
        (corpus / f"{name}.txt").write_text(article(ord(name)), encoding="utf-8")
    state = _disk_full_for("b.md", monkeypatch)
    job = BatchJob(inputs=(corpus,), out=tmp_path / "out", formats=(Format.TXT, Format.MD))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        with pytest.raises(StorageError, match=r"b\.md: No space left on device"):
            run_batch(job, DaskEngine(client=client))
        assert not (job.out / "b.txt").exists()  # written before b.md failed, then removed
        assert all(line["status"] == "ok" for line in manifest(job.out))
        state["full"] = False
        summary = run_batch(job, DaskEngine(client=client), resume=True)
    assert summary.exit_code == 0
    assert sorted(line["id"] for line in manifest(job.out)) == ["a.txt", "b.txt", "c.txt"]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_a_file_system_refusing_writes_in_a_real_process(tmp_path: Path) -> None:
    # A real write failure (EFBIG: over a file-size limit, like a full disk for the process),
    # through the command line: exit 6, the file named, nothing half-done, --resume finishes.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "b.txt").write_bytes(SEED.read_bytes())  # its HTML is over the limit below
    out = tmp_path / "out"
    limited = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (10000, 10000)); " + ENTRY
    )
    result = subprocess.run([sys.executable, "-c", limited, "batch", str(corpus), "--out", str(out), "--to", "md,html", "--jobs", "1"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 6, result.stderr
    assert f"cannot write {out / 'b.html'}" in result.stderr and "--resume" in result.stderr and "Traceback" not in result.stderr
    assert [line["id"] for line in manifest(out)] == ["a.txt"]
    assert not (out / "b.md").exists()
    result = subprocess.run([sys.executable, "-c", ENTRY, "batch", str(corpus), "--out", str(out), "--to", "md,html", "--jobs", "1", "--resume"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [(line["id"], line["status"]) for line in manifest(out)] == [("a.txt", "ok"), ("b.txt", "ok")]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_a_manifest_that_cannot_grow_is_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(40):
        (corpus / f"a{n:02}.txt").write_text("Short.\n", encoding="utf-8")
    out = tmp_path / "out"
    limited = "import resource, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000)); " + ENTRY
    result = subprocess.run([sys.executable, "-c", limited, "batch", str(corpus), "--out", str(out), "--jobs", "1"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 6, result.stderr
    assert f"cannot write {out / 'manifest.jsonl'}" in result.stderr and "standard output" not in result.stderr


# --- --resume checks its inputs -----------------------------------------------------------------


def _finished_run(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in "abc":
        (corpus / f"{name}.txt").write_text(article(ord(name)), encoding="utf-8")
    (corpus / "dump.jsonl").write_text("".join(json.dumps({"id": f"r{n}", "text": article(n)}) + "\n" for n in range(3)), encoding="utf-8")
    out = tmp_path / "out"
    code, output = batch(corpus, "--out", out, "--glob", "*.txt", "--glob", "*.jsonl", "--jobs", "1")
    assert code == 0, output
    return corpus, out


def test_resume_refuses_an_input_changed_since(tmp_path: Path) -> None:
    corpus, out = _finished_run(tmp_path)
    before = (out / "manifest.jsonl").read_bytes()
    (corpus / "b.txt").write_text(article(ord("b")).replace("Article", "Articlf"), encoding="utf-8")  # same size
    code, output = batch(corpus, "--out", out, "--glob", "*.txt", "--glob", "*.jsonl", "--jobs", "1", "--resume")
    assert code == 2 and "b.txt changed since" in output, output
    assert (out / "manifest.jsonl").read_bytes() == before


def test_resume_refuses_a_record_changed_in_a_dump(tmp_path: Path) -> None:
    corpus, out = _finished_run(tmp_path)
    lines = (corpus / "dump.jsonl").read_text(encoding="utf-8").splitlines()
    lines[1] = json.dumps({"id": "r1", "text": article(99)})
    (corpus / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = batch(corpus, "--out", out, "--glob", "*.txt", "--glob", "*.jsonl", "--jobs", "1", "--resume")
    assert code == 2 and "dump.jsonl:2 changed since" in output, output


@pytest.mark.parametrize("removed", ["b.txt", "dump.jsonl"])
def test_resume_refuses_an_input_removed_since(tmp_path: Path, removed: str) -> None:
    corpus, out = _finished_run(tmp_path)
    (corpus / removed).unlink()
    code, output = batch(corpus, "--out", out, "--glob", "*.txt", "--glob", "*.jsonl", "--jobs", "1", "--resume")
    assert code == 2 and "cannot resume" in output, output


# --- --max-errors ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_max_errors_stops_the_run_after_that_many_failures(tmp_path: Path) -> None:
    # A small gzip of broken lines could write a manifest of tens of GB.
    dump = tmp_path / "bad.jsonl.gz"
    dump.write_bytes(gzip.compress(b"{not json\n" * 100_000 + json.dumps({"id": "good", "text": SHORT}).encode() + b"\n"))
    out = tmp_path / "out"
    code, output = batch(dump, "--out", out, "--max-errors", "3", "--jobs", "1")
    assert code == 1, output
    assert "stopped after 3 failed records (--max-errors 3)" in " ".join(output.split())
    assert [line["status"] for line in manifest(out)] == ["error"] * 3
    # Raised, the limit lets --resume finish; the run's failures are still counted.
    code, output = batch(dump, "--out", out, "--max-errors", "0", "--jobs", "1", "--resume")
    assert code == 1, output
    lines = manifest(out)
    assert len(lines) == 100_001 and lines[-1]["status"] == "ok"
    assert [record["id"] for record in map(json.loads, gzip.decompress((out / "bad.jsonl.gz").read_bytes()).splitlines())] == ["good"]


def test_max_errors_has_a_default(tmp_path: Path) -> None:
    from cleaner.batch.job import DEFAULT_MAX_ERRORS

    assert 1000 <= DEFAULT_MAX_ERRORS <= 100_000
    assert f"{DEFAULT_MAX_ERRORS:,}" in " ".join(CliRunner().invoke(app, ["batch", "--help"]).output.split())
    dump = tmp_path / "bad.jsonl"
    dump.write_bytes(b"{not json\n" * (DEFAULT_MAX_ERRORS + 50))
    code, output = batch(dump, "--out", tmp_path / "out", "--jobs", "1")
    assert code == 1 and len(manifest(tmp_path / "out")) == DEFAULT_MAX_ERRORS


def test_a_huge_record_id_does_not_bloat_the_manifest(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"id": "x" * 1_000_000}) + "\n", encoding="utf-8")  # and no text: fails
    out = tmp_path / "out"
    assert batch(dump, "--out", out, "--jobs", "1")[0] == 1
    assert (out / "manifest.jsonl").stat().st_size < 2000


# --- --jobs, --fsync ------------------------------------------------------------------------------


def test_jobs_far_above_the_cpu_count_are_capped_with_a_warning(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("cleaner.cli_batch.cpu_count", lambda: 1)
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(article(1), encoding="utf-8")
    started = []
    monkeypatch.setattr("cleaner.batch.ProcessEngine.__init__", lambda self, jobs: started.append(jobs) or None)
    code, output = batch(tmp_path / "corpus", "--out", tmp_path / "out", "--jobs", "64")
    assert code == 0, output
    assert "--jobs 64 is more than the 1 CPU available; running 1 worker" in " ".join(output.split())
    assert started == []  # one worker: inline, no process pool of 64


def test_fsync_is_opt_in(tmp_path: Path, monkeypatch) -> None:
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda handle: synced.append(handle) or real(handle))
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(article(1), encoding="utf-8")
    (tmp_path / "dump.jsonl").write_text(json.dumps({"id": "a", "text": SHORT}) + "\n", encoding="utf-8")
    code, output = batch(tmp_path / "corpus", tmp_path / "dump.jsonl", "--out", tmp_path / "plain", "--jobs", "1")
    assert code == 0 and synced == [], output
    code, output = batch(tmp_path / "corpus", tmp_path / "dump.jsonl", "--out", tmp_path / "synced", "--jobs", "1", "--fsync")
    # The output file, its directory, the dump's output, the manifest (after each chunk)…
    assert code == 0 and len(synced) >= 4, output
    assert outputs(tmp_path / "plain") == outputs(tmp_path / "synced")


# --- JSONL text -------------------------------------------------------------------------------------


def test_a_lone_surrogate_in_a_jsonl_record_is_one_replacement_character(tmp_path: Path) -> None:
    text = "Le café \ud800 est fermé, said the army on Monday in a long sentence.\n\nIt’s the second paragraph.\n"
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"id": "s", "text": text}) + "\n", encoding="utf-8")  # "\ud800" escaped, as scrapers write it
    out = tmp_path / "out"
    code, output = batch(dump, "--out", out, "--to", "txt", "--with-model", "--jobs", "1")
    assert code == 0, output
    [record] = [json.loads(line) for line in (out / "dump.jsonl").read_text(encoding="utf-8").splitlines()]
    assert record["text"] + "\n" == cleaner.render(cleaner.clean(text.replace("\ud800", "\ufffd")), "txt")
    assert record["article"]["source"]["replaced"] == 1 and record["article"]["source"]["encoding"] == "utf-8"


# --- rule packs ---------------------------------------------------------------------------------------


def test_batch_accepts_a_shipped_rule_pack_by_name(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "wire.txt").write_text("Officials said the talks would resume next month in Geneva.\n\n© 2019 Associated Press. All rights reserved.\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = batch(tmp_path / "corpus", "--out", out, "--to", "txt", "--body-only", "--rules", "strict", "--jobs", "1")
    assert code == 0, output
    assert "Associated Press" not in (out / "wire.txt").read_text(encoding="utf-8")
