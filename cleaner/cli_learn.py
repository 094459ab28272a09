"""``cleaner learn``: read a corpus once and write its site memory (``cleaner.sites``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli import FromOpt, MaxBytesOpt, MojibakeOpt, _report, app, make_cleaner, reports_errors
from .cli_batch import capped_jobs, cpu_count, default_globs
from .decode import DEFAULT_MAX_BYTES
from .errors import OutputError, UsageError
from .inputs import refuse_url

class Grouping(StrEnum):
    ADDRESS = "address"
    DIRECTORY = "directory"


#: failures shown on stderr (the others are counted)
_SHOWN = 10
#: as ``cleaner.sites`` has them (not imported here: the module loads only when 'learn' runs)
DEFAULT_MIN_DOCUMENTS, DEFAULT_MIN_SHARE = 3, 0.1


@app.command()
@reports_errors
def learn(
    inputs: Annotated[list[Path], typer.Argument(metavar="INPUT", help="Article files, directories (searched recursively for --glob) and JSONL dumps (.jsonl, .jsonl.gz): the corpus 'cleaner batch' will clean.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE", help="Write the site memory here (JSON; written atomically).", show_default=False)],
    min_documents: Annotated[int, typer.Option("--min-documents", metavar="N", min=2, help="A template line stands in at least N documents of its site...")] = DEFAULT_MIN_DOCUMENTS,
    min_share: Annotated[float, typer.Option("--min-share", metavar="S", min=0.0, max=1.0, help="...and in at least this share of them.")] = DEFAULT_MIN_SHARE,
    glob: Annotated[list[str], typer.Option("--glob", "-g", metavar="PATTERN", help="In directories, read the files matching PATTERN (repeatable). Default: every suffix a reader claims, gzipped too.", show_default=False)] = [],
    text_field: Annotated[str, typer.Option("--text-field", metavar="F", help="JSONL: the field holding the article text.")] = "text",
    group_by: Annotated[Grouping, typer.Option("--group-by", help="How a document's site is told: its address (the record's url, the page's canonical address; else the record's site field), or, for a tree of text files laid out a site to a directory (corpus/example.com/a.txt), its directory's name. The memory remembers which.", case_sensitive=False)] = "address",
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", min=1, help="Worker processes reading the documents (a saved page's extraction is the cost). Default: one per CPU. The memory is the same whatever N.", show_default=False)] = None,
    follow_symlinks: Annotated[bool, typer.Option("--follow-symlinks", help="Read files in a directory INPUT that are symbolic links to outside the INPUT trees.")] = False,
    from_: FromOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    fix_mojibake: MojibakeOpt = False,
) -> None:
    """Learn each site's template from a corpus: the lines that stand in many of its documents.

    A menu, a footer, a newsletter box or a standard disclaimer is the same line on every
    page of a site; the article is not. This reads every document once (as 'cleaner batch'
    would, without cleaning it), groups the documents by site (the host of the record's url
    or of the page's canonical address, else the record's site field; documents without
    either form one group) and keeps the lines found in at least --min-documents of a
    site's documents and in at least --min-share of them. The memory is a JSON file to read
    and edit: each site, its number of documents, and its template lines with the number
    of documents each stood in. Give it to 'cleaner batch', 'convert' or 'inspect' with
    --memory FILE: the rule site_template then removes those lines (before the article's
    first paragraph and after its last; inside the text only a run of them, so a section
    heading the site's articles share stays).

    Exit codes: 0 learned from every document, 1 some documents could not be read (they
    are left out and the first are listed), 2 usage error, 3 an INPUT cannot be read, 6 the
    memory cannot be written or would replace an input.
    Example: 'cleaner learn corpus/ dump.jsonl.gz -o sites.json' then
    'cleaner batch corpus/ dump.jsonl.gz --out cleaned/ --memory sites.json'.
    """
    from rich.console import Console

    from .batch.learn import learn_corpus
    from .batch.progress import BatchProgress
    from .batch.sources import InputSet, check_inputs, total_size
    from .io import write_atomic
    from .sites import Learner

    for given in inputs:
        refuse_url(str(given))
    check_inputs(tuple(inputs))
    globs = tuple(glob) or default_globs()
    if output.is_dir():
        raise UsageError(f"--output {output} is a directory; give the memory's file name")
    # Not over an input given by name, nor over a file the walk of an input directory reads.
    if InputSet(tuple(inputs), globs, None).holds(output):
        raise OutputError(f"refusing to write the site memory {output} over an input of the run")
    configured = make_cleaner((), (), max_bytes, fix_mojibake, from_)
    learner = Learner(min_documents=min_documents, min_share=min_share, grouped_by=str(group_by))
    workers = capped_jobs(jobs) if jobs is not None else cpu_count()
    failures = 0
    console = Console(stderr=True, highlight=False)
    with BatchProgress(console, lambda: total_size(tuple(inputs), globs, output), label="learning") as progress:

        def seen(read) -> None:
            nonlocal failures
            progress.advance(weight=read.weight, records=1, size=read.size)
            if read.problem is not None:
                failures += 1
                if failures <= _SHOWN:
                    _report(f"cleaner: {read.where}: {read.problem} (left out)")

        learn_corpus(tuple(inputs), configured.settings, learner, globs=globs, exclude=output, text_field=text_field, follow_symlinks=follow_symlinks, jobs=workers, seen=seen)
    memory = learner.memory()
    write_atomic(output, memory.to_json().encode("utf-8"))
    lines = sum(len(site.lines) for site in memory.sites.values())
    _report(
        f"cleaner: learned from {learner.documents:,} document(s) of {learner.sites:,} site(s): "
        f"{lines:,} template line(s) in {len(memory.sites):,} site(s) -> {output}"
        + (f"; {failures:,} document(s) left out" if failures else "")
    )
    if learner.forgotten:
        _report(f"cleaner: note: the corpus has more different lines than counting keeps ({learner.max_lines:,}); lines seen once were forgotten {learner.forgotten} time(s), so a few template lines may be missing")
    raise typer.Exit(1 if failures else 0)


__all__ = ["learn"]
