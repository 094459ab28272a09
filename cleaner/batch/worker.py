"""What a worker does with a chunk of records: clean, render, write, and describe.

Runs in a worker process (or a Dask worker, or inline with ``--jobs 1``). The rule pack
is loaded once per process, not per record. A record that fails for a reason of its own
(undecodable, too large, not JSON, an output path taken) becomes an ``error`` line in the
manifest and the chunk goes on: one broken record never stops the batch. A file system
that refuses writes (``StorageError``: full, no permission) is not the record's fault: it
stops the run, without leaving any output of the record behind, and --resume redoes it.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..decode import without_surrogates
from ..errors import CleanerError, OutputError, StorageError
from ..inputs import gunzip
from ..io import read_input, sync_directory, write_atomic
from ..model import Article
from ..pipeline import Cleaner, Settings
from ..render import RENDERERS, Format, RenderOptions, render_with
from ..render.json import render_json
from . import collect, manifest
from .fields import record_metadata
from .job import SHOWN_FAILURES, BatchJob
from .outputs import output_path
from .records import output_record
from .sources import FileRecord, InputSet, LineRecord


@dataclass
class ChunkResult:
    """What the parent needs from a chunk: manifest lines, outputs to write, and totals.

    ``files`` holds the per-file outputs when the parent writes them (local engines:
    one writer, because parallel file creation contends in the file system), as
    (record index in the chunk, path, bytes); ``output`` is the chunk's JSONL output;
    ``collected`` the records' contributions to the site and the book (``collect``), as
    (record index in the chunk, line).
    """

    lines: list[bytes] = field(default_factory=list)
    files: list[tuple[int, str, bytes]] = field(default_factory=list)
    output: bytes = b""
    ok: int = 0
    failed: int = 0
    bytes: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)
    collected: list[tuple[int, bytes]] = field(default_factory=list)

    @property
    def manifest(self) -> bytes:
        return b"".join(self.lines)

    def keep(self, count: int, *, compressed: bool = False) -> None:
        """Keep the first ``count`` records of the chunk and forget the rest, as if it had
        ended there (the run stops after them: --max-errors, or a write that failed)."""
        kept = self.lines[:count]
        statuses = [json.loads(line) for line in kept]
        self.lines = kept
        self.files = [item for item in self.files if item[0] < count]
        self.collected = [item for item in self.collected if item[0] < count]
        if self.output:
            records = (gzip.decompress(self.output) if compressed else self.output).splitlines(keepends=True)
            blob = b"".join(records[: sum(1 for data in statuses if data["status"] == "ok")])
            self.output = gzip.compress(blob, compresslevel=6, mtime=0) if compressed and blob else blob
        self.ok = sum(1 for data in statuses if data["status"] == "ok")
        self.failed = len(statuses) - self.ok
        self.bytes = sum(data["bytes"] or 0 for data in statuses if data["status"] == "ok")
        self.removed = Counter()
        for data in statuses:
            self.removed.update(data["removed"])
        self.failures = [(data["input"] + (f":{data['line']}" if data["line"] else ""), data["error"]) for data in statuses if data["status"] == "error"][:SHOWN_FAILURES]

    def collected_lines(self) -> list[bytes]:
        return [line for _, line in self.collected]

    def fail(self, index: int, message: str) -> None:
        """Turn record ``index``, cleaned but whose outputs could not be written, into a failure."""
        data = json.loads(self.lines[index])
        self.removed.subtract(data["removed"])
        self.removed = +self.removed  # drop the kinds that fell to zero
        self.lines[index] = manifest.entry(data["id"], (data["input"], data["line"]), "error", error=message, size=data["bytes"], sha256=data["sha256"])
        self.collected = [(number, line) for number, line in self.collected if number != index]
        self.ok -= 1
        self.failed += 1
        self.bytes -= data["bytes"] or 0
        if len(self.failures) < SHOWN_FAILURES:
            self.failures.append((data["input"], message))


@lru_cache(maxsize=4)
def configured_cleaner(settings: Settings) -> Cleaner:
    """The job's ``Cleaner``, built once per worker process."""
    return Cleaner.from_settings(settings)


@lru_cache(maxsize=4)
def input_set(inputs: tuple[Path, ...], globs: tuple[str, ...], out: Path) -> InputSet:
    """The run's inputs as a predicate on output paths, built once per process."""
    return InputSet(inputs, globs, out)


@dataclass
class _Known:
    """What is known about a record so far, for its manifest line if it fails midway."""

    record_id: str
    size: int | None = None
    sha256: str | None = None
    article: Article | None = None  # once cleaned: what the site and the book collect


