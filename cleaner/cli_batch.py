"""``cleaner batch``: the command line of ``cleaner.batch`` (registered on ``cleaner.cli.app``)."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from .cli import DisableOpt, FromOpt, MaxBytesOpt, MojibakeOpt, RulesOpt, _report, app, make_cleaner, reports_errors
from .decode import DEFAULT_MAX_BYTES
from .errors import UsageError
from .inputs import refuse_url
from .readers import all_suffixes
from .render import Format, parse_format


def default_globs() -> tuple[str, ...]:
    """Every suffix a reader claims, plain and gzipped: *.txt, *.md, *.html…"""
    return tuple(f"*{suffix}{gz}" for suffix in all_suffixes() for gz in ("", ".gz"))


class Engine(StrEnum):
    LOCAL = "local"
    DASK = "dask"


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@app.command()
@reports_errors
def batch(
    inputs: Annotated[list[Path], typer.Argument(metavar="INPUT", help="Article files, directories (searched recursively for --glob) and JSONL dumps (.jsonl, .jsonl.gz).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Output directory: the input tree mirrored, JSONL dumps as JSONL, and manifest.jsonl.", show_default=False)],
    to: Annotated[str, typer.Option("--to", "-t", metavar="FORMATS", help="Comma-separated formats to write: md, html, txt, json.")] = "md",
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", min=1, help="Worker processes (Dask: workers of the local cluster). Default: one per CPU.", show_default=False)] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Finish an interrupted or killed run in the same --out: records in its manifest are not redone.")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help="local: processes on this machine; dask: a Dask cluster (pip install 'cleaner[dask]').", case_sensitive=False)] = Engine.LOCAL,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://10.0.0.5:8786. Default: a local cluster. Workers must see the same paths.", show_default=False)] = None,
    text_field: Annotated[str, typer.Option("--text-field", metavar="F", help="JSONL: the field holding the article text.")] = "text",
    id_field: Annotated[str, typer.Option("--id-field", metavar="F", help="JSONL: the field holding the record id (default when absent: FILE:LINE).")] = "id",
    glob: Annotated[list[str], typer.Option("--glob", "-g", metavar="PATTERN", help="In directories, clean the files matching PATTERN (repeatable). Default: every suffix a reader claims (*.txt, *.md, *.html…), gzipped too.", show_default=False)] = [],
    body_only: Annotated[bool, typer.Option("--body-only", help="md, html, txt: only the body's paragraphs (json is always the whole model).")] = False,
    max_errors: Annotated[Optional[int], typer.Option("--max-errors", metavar="N", min=0, help="Stop once N records have failed (they are listed in the manifest; finish with --resume). Default: 10,000; 0: never stop.", show_default=False)] = None,
    follow_symlinks: Annotated[bool, typer.Option("--follow-symlinks", help="Read files in a directory INPUT that are symbolic links to outside the INPUT trees (by default they are listed as failed, unread).")] = False,
    fsync: Annotated[bool, typer.Option("--fsync", help="Flush outputs and manifest to the disk at each chunk, so that the manifest survives a power cut or an OS crash (slower).")] = False,
    from_: FromOpt = None,
    disable: DisableOpt = [],
    rules: RulesOpt = [],
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fix_mojibake: MojibakeOpt = False,
) -> None:
    """Clean a corpus: files, directory trees and JSONL dumps, in parallel, resumably.

    A tree gives the same tree under DIR, one file per format (a/b.txt gives a/b.md, a/b.html…).
    A JSONL dump gives a JSONL file of the same name under DIR: per record its id, the model
    ("article") and each format asked for; a record's url, date, title and lang fields fill
    the model's metadata. Each input's format comes from --from, else its suffix, else
    sniffing (a record's text too). DIR/manifest.jsonl has one line per record.
    A record that fails is listed there and skipped. One run at a time per DIR (it is
    locked); an output never replaces an input, nor another record's output.
    Exit codes: 0 all records cleaned, 1 some records of the run failed (see the manifest;
    also after --resume, as long as any did), or --max-errors stopped it, 2 usage error
    (or DIR in use by another run), 3 an INPUT cannot be read, 6 DIR cannot be written
    (the run stopped: finish with --resume), 70 a worker died, 130 interrupted (finish
    with --resume).

    Examples: 'cleaner batch corpus/ --out cleaned/ --to md,txt',
    'cleaner batch dump.jsonl.gz --out cleaned/ --text-field body --id-field url -j 8'.
    """
    from .batch import BatchJob, DaskEngine, InlineEngine, ProcessEngine, run_batch
    from .batch.job import DEFAULT_MAX_ERRORS
    from .batch.progress import BatchProgress, print_summary
    from .batch.sources import check_inputs, total_size

    formats = _parse_formats(to)
    if scheduler and engine is not Engine.DASK:
        raise UsageError("--scheduler needs --engine dask")
    for given in inputs:
        refuse_url(str(given))
    check_inputs(tuple(inputs))
    configured = make_cleaner(disable, rules, max_bytes, fix_mojibake, from_)  # validates --disable, --rules and --from now
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
    )
    workers = jobs or _cpu_count()
    if jobs is not None and not scheduler:
        workers = _capped(jobs)
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


def _capped(jobs: int) -> int:
    """Workers are CPU-bound: more than the CPUs this process may use only compete for
    them, each with its own memory (64 on 2 cores ran 5 times slower in 1.5 GB)."""
    cpus = _cpu_count()
    if jobs <= cpus:
        return jobs
    _report(f"cleaner: warning: --jobs {jobs} is more than the {cpus} CPU{'s' if cpus > 1 else ''} available; running {cpus} worker{'s' if cpus > 1 else ''}")
    return cpus


def _parse_formats(text: str) -> tuple[Format, ...]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise UsageError("--to needs at least one format: md, html, txt or json")
    return tuple(dict.fromkeys(parse_format(name) for name in names))
