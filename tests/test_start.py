"""A command that starts at once: what each path imports (no timing asserts: a busy
machine is not a bug; docs/performance.md has the times). pydantic takes a quarter of a
second to import, typer and rich a tenth together: ``--version`` needs none of them,
converting text neither pydantic, rich nor the other readers' parsers."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from conftest import SEED

HEAVY = ("pydantic", "rich", "jinja2", "typer", "markdown_it", "lxml", "trafilatura", "charset_normalizer")
# Runs the command line in a fresh interpreter and prints, on the way out, which of the
# heavy libraries it imported.
ENTRY = (
    "import atexit, sys\n"
    f"atexit.register(lambda: sys.stderr.write('imported: ' + repr(sorted(name for name in {HEAVY!r} if name in sys.modules)) + '\\n'))\n"
    "sys.argv = ['cleaner', *sys.argv[1:]]\n"
    "from cleaner.__main__ import main\n"
    "main()\n"
)


def imported(*args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", ENTRY, *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith("imported: "))
    return ast.literal_eval(line.removeprefix("imported: "))


def test_version_imports_nothing_heavy():
    assert imported("--version") == []


@pytest.mark.parametrize("fmt", ["md", "txt", "json"])
def test_converting_text_imports_only_the_command_line(fmt):
    assert imported("convert", str(SEED), "--to", fmt) == ["typer"]


def test_the_library_cleans_and_renders_without_the_command_line():
    code = (
        "import sys, cleaner\n"
        "article = cleaner.clean(open(sys.argv[1], 'rb').read())\n"
        "for fmt in ('md', 'txt', 'json'): cleaner.render(article, fmt)\n"
        f"print(sorted(name for name in {HEAVY!r} if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_version_is_the_packages():
    import cleaner

    result = subprocess.run([sys.executable, "-m", "cleaner", "--version"], capture_output=True, text=True, check=True)
    assert result.stdout == f"cleaner {cleaner.__version__}\n"