def process_chunk(job: BatchJob, records: list[FileRecord | LineRecord], compressed: bool = False, write_files: bool = True) -> ChunkResult:
    """Clean a chunk. With ``write_files`` the worker writes per-file outputs itself (Dask
    workers, on a shared file system); without, they go back in ``ChunkResult.files``."""
    cleaner = configured_cleaner(job.settings)
    result = ChunkResult()
    outputs: list[bytes] = []
    for index, record in enumerate(records):
        known = _Known(_fallback_id(record))
        try:
            if isinstance(record, FileRecord):
                line = _process_file(job, record, cleaner, known, result, index if not write_files else None)
            else:
                line, output = _process_line(job, record, cleaner, known, result)
                outputs.append(output)
            if job.collects:
                result.collected.append((index, collect.entry(job, record, known.record_id, known.article)))
            result.ok += 1
            result.bytes += known.size or 0
        except StorageError:
            raise  # not the record's fault: the run stops, --resume redoes the chunk
        except Exception as error:  # anything else at all: report the record, keep going
            message = str(error) if isinstance(error, CleanerError) else f"internal error: {type(error).__name__}: {error}"
            line = manifest.entry(known.record_id, record.key, "error", error=message, size=known.size, sha256=known.sha256)
            result.failed += 1
            result.files = [handed for handed in result.files if handed[0] != index]  # no outputs of a failed record
            if len(result.failures) < SHOWN_FAILURES:
                result.failures.append((_display(record), message))
        result.lines.append(line)
    blob = b"".join(outputs)
    result.output = gzip.compress(blob, compresslevel=6, mtime=0) if compressed and blob else blob
    return result


def write_files(result: ChunkResult, *, fsync: bool = False) -> StorageError | None:
    """Write the per-file outputs a worker handed back, atomically, record by record; a
    record whose outputs cannot be written becomes a failure, and those of its outputs
    already written are removed (the manifest lists none). Runs in the parent, before
    the chunk's manifest lines are appended.

    When the file system refuses (``StorageError``), the chunk is cut before that record
    (``result.keep``): the records before it are complete, and the error is returned for
    the caller to stop the run once their manifest lines are written."""
    failed: set[int] = set()
    written: dict[int, list[Path]] = {}
    directories: set[Path] = set()
    stopped: StorageError | None = None
    for index, path, data in result.files:
        if index in failed:
            continue
        try:
            write_atomic(Path(path), data, fsync=fsync)
            written.setdefault(index, []).append(Path(path))
            directories.add(Path(path).parent)
        except StorageError as error:
            _remove(written.pop(index, []))
            result.keep(index)
            stopped = error
            break
        except CleanerError as error:
            failed.add(index)
            _remove(written.pop(index, []))
            result.fail(index, str(error))
    result.files = []
    if fsync:
        for directory in directories:
            sync_directory(directory)
    return stopped


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            pass


def _process_file(job: BatchJob, record: FileRecord, cleaner: Cleaner, known: _Known, result: ChunkResult, hand_back: int | None) -> bytes:
    """Clean one file; write its outputs, or with ``hand_back`` (its index) add them to ``result.files``."""
    data = read_file(record, job.settings.max_bytes)
    known.size, known.sha256 = len(data), hashlib.sha256(data).hexdigest()
    article = known.article = cleaner.clean(data, path=record.path)
    paths = [output_path(job.out, record.rel, f".{fmt.value}") for fmt in job.formats]
    _refuse_to_overwrite(job, paths)
    options = collect.page_options(job, record, article)  # a site's page links back to the index
    contents = [_bytes(_render(article, fmt, job.body_only, options)) for fmt in job.formats]
    if hand_back is None:
        _write_own(paths, contents, fsync=job.fsync)
    else:
        result.files.extend((hand_back, str(path), content) for path, content in zip(paths, contents))
    written = [path.relative_to(job.out).as_posix() for path in paths]
    removed = article.removed_counts()
    result.removed.update(removed)
    return manifest.entry(record.rel, record.key, "ok", outputs=written, removed=removed, size=known.size, sha256=known.sha256, link=record.link)


def _write_own(paths: list[Path], contents: list[bytes], *, fsync: bool) -> None:
    """A worker writing a record's outputs itself (Dask): all of them, or none."""
    done: list[Path] = []
    try:
        for path, content in zip(paths, contents):
            write_atomic(path, content, fsync=fsync)
            done.append(path)
    except BaseException:
        _remove(done)
        raise
    if fsync:
        for directory in {path.parent for path in paths}:
            sync_directory(directory)


def _refuse_to_overwrite(job: BatchJob, paths: list[Path]) -> None:
    """Before writing anything: no output may take the place of an input of the run (its
    own, or any other the walk reads: ``--out`` may be an input directory)."""
    inputs = input_set(job.inputs, job.globs, job.out)
    for path in paths:
        if inputs.holds(path):
            raise OutputError(f"refusing to write the output {path.relative_to(job.out).as_posix()} over the input {path}")


