"""``cleaner batch``: the command line of ``cleaner.batch`` (registered on ``cleaner.cli.app``)."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli import CssOpt, DisableOpt, FromOpt, MaxBytesOpt, MemoryOpt, MojibakeOpt, RulesOpt, TemplateDirOpt, _report, app, make_cleaner, render_options, reports_errors
from .decode import DEFAULT_MAX_BYTES
from .errors import UsageError
from .inputs import refuse_url
from .readers import all_suffixes
from .render import RENDERERS, Format, format_names, parse_format


def default_globs() -> tuple[str, ...]:
    """Every suffix a reader claims, plain and gzipped: *.txt, *.md, *.html…"""
    return tuple(f"*{suffix}{gz}" for suffix in all_suffixes() for gz in ("", ".gz"))


class Engine(StrEnum):
    LOCAL = "local"
    DASK = "dask"


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@app.command()
@reports_errors
def batch(
    inputs: Annotated[list[Path], typer.Argument(metavar="INPUT", help="Article files, directories (searched recursively for --glob) and JSONL dumps (.jsonl, .jsonl.gz).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Output directory: the input tree mirrored, JSONL dumps as JSONL, and manifest.jsonl.", show_default=False)],
    to: Annotated[str, typer.Option("--to", "-t", metavar="FORMATS", help=f"Comma-separated formats to write: {format_names()} (epub: one book per file; --book makes one of them all).")] = "md",
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", min=1, help="Worker processes (Dask: workers of the local cluster). Default: one per CPU.", show_default=False)] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Finish an interrupted or killed run in the same --out: records in its manifest are not redone.")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help="local: processes on this machine; dask: a Dask cluster (pip install 'cleaner[dask]').", case_sensitive=False)] = Engine.LOCAL,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://10.0.0.5:8786. Default: a local cluster. Workers must see the same paths.", show_default=False)] = None,
    text_field: Annotated[str, typer.Option("--text-field", metavar="F", help="JSONL: the field holding the article text.")] = "text",
    id_field: Annotated[str, typer.Option("--id-field", metavar="F", help="JSONL: the field holding the record id (default when absent: FILE:LINE).")] = "id",
    glob: Annotated[list[str], typer.Option("--glob", "-g", metavar="PATTERN", help="In directories, clean the files matching PATTERN (repeatable). Default: every suffix a reader claims (*.txt, *.md, *.html…), gzipped too.", show_default=False)] = [],
    body_only: Annotated[bool, typer.Option("--body-only", help="md, html, txt: only the body's paragraphs (json and epub are always the whole article).")] = False,
    max_errors: Annotated[Optional[int], typer.Option("--max-errors", metavar="N", min=0, help="Stop once N records have failed (they are listed in the manifest; finish with --resume). Default: 10,000; 0: never stop.", show_default=False)] = None,
    follow_symlinks: Annotated[bool, typer.Option("--follow-symlinks", help="Read files in a directory INPUT that are symbolic links to outside the INPUT trees (by default they are listed as failed, unread).")] = False,
    fsync: Annotated[bool, typer.Option("--fsync", help="Flush outputs and manifest to the disk at each chunk, so that the manifest survives a power cut or an OS crash (slower).")] = False,
    from_: FromOpt = None,
    with_model: Annotated[bool, typer.Option("--with-model", help="JSONL dumps: put the model in each record too, under 'article' (as --to json does).")] = False,
    site: Annotated[bool, typer.Option("--site", help="Make DIR a browsable site: every article's HTML page (implies html) linking back to index.html (newest first, paginated), and an Atom feed, feed.xml.")] = False,
    book: Annotated[Optional[Path], typer.Option("--book", metavar="FILE.epub", help="Also write every article into one EPUB book, with a table of contents.", show_default=False)] = None,
    collection_title: Annotated[Optional[str], typer.Option("--collection-title", metavar="T", help="The title of the --site and the --book. Default: 'Articles', and the book's file name.", show_default=False)] = None,
    template_dir: TemplateDirOpt = None,
    css: CssOpt = None,
    front_matter: Annotated[bool, typer.Option("--front-matter", help="md: start each article with YAML front matter (title, author, date…).")] = False,
    disable: DisableOpt = [],
    rules: RulesOpt = [],
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fix_mojibake: MojibakeOpt = False,
    memory: MemoryOpt = None,
) -> None:
    """Clean a corpus: files, directory trees and JSONL dumps, in parallel, resumably.

    A tree gives the same tree under DIR, one file per format (a/b.txt gives a/b.md, a/b.html…).
    A JSONL dump gives a JSONL file of the same name under DIR: each record with every field
    it had, and the cleaned text under "text", "markdown", "html" (the model under "article"
    with --to json or --with-model); a record's url, date, title and lang fields fill the
    model's metadata. Each input's format comes from --from, else its suffix, else
    sniffing (a record's text too). DIR/manifest.jsonl has one line per record.
    --site makes DIR a site (index.html, feed.xml); --book FILE.epub makes one e-book.
    A record that fails is listed there and skipped. One run at a time per DIR (it is
    locked); an output never replaces an input, nor another record's output.
    Exit codes: 0 all records cleaned, 1 some records of the run failed (see the manifest;
    also after --resume, as long as any did), or --max-errors stopped it, 2 usage error
    (or DIR in use by another run), 3 an INPUT cannot be read, 6 DIR cannot be written
    (the run stopped: finish with --resume), 70 a worker died, 130 interrupted (finish
    with --resume).

    Examples: 'cleaner batch corpus/ --out cleaned/ --to md,txt',
    'cleaner batch dump.jsonl.gz --out cleaned/ --text-field body --id-field url -j 8',
    'cleaner batch corpus/ --out site/ --site --book news.epub --collection-title "The week"',
    'cleaner learn corpus/ -o sites.json && cleaner batch corpus/ --out cleaned/ --memory sites.json'.
    """
    from rich.console import Console  # for the progress bar: imported only when a batch runs

    from .batch import BatchJob, DaskEngine, InlineEngine, ProcessEngine, run_batch
    from .batch.job import DEFAULT_MAX_ERRORS
    from .batch.progress import BatchProgress, print_summary
    from .batch.sources import check_inputs, total_size

    formats = _parse_formats(to)
    if site and Format.HTML not in formats:
        formats += (Format.HTML,)  # a site is made of the articles' pages
    if scheduler and engine is not Engine.DASK:
        raise UsageError("--scheduler needs --engine dask")
    for given in inputs:
        refuse_url(str(given))
    check_inputs(tuple(inputs))
    _check_outputs(formats, tuple(inputs), book)
    options = render_options(None, template_dir=template_dir, css=css, front_matter=front_matter)
    configured = make_cleaner(disable, rules, max_bytes, fix_mojibake, from_, memory)  # validates --disable, --rules, --from and --memory now
    job = BatchJob(
        inputs=tuple(inputs),
        out=out,
        formats=formats,
        globs=tuple(glob) or default_globs(),
        text_field=text_field,
        id_field=id_field,
        body_only=body_only,
        settings=configured.settings,  # holds the packs' text: workers need no access to the files
        follow_symlinks=follow_symlinks,
        fsync=fsync,
        max_errors=DEFAULT_MAX_ERRORS if max_errors is None else max_errors,
        render=options,
        with_model=with_model,
        site=site,
        book=book,
        collection_title=collection_title,
    )
    _check_templates(job)
    workers = jobs or cpu_count()
    if jobs is not None and not scheduler:
        workers = capped_jobs(jobs)
    if engine is Engine.DASK:
        runner_engine = DaskEngine(scheduler=scheduler, jobs=workers)
    else:
        runner_engine = InlineEngine() if workers == 1 else ProcessEngine(workers)
    console = Console(stderr=True, highlight=False)
    with BatchProgress(console, lambda: total_size(job.inputs, job.globs, job.out)) as progress:
        summary = run_batch(job, runner_engine, resume=resume, progress=progress)
    print_summary(summary, console, out=str(out))
    if summary.stopped:
        _report(f"cleaner: error: {summary.stopped}")
    raise typer.Exit(summary.exit_code)


def capped_jobs(jobs: int) -> int:
    """Workers are CPU-bound: more than the CPUs this process may use only compete for
    them, each with its own memory (64 on 2 cores ran 5 times slower in 1.5 GB)."""
    cpus = cpu_count()
    if jobs <= cpus:
        return jobs
    _report(f"cleaner: warning: --jobs {jobs} is more than the {cpus} CPU{'s' if cpus > 1 else ''} available; running {cpus} worker{'s' if cpus > 1 else ''}")
    return cpus


def _parse_formats(text: str) -> tuple[Format, ...]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise UsageError(f"--to needs at least one format: {format_names()}")
    return tuple(dict.fromkeys(parse_format(name) for name in names))


def _check_outputs(formats: tuple[Format, ...], inputs: tuple[Path, ...], book: Path | None) -> None:
    """Refuse, before any work, outputs that cannot be: a file format in a JSONL record,
    a book that is not an .epub or would replace an input."""
    from .batch.sources import is_jsonl

    binary = [fmt.value for fmt in formats if RENDERERS[fmt].binary]
    dumps = [path for path in inputs if path.is_file() and is_jsonl(path.name)]
    if binary and dumps:
        raise UsageError(f"--to {binary[0]} makes one file per article, which a JSONL record cannot hold ({dumps[0]}); use --book FILE.epub for one book of them all")
    if book is not None:
        if book.suffix.lower() != ".epub":
            raise UsageError(f"--book {book}: the book's name must end in .epub")
        if book.is_dir():
            raise UsageError(f"--book {book} is a directory")
        for path in inputs:
            if path.is_file() and book.exists() and book.resolve() == path.resolve():
                raise UsageError(f"--book {book} is one of the inputs")


def _check_templates(job) -> None:
    """Render a small article with the job's options in every format asked for, so that a
    broken --template-dir stops the run now, not after failing every record."""
    from datetime import datetime, timezone

    from .model import Article, LineSpan, Paragraph
    from .render import render_with

    if job.render.template_dir is None:
        return
    sample = Article(title="Title", body=(Paragraph(text="Text.", lines=LineSpan(1, 1)),))
    for fmt in job.formats:
        render_with(sample, fmt, job.render)
    if job.book is not None:
        from .render.epub import chapter

        chapter(sample, job.render)
    if job.site:
        from .render.site import SiteEntry, render_feed, render_index

        entries = [SiteEntry(page="a.html", title="Title")]
        render_index(entries, title="Site", options=job.render)
        render_feed(entries, title="Site", updated=datetime.now(timezone.utc), options=job.render)
