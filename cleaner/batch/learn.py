"""Reading a corpus for ``cleaner learn``: every document's lines, in input order, read by
worker processes (``jobs``) as ``batch`` reads them, counted by one ``Learner`` in this
process. Reading is the cost (decoding, and a saved page's extraction); counting is cheap.
The order of the documents is the walk's whatever the number of workers, so the memory
is the same with one job or eight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from ..errors import CleanerError
from ..pipeline import Settings, merge_metadata
from ..sites import Learner
from .fields import record_metadata
from .sources import FileRecord, JsonlInput, walk
from .worker import configured_cleaner, parse_record, read_file, record_text

#: JSONL records sent to a worker at a time
_RECORDS_PER_TASK = 200


@dataclass(frozen=True, slots=True)
class Read:
    """One document as read: its lines and address, or why it could not be read.
    ``weight`` is the input bytes it stands for (for the progress bar)."""

    where: str
    weight: int
    size: int
    lines: list[str] | None = None
    #: the file read (None for a JSONL record)
    path: str | None = None
    url: str | None = None
    site: str | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class _Task:
    settings: Settings
    text_field: str
    file: FileRecord | JsonlInput | None = None  # a refused dump comes as a file that failed
    #: a JSONL dump's records: (where, raw line or None, problem, input bytes consumed)
    records: tuple[tuple[str, bytes | None, str | None, int], ...] = ()


def learn_corpus(
    inputs: tuple[Path, ...],
    settings: Settings,
    learner: Learner,
    *,
    globs: tuple[str, ...],
    exclude: Path,
    text_field: str = "text",
    follow_symlinks: bool = False,
    jobs: int = 1,
    seen: Callable[[Read], None] = lambda read: None,
) -> None:
    """Count every document of ``inputs`` into ``learner``; ``seen`` hears of each (the
    progress bar; a document with a ``problem`` was left out)."""
    tasks = _tasks(inputs, settings, globs, exclude, text_field, follow_symlinks)
    if jobs <= 1:
        results: Iterator[list[Read]] = map(_read, tasks)
        _count(results, learner, seen)
        return
    with get_context("spawn").Pool(jobs) as pool:
        _count(pool.imap(_read, tasks, chunksize=4), learner, seen)


def _count(results: Iterator[list[Read]], learner: Learner, seen: Callable[[Read], None]) -> None:
    for reads in results:
        for read in reads:
            if read.lines is not None:
                learner.add(read.lines, url=read.url, site=read.site, path=read.path)
            seen(read)


def _tasks(inputs, settings, globs, exclude, text_field, follow_symlinks) -> Iterator[_Task]:
    for entry in walk(inputs, globs, exclude, follow_symlinks=follow_symlinks):
        if not isinstance(entry, JsonlInput) or entry.problem is not None:
            yield _Task(settings, text_field, file=entry)  # a refused dump is read as a failed file
            continue
        chunk: list[tuple[str, bytes | None, str | None, int]] = []
        consumed = 0
        for record, position in entry.records(settings.max_bytes + (1 << 20)):
            chunk.append((f"{record.path}:{record.number}", record.raw, record.problem, position - consumed))
            consumed = position
            if len(chunk) == _RECORDS_PER_TASK:
                yield _Task(settings, text_field, records=tuple(chunk))
                chunk = []
        if chunk:
            yield _Task(settings, text_field, records=tuple(chunk))


def _read(task: _Task) -> list[Read]:
    """A worker's part: read one file, or a chunk of records, as ``batch`` would."""
    cleaner = configured_cleaner(task.settings)
    entry = task.file
    if entry is None:
        return [_read_record(cleaner, task.text_field, *record) for record in task.records]
    try:
        data = read_file(entry, task.settings.max_bytes)
        reading = cleaner.read(data, path=entry.path)
    except CleanerError as error:
        return [Read(entry.path, entry.size, entry.size, problem=str(error))]
    return [Read(entry.path, entry.size, len(data), reading.lines.texts, entry.path, reading.metadata.url, reading.metadata.site)]


def _read_record(cleaner, text_field: str, where: str, raw: bytes | None, problem: str | None, weight: int) -> Read:
    size = len(raw) if raw is not None else 0
    try:
        data = parse_record(raw, problem)
        reading = cleaner.read(record_text(data, text_field)[0])
    except CleanerError as error:  # RecordError included
        return Read(where, weight, size, problem=str(error))
    metadata = merge_metadata(reading.metadata, record_metadata(data)[1])
    return Read(where, weight, size, reading.lines.texts, None, metadata.url, metadata.site)


__all__ = ["Read", "learn_corpus"]
