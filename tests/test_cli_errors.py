"""Every error a user can cause, through the real entry point (``cleaner.cli.main``): one
line on stderr, ``cleaner: error: …``, the exit code of the README's table, no traceback.

Most cases run ``main()`` in-process (fast); a broken pipe and Ctrl-C also run as real
processes, since they are about what the operating system does to one.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEED

import cleaner.cli
from cleaner.cli import main

ENTRY = "import sys; from cleaner.cli import main; sys.argv[0] = 'cleaner'; main()"


def run_main(monkeypatch, capsys, *args) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["cleaner", *map(str, args)])
    with pytest.raises(SystemExit) as exited:
        main()
    captured = capsys.readouterr()
    return exited.value.code, captured.out, captured.err


def assert_one_line(code: int, err: str, expected_code: int, message: str) -> None:
    assert code == expected_code, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("cleaner: "), err
    assert message in lines[0], err


@pytest.fixture
def files(tmp_path):
    article = tmp_path / "a.txt"
    article.write_bytes(SEED.read_bytes())
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 16)
    (tmp_path / "bad.toml").write_text("x = [")
    (tmp_path / "kind.toml").write_text('[[pattern]]\nkind = "nope"\nregex = "x"\n')
    (tmp_path / "regex.toml").write_text('[[pattern]]\nkind = "prompt"\nregex = "(x"\n')
    (tmp_path / "latin1.toml").write_bytes('[pack]\nname = "caf\u00e9"\n'.encode("latin-1"))
    for name, page in {
        "syntax": "{% if %}",
        "undefined": "{{ nope }}",
        "attribute": "{{ article.nope }}",
        "expression": "{{ article.title.upper() }}",  # the seed has no title: None.upper()
        "include": '{% include "missing.j2" %}',
        "recursive": '<p>{% include "page.html.j2" %}</p>',
        "cycle": '{% include "article.html.j2" %}',
        "escape": "{{ cycler.__init__.__globals__.os.getpid() }}",
        "escape-and-touch": "{{ cycler.__init__.__globals__.os.popen('touch ' ~ article.title).read() }}",
    }.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "page.html.j2").write_text(page)
    (tmp_path / "cycle" / "article.html.j2").write_text('{% include "page.html.j2" %}')
    (tmp_path / "binary-template").mkdir()
    (tmp_path / "binary-template" / "page.html.j2").write_bytes(b"\xff\xfe\x00bad")
    (tmp_path / "file-in-the-way").write_text("x")
    return tmp_path


CASES = [
    # (arguments, exit code, part of the message); {d} is the fixture directory
    (["convert", "{d}/missing.txt"], 3, "no such file"),
    (["convert", "{d}"], 3, "is a directory"),
    (["convert", "{d}/a.txt/inside.txt"], 3, "no such file"),
    (["inspect", "{d}/missing.txt"], 3, "no such file"),
    (["convert", "{d}/binary.bin"], 4, "binary"),
    (["inspect", "{d}/binary.bin"], 4, "binary"),
    (["convert", "{d}/a.txt", "--max-bytes", "100"], 5, "larger than the limit"),
    (["convert", "{d}/a.txt", "--max-bytes", "0"], 2, "--max-bytes"),
    (["convert", "{d}/a.txt", "--max-bytes", "lots"], 2, "--max-bytes"),
    (["convert", "{d}/a.txt", "--rules", "{d}/bad.toml"], 2, "not valid TOML"),
    (["convert", "{d}/a.txt", "--rules", "{d}/kind.toml"], 2, "unknown kind"),
    (["convert", "{d}/a.txt", "--rules", "{d}/regex.toml"], 2, "bad regex"),
    (["convert", "{d}/a.txt", "--rules", "{d}/latin1.toml"], 2, "not UTF-8"),
    (["convert", "{d}/a.txt", "--rules", "{d}/missing.toml"], 2, "cannot read rule pack"),
    (["convert", "{d}/a.txt", "--rules", "{d}"], 2, "cannot read rule pack"),
    (["rules", "--rules", "{d}/bad.toml"], 2, "not valid TOML"),
    (["convert", "{d}/a.txt", "--disable", "nope"], 2, "unknown rule"),
    (["convert", "{d}/a.txt", "--to", "pdf"], 2, "unknown format"),
    (["convert", "{d}/a.txt", "--to"], 2, "requires an argument"),
    (["convert", "{d}/a.txt", "-o", "{d}/out.pdf"], 2, "cannot tell the format"),
    (["convert", "{d}/a.txt", "-o", "{d}/a.txt"], 6, "over the input"),
    (["convert", "{d}/a.txt", "-o", "{d}/file-in-the-way/out.md"], 6, "cannot write"),
    (["convert", "{d}/a.txt", "--to", "md", "-o", "{d}/syntax"], 6, "is a directory"),
    (["convert", "{d}/a.txt", "--to", "html", "--template-dir", "{d}/nowhere"], 2, "does not exist"),
    (["convert", "{d}/a.txt", "--to", "html", "--template-dir", "{d}/a.txt"], 2, "does not exist"),
    (["convert", "{d}/a.txt", "--to", "html", "--template-dir", "{d}/syntax"], 2, "page.html.j2, line 1"),
    (["convert", "{d}/a.txt", "--to", "html", "--template-dir", "{d}/undefined"], 2, "'nope' is undefined"),
    (["convert", "{d}/a.txt", "--to", "html", "--template-dir", "{d}/attribute"], 2, "no attribute 'nope'"),
    (["convert", "{d}/a.txt", "--to", "html", "--template-dir", "{d}/expression"], 2, "page.html.j2, line 1"),
    (["convert", "{d}/a.txt", "--to", "html", "--template-dir", "{d}/include"], 2, "missing.j2 not found"),
    (["convert", "{d}/a.txt", "--to", "html", "--template-dir", "{d}/binary-template"], 2, "not UTF-8"),
    (["convert", "{d}/a.txt", "--to", "html", "--template-dir", "{d}/recursive"], 2, "page.html.j2, line 1: includes itself"),
    (["convert", "{d}/a.txt", "--to", "html", "--template-dir", "{d}/cycle"], 2, "includes itself"),
    (["convert", "{d}/a.txt", "--to", "html", "--template-dir", "{d}/escape"], 2, "unsafe"),
    (["convert", "{d}/a.txt", "--to", "json", "--body-only"], 2, "--body-only"),
    (["convert"], 2, "Missing argument"),
    (["convert", "{d}/a.txt", "--bogus"], 2, "No such option"),
    (["schema", "--bogus"], 2, "No such option"),
    (["nosuchcommand"], 2, "No such command"),
    (["batch", "{d}/missing.txt", "--out", "{d}/out"], 3, "no such file"),
    (["batch", "{d}/a.txt", "--out", "{d}/out", "--to", "pdf"], 2, "unknown format"),
]


@pytest.mark.parametrize(("args", "code", "message"), CASES, ids=[" ".join(args).replace("{d}/", "") for args, _, _ in CASES])
def test_user_error_is_one_line_with_its_exit_code(args, code, message, files, monkeypatch, capsys):
    result = run_main(monkeypatch, capsys, *[arg.format(d=files) for arg in args])
    assert_one_line(result[0], result[2], code, message)


def test_a_user_template_cannot_run_commands(files, monkeypatch, capsys):
    # Jinja's sandbox: the payload of the issue would run `touch` (here, on a file named after the title).
    target = files / "pwned"
    code, _, err = run_main(monkeypatch, capsys, "convert", files / "a.txt", "--to", "html", "--template-dir", files / "escape-and-touch", "--title", target)
    assert_one_line(code, err, 2, "SecurityError")
    assert not target.exists()


def test_standard_input_is_never_overwritten(files, monkeypatch, capsys):
    # cleaner convert - -o a.txt < a.txt: standard input is the output file.
    article = files / "a.txt"
    with open(article, "rb") as stdin:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
        code, _, err = run_main(monkeypatch, capsys, "convert", "-", "-o", article)
    assert_one_line(code, err, 6, "over the input")
    assert article.read_bytes() == SEED.read_bytes()
    with open(article, "rb") as stdin:  # another output file is fine
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
        code, _, err = run_main(monkeypatch, capsys, "convert", "-", "-o", files / "b.md")
    assert code == 0 and (files / "b.md").is_file(), err


def test_bad_bytes_are_replaced_with_a_warning(files, monkeypatch, capsys):
    damaged = files / "damaged.txt"
    damaged.write_bytes(SEED.read_bytes() + b"\nstray \xff byte\n")
    code, out, err = run_main(monkeypatch, capsys, "convert", damaged, "--to", "txt")
    assert code == 0
    assert err == f"cleaner: warning: {damaged}: 1 byte sequence not valid utf-8 replaced with U+FFFD\n"
    assert "It didn’t just come from nowhere." in out and "stray \ufffd byte" in out


def test_unreadable_input(files, monkeypatch, capsys):
    # Permissions do not stop root, so the refusal is simulated where the file is opened.
    opened = Path.open
    refused = files / "a.txt"

    def refuse(self, *args, **kwargs):
        if self == refused:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    code, _, err = run_main(monkeypatch, capsys, "convert", files / "a.txt")
    assert_one_line(code, err, 3, "permission denied")


def test_unwritable_output_directory(files, monkeypatch, capsys):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    code, _, err = run_main(monkeypatch, capsys, "convert", files / "a.txt", "-o", files / "out" / "a.md")
    assert_one_line(code, err, 6, "Permission denied")
    assert not (files / "out" / "a.md").exists()


def test_no_args_shows_help(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys)
    assert code == 2 and "Usage: cleaner" in out + err and "Traceback" not in out + err


def test_standard_input_closed(files, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", None)
    code, _, err = run_main(monkeypatch, capsys, "convert", "-")
    assert_one_line(code, err, 3, "standard input is closed")


class _FailingStdout(io.StringIO):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def write(self, text):
        raise self.error


@pytest.mark.parametrize("command", [["convert", "{d}/a.txt"], ["inspect", "{d}/a.txt"], ["rules"], ["schema"]])
def test_standard_output_full(command, files, monkeypatch, capsys):
    args = [arg.format(d=files) for arg in command]
    monkeypatch.setattr(sys, "argv", ["cleaner", *args])
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", _FailingStdout(OSError(errno.ENOSPC, "No space left on device")))
    with pytest.raises(SystemExit) as exited:
        main()
    assert_one_line(exited.value.code, capsys.readouterr().err, 6, "cannot write to standard output: No space left on device")


@pytest.mark.parametrize("command", [["convert", "{d}/a.txt"], ["inspect", "{d}/a.txt"], ["rules"], ["schema"]])
def test_reader_going_away_is_not_an_error(command, files, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["cleaner", *[arg.format(d=files) for arg in command]])
    monkeypatch.setattr(sys, "stdout", _FailingStdout(BrokenPipeError(errno.EPIPE, "Broken pipe")))
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 0
    assert capsys.readouterr().err == ""


def test_standard_output_closed(files, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["cleaner", "convert", str(files / "a.txt")])
    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(SystemExit) as exited:
        main()
    assert_one_line(exited.value.code, capsys.readouterr().err, 6, "standard output is closed")


def test_interrupted(files, monkeypatch, capsys):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cleaner.pipeline.Cleaner, "clean", interrupt)
    code, _, err = run_main(monkeypatch, capsys, "convert", files / "a.txt")
    assert_one_line(code, err, 130, "interrupted")


def test_a_bug_is_exit_70_with_one_line(files, monkeypatch, capsys):
    def bug(*args, **kwargs):
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(cleaner.pipeline.Cleaner, "clean", bug)
    code, _, err = run_main(monkeypatch, capsys, "convert", files / "a.txt")
    assert_one_line(code, err, 70, "internal error: RuntimeError: something unexpected (please report this)")


def test_output_device_is_written_not_replaced(files, monkeypatch, capsys):
    # As root, a rename over /dev/null would replace the device with a regular file.
    code, out, err = run_main(monkeypatch, capsys, "convert", files / "a.txt", "--to", "md", "-o", os.devnull)
    assert code == 0 and err == ""
    assert Path(os.devnull).is_char_device()


# -- real processes ------------------------------------------------------------------------


@pytest.mark.slow
def test_broken_pipe_in_a_real_pipeline(files):
    big = files / "big.txt"
    big.write_text("The army said on Monday that the offensive would continue for weeks.\n\n" * 20_000)
    process = subprocess.Popen([sys.executable, "-c", ENTRY, "convert", str(big), "--to", "html"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.read(100)
    process.stdout.close()  # like `| head -c 100`
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, err
    assert err == ""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGINT") or sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_in_a_real_process():
    process = subprocess.Popen([sys.executable, "-c", ENTRY, "convert", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_until_blocked(process.pid)  # started, and waiting on standard input
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.decode().strip() == "cleaner: interrupted"


def _wait_until_blocked(pid: int, limit: float = 60.0) -> None:
    """Until the process has slept for a second on end (blocked on its standard input,
    its imports done), or ``limit`` seconds: on a busy machine a fixed pause sent the
    signal while the command line was still being imported. Without /proc, a pause."""
    stat = Path(f"/proc/{pid}/stat")
    time.sleep(1.5)
    if not stat.exists():
        return
    deadline, asleep = time.monotonic() + limit, 0
    while time.monotonic() < deadline and asleep < 5:
        state = stat.read_text().rsplit(")", 1)[1].split()[0]
        asleep = asleep + 1 if state == "S" else 0
        time.sleep(0.2)
