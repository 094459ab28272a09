"""The command line as a user drives it, through typer's runner."""

from __future__ import annotations

import json

import pytest
from conftest import SEED
from typer.testing import CliRunner

from cleaner.cli import app

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, [str(arg) for arg in args], input=input)


@pytest.mark.parametrize(("fmt", "marker"), [("md", "## Gallery: Mosul offensive"), ("html", "<figure"), ("txt", "In pictures: Mosul offensive (22 photos)"), ("json", '"declared_count": 22')])
def test_convert_each_format_to_stdout(fmt, marker):
    result = run("convert", SEED, "--to", fmt)
    assert result.exit_code == 0, result.output
    assert marker in result.stdout


def test_format_from_output_suffix_and_atomic_file(tmp_path):
    out = tmp_path / "nested" / "article.html"
    result = run("convert", SEED, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert [path.name for path in out.parent.iterdir()] == ["article.html"]  # no temporary left


def test_stdin_body_only_and_title():
    result = run("convert", "-", "--to", "txt", "--body-only", input=SEED.read_bytes())
    assert result.exit_code == 0
    assert "In pictures" not in result.stdout and "Maya Mailer" not in result.stdout
    assert result.stdout.count("\n\n") == 11  # 12 paragraphs
    titled = run("convert", SEED, "--title", "Isis is like a mushroom", "--to", "md")
    assert titled.stdout.startswith("# Isis is like a mushroom\n")


def test_a_title_is_one_line_of_text():
    from safety import markdown_shape

    hostile = "T\n\n    x\n1. y\n===\x1b[31m\x07\u2028z"
    markdown = run("convert", SEED, "--title", hostile, "--to", "md").stdout
    assert markdown.startswith("# T x 1. y ===\\[31m z\n\n")
    titled_shape = markdown_shape(markdown)
    assert titled_shape[:3] == ["heading_open", "inline", "heading_close"]
    assert titled_shape[3:] == markdown_shape(run("convert", SEED, "--to", "md").stdout)  # no code block, list or setext heading
    text = run("convert", SEED, "--title", hostile, "--to", "txt").stdout
    assert text.startswith("T x 1. y ===[31m z\n\n") and "\x1b" not in text and "\x07" not in text
    assert json.loads(run("convert", SEED, "--title", hostile, "--to", "json").stdout)["title"] == "T x 1. y ===[31m z"


def test_fragment_and_user_templates(tmp_path):
    fragment = run("convert", SEED, "--to", "html", "--fragment")
    assert fragment.stdout.lstrip().startswith("<article")
    (tmp_path / "page.html.j2").write_text("<main>{{ article.author.name }}|{% include 'article.html.j2' %}</main>")
    custom = run("convert", SEED, "--to", "html", "--template-dir", tmp_path)
    assert custom.exit_code == 0, custom.output
    assert custom.stdout.startswith("<main>Maya Mailer|<article")


def test_disable_a_rule():
    result = run("convert", SEED, "--to", "json", "--disable", "author_bio")
    assert json.loads(result.stdout)["author"] is None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["convert", "no-such-file.txt"], 3, "no such file"),
        (["convert", "."], 3, "is a directory"),
        (["convert", SEED, "--to", "pdf"], 2, "unknown format"),
        (["convert", SEED, "-o", "out.pdf"], 2, "cannot tell the format"),
        (["convert", SEED, "--disable", "nope"], 2, "unknown rule"),
        (["convert", SEED, "--max-bytes", "100"], 5, "larger than the limit"),
        (["convert", SEED, "--to", "json", "--body-only"], 2, "--body-only"),
    ],
)
def test_user_errors_are_one_line_with_an_exit_code(args, code, message):
    result = run(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_binary_input_exit_code(tmp_path):
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    result = run("convert", binary)
    assert result.exit_code == 4 and "binary" in result.stderr


def test_output_never_overwrites_the_input(tmp_path):
    source = tmp_path / "a.txt"
    source.write_bytes(SEED.read_bytes())
    result = run("convert", source, "-o", source)
    assert result.exit_code == 6
    assert source.read_bytes() == SEED.read_bytes()


def test_inspect_shows_every_decision():
    result = run("inspect", SEED)
    assert result.exit_code == 0
    for needle in ("gallery_header", "media_label", "author_bio", "run of 41 blank lines", "121 lines"):
        assert needle in result.stdout


def test_rules_lists_the_chain_in_order():
    result = run("rules")
    names = [line.split()[0] for line in result.stdout.splitlines()[1:] if line.startswith("  ") and not line.strip().startswith(("news", "independent"))]
    from cleaner import RULES

    assert [rule.name for rule in RULES] == names[: len(RULES)]


def test_schema_is_json_schema_of_the_output():
    schema = json.loads(run("schema").stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"title", "body", "galleries", "media", "author", "removed"} <= set(schema["properties"])


def test_help_teaches():
    result = run("convert", "--help")
    assert "--body-only" in result.stdout and "Examples" in result.stdout


def test_strict_pack_removes_copyright_notices(tmp_path):
    source = tmp_path / "wire.txt"
    source.write_text("Officials said the talks would resume next month in Geneva.\n\n© 2019 Associated Press. All rights reserved.\n")
    default = run("convert", source, "--to", "txt", "--body-only")
    strict = run("convert", source, "--to", "txt", "--body-only", "--rules", "strict")
    assert "Associated Press" in default.stdout
    assert strict.exit_code == 0 and "Associated Press" not in strict.stdout


def test_user_rule_pack(tmp_path):
    pack = tmp_path / "site.toml"
    pack.write_text('[pack]\nname = "site"\ndescription = "my site"\n\n[[pattern]]\nkind = "prompt"\nregex = \'\'\'Buy the print edition\\b.*\'\'\'\nreason = "print-edition prompt"\n')
    source = tmp_path / "a.txt"
    source.write_text("Officials said the talks would resume next month in Geneva.\n\nBuy the print edition today\n")
    result = run("convert", source, "--to", "txt", "--body-only", "--rules", pack)
    assert result.exit_code == 0, result.output
    assert "print edition" not in result.stdout
    listed = run("rules", "--rules", pack)
    assert "site: my site (1 line patterns)" in listed.stdout
    broken = tmp_path / "broken.toml"
    broken.write_text('[[pattern]]\nkind = "nonsense"\nregex = "x"\n')
    failed = run("convert", source, "--rules", broken)
    assert failed.exit_code == 2 and "unknown kind" in failed.stderr


def test_inspect_shows_every_line_of_a_code_block_and_a_table_in_the_text_column():
    """Rows are written as they are made (no table buffered): a block of several lines
    keeps each line, under the text column, and every row has the same width."""
    from conftest import ROOT

    result = run("inspect", ROOT / "tests" / "fixtures" / "readers" / "article.md")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    text_column = lines[0].index("text / reason")
    code = next(number for number, line in enumerate(lines) if 'print("kept exactly")' in line)
    assert lines[code].index('print("kept exactly")') == text_column
    assert lines[code + 1].index("indented") == text_column + 4  # its indentation kept
    assert any(line[text_column:].startswith("A1\topen".expandtabs(8)) for line in lines)
    table = lines[: next(number for number, line in enumerate(lines) if line.startswith(tuple("0123456789")) and " lines (" in line)]
    assert len({len(line) for line in table}) == 1  # a table: every row as wide as the header
