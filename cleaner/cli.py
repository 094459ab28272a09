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
from .errors import CleanerError, OutputError, UsageError
from .inputs import read_source
from .io import STANDARD_INPUT, same_file, write_atomic, write_stdout
from .pipeline import Cleaner
from .readers import READERS
from .render import RENDERERS, SUFFIXES, Format, RenderOptions, format_help, format_names, parse_format, render_with
from .rules import RULES, RULE_NAMES
from .rules.packs import OPTIONAL_PACKS

app = typer.Typer(
    name="cleaner",
    help=(
        "Turn scraped news articles into clean, structured documents.\n\n"
        "cleaner removes the debris scrapers leave in article text (runs of blank lines, photo-gallery "
        "widgets, video labels, author bios…), keeps a log of everything it removed and why, and writes "
        f"the article out again ({', '.join(RENDERERS)}).\n\n"
        "Examples:\n\n"
        "  cleaner convert article.txt                 # Markdown on stdout\n\n"
        "  cleaner convert article.txt -o article.html # format from the suffix\n\n"
        "  cleaner convert page.html --to json         # a saved page: article, figures, metadata\n\n"
        "  cleaner convert *.html.gz -o cleaned/       # several inputs into a directory\n\n"
        "  cleaner convert article.txt -o article.epub # an e-book\n\n"
        "  cat article.txt | cleaner convert - --to txt --body-only\n\n"
        "  cleaner inspect article.txt                 # why each line was removed\n\n"
        "  cleaner learn corpus/ -o sites.json         # the lines each site repeats on every page\n\n"
        "  cleaner batch corpus/ -o out/ --memory sites.json  # ...removed from its articles\n\n"
        "  cleaner templates --dump my-templates/      # start your own HTML and EPUB templates"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

InputArg = Annotated[str, typer.Argument(metavar="INPUT", help="Article file (text, Markdown or a saved HTML page, gzip too), or '-' for standard input.", show_default=False)]
InputsArg = Annotated[list[str], typer.Argument(metavar="INPUT", help="Article files (text, Markdown or saved HTML pages, gzip too), or '-' for standard input.", show_default=False)]


def _from_help() -> str:
    formats = "; ".join(f"{reader.name}: {reader.summary} ({', '.join(reader.suffixes)})" for reader in READERS.values())
    return (
        f"Input format: {formats}. Default: from the file's suffix (a .gz after it is looked through), "
        "else sniffed (a document starting '<!doctype html' or '<html' is html), else text."
    )


FromOpt = Annotated[Optional[str], typer.Option("--from", "-f", metavar="FORMAT", help=_from_help(), show_default=False)]
DisableOpt = Annotated[list[str], typer.Option("--disable", metavar="RULE", help=f"Skip a rule by name (repeatable). Rules: {', '.join(RULE_NAMES)}.")]
RulesOpt = Annotated[list[str], typer.Option("--rules", metavar="PACK", help=f"Add a rule pack: a TOML file, or a shipped pack's name ({', '.join(OPTIONAL_PACKS)}) (repeatable).")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", metavar="N", help="Refuse inputs larger than N bytes.", min=1)]
MojibakeOpt = Annotated[bool, typer.Option("--fix-mojibake", help="Repair mis-decoded text such as 'â€™' (with ftfy) before cleaning.")]
MemoryOpt = Annotated[Optional[Path], typer.Option("--memory", metavar="FILE", help="A site memory written by 'cleaner learn': remove the lines that stand in many documents of the article's site (rule site_template).", show_default=False)]
TemplateDirOpt = Annotated[
    Optional[Path],
    typer.Option("--template-dir", metavar="DIR", help="HTML, EPUB: your own Jinja2 templates, in front of the built-in ones (start from 'cleaner templates --dump DIR').", show_default=False),
]
CssOpt = Annotated[Optional[Path], typer.Option("--css", metavar="FILE", help="HTML, EPUB: add this stylesheet after the built-in one (no templates needed).", show_default=False)]


def reports_errors(command):
    """Turn a user error raised inside a command into one line on stderr and its exit code.

    Broken pipes and Ctrl-C are handled here too, before click sees them: click would exit
    with status 1 on a broken pipe and print a blank line before an interruption."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except CleanerError as error:
            _report(f"cleaner: error: {error}")
            raise typer.Exit(error.exit_code) from None
        except BrokenPipeError:
            _silence_stdout()  # the reader went away (cleaner … | head): not an error
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            _report("cleaner: interrupted")
            raise typer.Exit(130) from None
        except OSError as error:
            # Input and output files report their own errors (with their path); an error
            # without a path is standard output failing (a full disk) under echo or rich.
            if error.filename is not None:
                raise
            _report(f"cleaner: error: cannot write to standard output: {error.strerror or error}")
            _silence_stdout()
            raise typer.Exit(OutputError.exit_code) from None

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
    inputs: InputsArg,
    to: Annotated[Optional[str], typer.Option("--to", "-t", metavar="FORMAT", help=f"{format_help()}. Default: from -o's suffix, else md.", show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="OUT", help="Write here (atomically) instead of stdout. With several inputs, or a name ending in '/', OUT is a directory: one file per input, named after it.", show_default=False)] = None,
    from_: FromOpt = None,
    body_only: Annotated[bool, typer.Option("--body-only", help="Only the body's paragraphs: no title, gallery, figures or bio (for text corpora).")] = False,
    title: Annotated[Optional[str], typer.Option("--title", metavar="T", help="Set the article's title (the source often has none).", show_default=False)] = None,
    fragment: Annotated[bool, typer.Option("--fragment", help="HTML: an <article> fragment instead of a standalone page.")] = False,
    template_dir: TemplateDirOpt = None,
    css: CssOpt = None,
    front_matter: Annotated[bool, typer.Option("--front-matter", help="Markdown: start with YAML front matter (title, author, date, lang, source_url…) for Hugo, Jekyll, Astro.")] = False,
    disable: DisableOpt = [],
    rules: RulesOpt = [],
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fix_mojibake: MojibakeOpt = False,
    memory: MemoryOpt = None,
) -> None:
    """Clean articles and write them out: Markdown, HTML, plain text, JSON or EPUB.

    The input format comes from --from, else the file's suffix (.txt, .md, .html; .gz looked
    through), else sniffing. The output format comes from --to, else from the suffix of -o
    (.md, .html, .txt, .json, .epub), else Markdown. cleaner never fetches: give it saved files.
    Examples: 'cleaner convert a.txt -o a.html', 'cleaner convert page.html -o page.epub',
    'cleaner convert *.html -o cleaned/ --to md --front-matter', 'cleaner convert - --from md < a.md'.
    """
    # One input and -o naming a directory stays an error (the file would be written over
    # it); -o DIR/ (a trailing slash) or several inputs say a directory is meant.
    directory = output is not None and (len(inputs) > 1 or str(output).endswith(("/", "\\")))
    if len(inputs) > 1 and output is None:
        raise UsageError("several inputs need -o DIR (one output file per input)")
    if inputs.count("-") > 1:
        raise UsageError("'-' (standard input) can be given once")
    fmt = _pick_format(to, None if directory else output)
    options = render_options(fmt, body_only=body_only, standalone=not fragment, template_dir=template_dir, css=css, front_matter=front_matter)
    configured = make_cleaner(disable, rules, max_bytes, fix_mojibake, from_, memory)
    targets = [(name, output / _output_name(name, fmt) if directory else output) for name in inputs]
    if directory and len({target for _, target in targets}) < len(targets):
        raise UsageError("two inputs would write the same output file in -o DIR; give them different names")
    files = [Path(name) for name in inputs if name != "-"]
    for name, target in targets:
        if target is not None and (clash := next((given for given in files if same_file(target, given)), None)) is not None:
            raise OutputError(f"refusing to write the output {target} over the input {clash}")
    for name, target in targets:
        data = read_source(name, max_bytes)
        article = configured.clean(data, title=title, path=None if name == "-" else name)
        _warn_replaced(name, article.source)
        result = render_with(article, fmt, options)
        if target is None:
            _write_result(result)
        else:
            write_atomic(target, result, protect=STANDARD_INPUT if name == "-" else Path(name))


def render_options(fmt: Format | None, *, body_only=False, standalone=True, template_dir=None, css=None, front_matter=False) -> RenderOptions:
    """The render options of a command, every one checked before any input is read."""
    if fmt is not None and body_only and not RENDERERS[fmt].body_only:
        raise UsageError(f"--body-only does not apply to {fmt.value}: it is always the whole article")
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"template directory {template_dir} does not exist")
    return RenderOptions(body_only, standalone, template_dir, read_stylesheet(css), front_matter)


def read_stylesheet(css: Path | None) -> str | None:
    """The text of --css FILE (a usage error when it cannot be read or is not UTF-8)."""
    if css is None:
        return None
    from .render.context import check_stylesheet

    try:
        return check_stylesheet(css.read_text(encoding="utf-8"), f"--css {css}")
    except FileNotFoundError:
        raise UsageError(f"--css {css}: no such file") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"--css {css} is not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise UsageError(f"--css {css}: cannot read: {error.strerror or error}") from None


def _write_result(result: str | bytes) -> None:
    """Text to standard output as text; a binary format (EPUB) as bytes, never to a terminal."""
    if isinstance(result, str):
        write_stdout(result)
        return
    if sys.stdout is None:
        raise OutputError("standard output is closed")
    if sys.stdout.isatty():
        raise UsageError("EPUB is a binary file: write it with -o FILE.epub, or redirect standard output")
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(result)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write to standard output: {error.strerror or error}") from None


@app.command()
@reports_errors
def templates(
    dump: Annotated[Optional[Path], typer.Option("--dump", metavar="DIR", help="Write the built-in templates and stylesheets into DIR (created if needed), to start your own --template-dir.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="With --dump: overwrite files already in DIR.")] = False,
) -> None:
    """List the built-in templates, or write them out to start your own.

    Edit the copies and pass the directory with --template-dir: a template you keep
    overrides the built-in one of the same name; delete the others and the built-in ones
    are used. To change only the look, --css FILE adds a stylesheet without any template.
    Example: 'cleaner templates --dump my-templates/ && cleaner convert a.txt -o a.html --template-dir my-templates/'.
    """
    from .render.templates import dump_templates, template_files

    if dump is None:
        for name, summary in template_files():
            typer.echo(f"  {name:<26} {summary}")
        typer.echo("\nWrite them out with 'cleaner templates --dump DIR', then pass --template-dir DIR.")
        return
    written = dump_templates(dump, overwrite=force)
    typer.echo(f"wrote {len(written)} files to {dump}: {', '.join(written)}")


@app.command()
@reports_errors
def inspect(
    input: InputArg,
    removed_only: Annotated[bool, typer.Option("--removed-only", help="Show only the lines that were not kept as body text.")] = False,
    from_: FromOpt = None,
    disable: DisableOpt = [],
    rules: RulesOpt = [],
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fix_mojibake: MojibakeOpt = False,
    memory: MemoryOpt = None,
) -> None:
    """Show every input line with the decision taken on it and the rule that took it.

    Green lines are body text, yellow ones went to the gallery, media or author bio, red
    ones were removed (with the reason). Runs of blank lines are shown as one row. For a
    saved HTML page a "line" is one of the page's text blocks, numbered in order.
    """
    from .inspect import PipeConsole, show_decisions

    configured = make_cleaner(disable, rules, max_bytes, fix_mojibake, from_, memory)
    document, reading = configured.scan(read_source(input, max_bytes), path=None if input == "-" else input)
    show_decisions(document, reading.source, removed_only=removed_only, console=PipeConsole(highlight=False))


@app.command("rules")
@reports_errors
def list_rules(rules: RulesOpt = []) -> None:
    """List the rules in the order they run, and the rule packs in use."""
    pack = Cleaner(rules=rules).pack
    width = max(len(name) for name in RULE_NAMES)
    typer.echo("Rules, in the order they run (disable one with --disable NAME):")
    for rule in RULES:
        typer.echo(f"  {rule.name:<{width}}  {rule.summary}")
    typer.echo("\nRule packs (add one with --rules FILE):")
    for name, description in zip(pack.names, pack.descriptions):
        count = sum(1 for pattern in pack.patterns if pattern.pack == name)
        typer.echo(f"  {name}: {description}" + (f" ({count} line patterns)" if count else ""))
    optional = [name for name in OPTIONAL_PACKS if name not in pack.names]
    if optional:
        typer.echo(f"\nShipped but off (turn on with --rules NAME): {', '.join(optional)}")


@app.command()
@reports_errors
def schema() -> None:
    """Print the JSON Schema of the article model (the output of --to json)."""
    from .render.json import json_schema

    write_stdout(json_schema())


def _warn_replaced(input: str, source) -> None:
    """Bad bytes do not stop a conversion (the rest of the text is intact), but they are
    never replaced silently: one line on stderr, and ``source.replaced`` in the JSON."""
    if source is not None and source.replaced:
        count = source.replaced
        name = "standard input" if input == "-" else input
        _report(f"cleaner: warning: {name}: {count:,} byte sequence{'s' if count > 1 else ''} not valid {source.encoding} replaced with U+FFFD")


def _pick_format(to: str | None, output: Path | None) -> Format:
    if to is not None:
        return parse_format(to)
    if output is not None:
        fmt = SUFFIXES.get(output.suffix.lower())
        if fmt is None:
            raise UsageError(f"cannot tell the format from {output.name!r}; add --to with one of: {format_names()}")
        return fmt
    return Format.MD


def make_cleaner(disable, rules, max_bytes, fix_mojibake, from_: str | None = None, memory: Path | None = None) -> Cleaner:
    """The configured cleaner of a command: built, and every option checked, before any
    input is read (a broken rule pack, site memory or an unknown rule is reported before
    any work)."""
    unknown = set(disable) - set(RULE_NAMES)
    if unknown:
        raise UsageError(f"unknown rule(s) {', '.join(sorted(unknown))}; see 'cleaner rules'")
    return Cleaner(rules=rules, disable=disable, max_bytes=max_bytes, fix_mojibake=fix_mojibake, from_=from_, memory=memory)


def _output_name(name: str, fmt: Format) -> str:
    """The output file of one input in -o DIR: its name with the format's suffix
    ('a.html.gz' gives 'a.md'; standard input gives 'stdin.md')."""
    base = "stdin" if name == "-" else Path(name).name
    if base.lower().endswith(".gz"):
        base = base[:-3]
    stem = Path(base).stem if Path(base).suffix else base
    return f"{stem}.{fmt.value}"


def _click_errors() -> tuple[tuple[type, ...], tuple[type, ...]]:
    """(usage errors, aborts) of the click typer runs on: click itself, or the copy that
    newer typer releases vendor (its errors derive from ``typer.exceptions.TyperException``)."""
    usage: list[type] = []
    aborts: list[type] = []
    try:
        import click

        usage.append(click.exceptions.ClickException)
        aborts.append(click.exceptions.Abort)
    except ImportError:  # pragma: no cover - typer without click
        pass
    from typer import exceptions as typer_exceptions

    usage.extend(getattr(typer_exceptions, name) for name in ("TyperException",) if hasattr(typer_exceptions, name))
    aborts.extend(getattr(typer_exceptions, name) for name in ("Abort",) if hasattr(typer_exceptions, name))
    return tuple(usage), tuple(aborts)


def _usage_error(error: Exception) -> int:
    """One line for an argument error; the help for a bare command."""
    if type(error).__name__ == "NoArgsIsHelpError":  # 'cleaner' alone: show what it can do
        error.show()
        return 2
    message = error.format_message() if hasattr(error, "format_message") else str(error)
    context = getattr(error, "ctx", None)
    command = getattr(context, "command_path", None) or "cleaner"
    message = " ".join(message.split())
    typer.echo(f"cleaner: error: {message} (see '{command} --help')", err=True)
    return 2


def main() -> None:
    """Entry point: user errors become one line on stderr and their exit code."""
    try:
        status = app(standalone_mode=False, prog_name="cleaner")
    except KeyboardInterrupt:
        _report("cleaner: interrupted")
        sys.exit(130)
    except BrokenPipeError:  # the reader went away (cleaner … | head): not an error
        _silence_stdout()
        sys.exit(0)
    except Exception as error:  # click's usage errors and anything unexpected
        usage, aborts = _click_errors()
        if isinstance(error, usage):
            sys.exit(_usage_error(error))
        if isinstance(error, aborts):  # click turns Ctrl-C at a prompt into Abort
            _report("cleaner: interrupted")
            sys.exit(130)
        _report(f"cleaner: internal error: {type(error).__name__}: {' '.join(str(error).split())} (please report this)")
        sys.exit(70)
    sys.exit(status if isinstance(status, int) else 0)


def _report(line: str) -> None:
    try:
        typer.echo(line, err=True)
    except (OSError, ValueError, AttributeError):  # no usable stderr: the exit code must do
        pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's final flush of what is still buffered
    does not fail again (and print a traceback) on the way out."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


from . import cli_batch  # noqa: E402,F401  (registers 'cleaner batch')
from . import cli_learn  # noqa: E402,F401  (registers 'cleaner learn')
