"""The command line. It parses arguments, calls the same public functions a library user
calls, and writes results; user errors become one line on stderr and an exit code."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .decode import DEFAULT_MAX_BYTES
from .errors import CleanerError, UsageError
from .io import read_input, write_atomic
from .normalise import Options, clean_with, scan
from .render import SUFFIXES, Format, parse_format, render
from .rules import RULES, RULE_NAMES, Role

app = typer.Typer(
    name="cleaner",
    help=(
        "Turn scraped news articles into clean, structured documents.\n\n"
        "cleaner removes the debris scrapers leave in article text (runs of blank lines, photo-gallery "
        "widgets, video labels, author bios…), keeps a log of everything it removed and why, and writes "
        "the article as Markdown, HTML, plain text or JSON.\n\n"
        "Examples:\n\n"
        "  cleaner convert article.txt                 # Markdown on stdout\n\n"
        "  cleaner convert article.txt -o article.html # format from the suffix\n\n"
        "  cat article.txt | cleaner convert - --to txt --body-only\n\n"
        "  cleaner inspect article.txt                 # why each line was kept or removed"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

InputArg = Annotated[str, typer.Argument(metavar="INPUT", help="Article text file, or '-' for standard input.", show_default=False)]
DisableOpt = Annotated[list[str], typer.Option("--disable", metavar="RULE", help=f"Skip a rule by name (repeatable). Rules: {', '.join(RULE_NAMES)}.")]
RulesOpt = Annotated[list[Path], typer.Option("--rules", metavar="FILE", help="Add a rule-pack TOML file to the built-in packs (repeatable).")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", metavar="N", help="Refuse inputs larger than N bytes.", min=1)]
MojibakeOpt = Annotated[bool, typer.Option("--fix-mojibake", help="Repair mis-decoded text such as 'â€™' (with ftfy) before cleaning.")]


def reports_errors(command):
    """Turn a user error raised inside a command into one line on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except CleanerError as error:
            typer.echo(f"cleaner: error: {error}", err=True)
            raise typer.Exit(error.exit_code) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """cleaner: scraped news text in, clean articles out."""


@app.command()
@reports_errors
def convert(
    input: InputArg,
    to: Annotated[Optional[str], typer.Option("--to", "-t", metavar="FORMAT", help="md, html, txt or json. Default: from -o's suffix, else md.", show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="OUT", help="Write here (atomically) instead of stdout.", show_default=False)] = None,
    body_only: Annotated[bool, typer.Option("--body-only", help="Only the body's paragraphs: no title, gallery or bio (for text corpora).")] = False,
    title: Annotated[Optional[str], typer.Option("--title", metavar="T", help="Set the article's title (the source often has none).", show_default=False)] = None,
    fragment: Annotated[bool, typer.Option("--fragment", help="HTML: an <article> fragment instead of a standalone page.")] = False,
    template_dir: Annotated[Optional[Path], typer.Option("--template-dir", metavar="DIR", help="HTML: use your own Jinja2 templates (article.html.j2, page.html.j2).", show_default=False)] = None,
    disable: DisableOpt = [],
    rules: RulesOpt = [],
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fix_mojibake: MojibakeOpt = False,
) -> None:
    """Clean one article and write it as Markdown, HTML, plain text or JSON.

    The format comes from --to, else from the suffix of -o (.md, .html, .txt, .json), else Markdown.
    Examples: 'cleaner convert a.txt -o a.html', 'cleaner convert - --to json < a.txt'.
    """
    fmt = _pick_format(to, output)
    options = _options(title, disable, rules, max_bytes, fix_mojibake)
    data = read_input(input, max_bytes)
    article = clean_with(data, options)
    result = render(article, fmt, body_only=body_only, standalone=not fragment, template_dir=template_dir)
    if output is None:
        sys.stdout.write(result)
        sys.stdout.flush()
    else:
        write_atomic(output, result, protect=None if input == "-" else Path(input))


@app.command()
@reports_errors
def inspect(
    input: InputArg,
    removed_only: Annotated[bool, typer.Option("--removed-only", help="Show only the lines that were not kept as body text.")] = False,
    disable: DisableOpt = [],
    rules: RulesOpt = [],
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fix_mojibake: MojibakeOpt = False,
) -> None:
    """Show every input line with the decision taken on it and the rule that took it.

    Green lines are body text, yellow ones went to the gallery, media or author bio, red
    ones were removed (with the reason). Runs of blank lines are shown as one row.
    """
    from .inspect import show_decisions

    options = _options(None, disable, rules, max_bytes, fix_mojibake)
    document, source = scan(read_input(input, max_bytes), options)
    show_decisions(document, source, removed_only=removed_only)


@app.command("rules")
@reports_errors
def list_rules(rules: RulesOpt = []) -> None:
    """List the rules in the order they run, and the rule packs in use."""
    from .normalise import Options as _Options

    pack = _Options(rule_files=tuple(rules)).pack()
    width = max(len(name) for name in RULE_NAMES)
    typer.echo("Rules, in the order they run (disable one with --disable NAME):")
    for rule in RULES:
        typer.echo(f"  {rule.name:<{width}}  {rule.summary}")
    typer.echo("\nRule packs (add one with --rules FILE):")
    for name, description in zip(pack.names, pack.descriptions):
        count = sum(1 for pattern in pack.patterns if pattern.pack == name)
        typer.echo(f"  {name}: {description}" + (f" ({count} line patterns)" if count else ""))


@app.command()
@reports_errors
def schema() -> None:
    """Print the JSON Schema of the article model (the output of --to json)."""
    from .render.json import json_schema

    sys.stdout.write(json_schema())


def _pick_format(to: str | None, output: Path | None) -> Format:
    if to is not None:
        return parse_format(to)
    if output is not None:
        fmt = SUFFIXES.get(output.suffix.lower())
        if fmt is None:
            raise UsageError(f"cannot tell the format from {output.name!r}; add --to md|html|txt|json")
        return fmt
    return Format.MD


def _options(title, disable, rules, max_bytes, fix_mojibake) -> Options:
    unknown = set(disable) - set(RULE_NAMES)
    if unknown:
        raise UsageError(f"unknown rule(s) {', '.join(sorted(unknown))}; see 'cleaner rules'")
    options = Options(title, frozenset(disable), tuple(rules), max_bytes, fix_mojibake)
    options.pack()  # load --rules files now, so a broken pack is reported before any work
    return options


def main() -> None:
    """Entry point: user errors become one line on stderr and their exit code."""
    try:
        status = app(standalone_mode=False)
    except KeyboardInterrupt:
        typer.echo("cleaner: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (cleaner … | head): not an error worth a message.
        sys.stderr.close()
        sys.exit(0)
    except Exception as error:  # click's usage errors and anything unexpected
        import click

        if isinstance(error, click.exceptions.ClickException):
            error.show()
            sys.exit(error.exit_code)
        if isinstance(error, click.exceptions.Abort):
            typer.echo("cleaner: aborted", err=True)
            sys.exit(130)
        typer.echo(f"cleaner: internal error: {type(error).__name__}: {error} (please report this)", err=True)
        sys.exit(70)
    sys.exit(status if isinstance(status, int) else 0)
from . import cli_batch  # noqa: E402,F401  (registers 'cleaner batch')