def _process_line(job: BatchJob, record: LineRecord, cleaner: Cleaner, known: _Known, result: ChunkResult) -> tuple[bytes, bytes]:
    data = parse_record(record.raw, record.problem)
    known.record_id = _record_id(data.get(job.id_field), record)
    encoded, replaced = record_text(data, job.text_field)
    known.size, known.sha256 = len(encoded), hashlib.sha256(encoded).hexdigest()
    title, metadata = record_metadata(data)
    article = cleaner.clean(encoded, title=title, metadata=metadata)
    if replaced:
        article = dataclasses.replace(article, source=dataclasses.replace(article.source, replaced=replaced))
    known.article = article
    output = _jsonl_output(job, record, data, known.record_id, article)
    removed = article.removed_counts()
    result.removed.update(removed)
    outputs = [output_path(job.out, record.rel).relative_to(job.out).as_posix()]
    line = manifest.entry(known.record_id, record.key, "ok", outputs=outputs, removed=removed, size=known.size, sha256=known.sha256)
    return line, output


def _jsonl_output(job: BatchJob, record: LineRecord, data: dict, record_id: str, article: Article) -> bytes:
    """One output record: the input record's fields as they were, and each format asked
    for under its key (``records``): ``text``, ``markdown``, ``html`` (a fragment), each
    without a file's final newline, and the model under ``article`` only with ``--to json``
    or ``--with-model``.

    The model's JSON comes straight from its serialiser and is spliced in: eight times
    faster than ``json.dumps`` of ``to_data(article)``, and the same JSON.
    """
    outputs: dict[str, str] = {}
    for fmt in job.formats:
        if fmt is Format.JSON:
            continue
        # A value is not a file: without the newline a file's last line ends with.
        text = _render(article, fmt, job.body_only, replace(job.render, standalone=False)).removesuffix("\n")
        outputs[RENDERERS[fmt].jsonl_key] = json.dumps(text, ensure_ascii=False)
    if Format.JSON in job.formats or job.with_model:
        outputs[RENDERERS[Format.JSON].jsonl_key] = render_json(article, indent=None).rstrip()
    own = data.get(job.id_field)
    has_id = (isinstance(own, str) and bool(own)) or (isinstance(own, int | float) and not isinstance(own, bool))
    added_id = None if has_id or "id" in data else record_id  # the FILE:LINE id of the manifest
    return output_record(record.raw, data, outputs, added_id)


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def _render(article: Article, fmt: Format, body_only: bool, options: RenderOptions) -> str | bytes:
    # JSON (and EPUB) are always the whole article; --body-only shapes the text formats.
    return render_with(article, fmt, replace(options, body_only=body_only and RENDERERS[fmt].body_only))


class RecordError(CleanerError):
    """A JSONL line that is not a usable record."""


def read_file(record: FileRecord, max_bytes: int) -> bytes:
    """A file record's bytes, gzip inputs decompressed within the limit (``batch`` and
    ``learn`` read a file alike)."""
    if record.problem is not None:
        raise RecordError(record.problem)
    # Never through a link the walk did not resolve: the file read is the one it checked.
    data = read_input(record.link or record.path, max_bytes, follow_links=False)
    return gunzip(data, max_bytes, origin=record.path)


def parse_record(raw: bytes | None, problem: str | None) -> dict:
    """A JSONL line as the record (a JSON object) it must be."""
    if raw is None:
        raise RecordError(problem or "unreadable line")
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise RecordError(f"not a JSON record: {error}") from None
    if not isinstance(data, dict):
        raise RecordError(f"not a JSON object but {type(data).__name__}")
    return data


def record_text(data: dict, text_field: str) -> tuple[bytes, int]:
    """A record's text as UTF-8, and how many lone surrogates were replaced in it."""
    text = data.get(text_field)
    if not isinstance(text, str):
        problem = "no" if text is None else f"a {type(text).__name__}, not a string, in"
        raise RecordError(f"{problem} field {text_field!r}")
    # Lone surrogates ("\ud800" in the JSON) become U+FFFD here, as for any str; the text
    # goes on as the UTF-8 it then is, so the decoder never sees bytes it did not get.
    text, replaced = without_surrogates(text)
    return text.encode("utf-8"), replaced


def _record_id(value: object, record: LineRecord) -> str:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return _fallback_id(record)


def _fallback_id(record: FileRecord | LineRecord) -> str:
    return record.rel if isinstance(record, FileRecord) else f"{record.rel}:{record.number}"


def _display(record: FileRecord | LineRecord) -> str:
    return record.path if isinstance(record, FileRecord) else f"{record.path}:{record.number}"
