"""The batch driver: walk the inputs into chunks, keep a bounded window of them at work
on an engine, and collect the results strictly in input order.

Collecting in order is what makes the manifest a prefix of the work (so ``--resume``
needs no memory) and JSONL outputs keep their input's order; the window keeps memory
flat, whatever the corpus size, while every worker stays busy.

A run stops early, with everything collected so far committed, on Ctrl-C, when
``--max-errors`` records have failed, and when the file system refuses a write
(``StorageError``); ``--resume`` finishes it. Since the records done form a prefix of
the walk, a resumed run checks every one of them (size and sha256) before it submits
any new work: a changed or vanished input is refused, not silently mixed in.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..decode import without_surrogates
from ..errors import CleanerError, OutputError, StorageError, UsageError
from ..io import write_atomic
from .collect import Collector
from .job import BatchJob, Summary
from .manifest import MANIFEST_NAME, ManifestWriter, ResumeLog
from .outputs import JsonlSink, output_path, remove_stray_temporaries
from .sources import FileRecord, InputSet, JsonlInput, LineRecord, walk
from .worker import ChunkResult, process_chunk, write_files

SETTINGS_NAME = ".batch-settings.json"  # the options of the run, checked by --resume
CHUNK_RECORDS = 32  # per task sent to a worker: enough to hide the cost of sending it
CHUNK_BYTES = 4 << 20
CHUNKS_PER_SLOT = 3  # in flight per worker: one running, two queued


class WorkerError(CleanerError):
    """The engine lost a worker (killed, out of memory): the run stops, --resume finishes it."""

    exit_code = 70


@dataclass
class Chunk:
    records: list[FileRecord | LineRecord] = field(default_factory=list)
    sink: JsonlSink | None = None
    weight: int = 0  # input bytes covered, records already done included: the progress unit
    already_done: int = 0
    size: int = 0

    def full(self) -> bool:
        return len(self.records) >= CHUNK_RECORDS or self.size >= CHUNK_BYTES or self.already_done >= 1024

    def empty(self) -> bool:
        return not (self.records or self.weight or self.already_done)


@dataclass
class DumpEnd:
    """Marks the end of a JSONL dump: once collected, its output is renamed into place."""

    sink: JsonlSink


class Progress:
    """What the runner reports to; the CLI's rich bar implements it."""

    def advance(self, *, weight: int, records: int, size: int) -> None:
        pass


class TooManyFailures(CleanerError):
    """``--max-errors`` records of the run have failed: it stops (the manifest lists them)."""

    exit_code = 1


def run_batch(job: BatchJob, engine, *, resume: bool = False, progress: Progress | None = None) -> Summary:
    """Run ``job`` on ``engine`` (``InlineEngine``, ``ProcessEngine`` or ``DaskEngine``)."""
    progress = progress or Progress()
    manifest_path = _prepare_out(job.out)
    # Taking the lock comes first: nothing in --out is touched while another run works there.
    writer = ManifestWriter(manifest_path, fresh=not resume)  # also cuts off a line a kill left unfinished
    summary = Summary()
    started = time.perf_counter()
    window: deque[tuple[Chunk | DumpEnd, Future | None]] = deque()
    run: _Run | None = None
    try:
        resuming = manifest_path.stat().st_size > 0
        if resume:
            remove_stray_temporaries(job.out)
        _check_settings(job, resuming)
        log = ResumeLog(manifest_path, end=manifest_path.stat().st_size) if resuming else None
        collector = Collector(job.out, resuming=resuming) if job.collects else None
        run = _Run(job, writer, summary, progress, log, resuming, collector)
        with engine:
            try:
                for item in plan(job, log):
                    window.append((item, _submit(engine, job, item)))
                    while len(window) > engine.slots * CHUNKS_PER_SLOT:
                        run.collect(window)
                while window:
                    run.collect(window)
            except (KeyboardInterrupt, TooManyFailures) as stop:
                if isinstance(stop, KeyboardInterrupt):
                    summary.interrupted = True
                else:
                    summary.stopped = str(stop)
                for _, future in window:
                    if future is not None:
                        future.cancel()
                engine.stop()
        summary.failed_before = log.failed if log is not None else 0
        if collector is not None and not (summary.interrupted or summary.stopped):
            collector.close()
            from .publish import publish  # noqa: PLC0415  (only a site or a book needs it)

            summary.published = publish(job)
    except StorageError as error:
        # Not a record's fault, and nothing of the record is left half-written.
        raise StorageError(f"{error}: the run stopped; free some space (or fix the permissions) and finish it with --resume") from None
    finally:
        writer.close()
        if run is not None and run.collector is not None:
            run.collector.close()
        for item, _ in window:
            if item.sink is not None:
                item.sink.close()
        summary.seconds = time.perf_counter() - started
    return summary


def plan(job: BatchJob, log: ResumeLog | None) -> Iterator[Chunk | DumpEnd]:
    """The work, in input order; records the manifest of an earlier run lists are skipped,
    once checked to be unchanged."""
    chunk = Chunk()
    inputs = InputSet(job.inputs, job.globs, job.out)
    for entry in walk(job.inputs, job.globs, job.out, follow_symlinks=job.follow_symlinks):
        if isinstance(entry, JsonlInput):
            if not chunk.empty():
                yield chunk
                chunk = Chunk()
            yield from _plan_dump(job, entry, log, inputs)
            continue
        chunk.weight += entry.size
        done = log.take(entry.key) if log is not None else None
        if done is not None:
            _check_unchanged_file(entry, done, log)
            chunk.already_done += 1
        else:
            chunk.records.append(entry)
            chunk.size += entry.size
        if chunk.full():
            yield chunk
            chunk = Chunk()
    if log is not None:
        log.check_finished()
    if not chunk.empty():
        yield chunk


def _plan_dump(job: BatchJob, dump: JsonlInput, log: ResumeLog | None, inputs: InputSet) -> Iterator[Chunk | DumpEnd]:
    output = output_path(job.out, dump.rel)
    if dump.problem is None and inputs.holds(output):
        dump = replace(dump, problem=f"refusing to write the output {dump.rel} over the input {output}")
    # A refused dump is one failed record, and has no output file at all.
    sink = JsonlSink(output, compressed=dump.compressed, protect=Path(dump.path)) if dump.problem is None else None
    chunk = Chunk(sink=sink)
    consumed = 0
    # A line may be longer than its text (JSON escapes, other fields): allow 1 MiB more.
    for record, position in dump.records(job.settings.max_bytes + (1 << 20)):
        chunk.weight += position - consumed
        consumed = position
        done = log.take(record.key) if log is not None else None
        if done is not None:
            _check_unchanged_line(job, record, done, log)
            chunk.already_done += 1
            if done.get("status") == "ok" and sink is not None:
                sink.kept += 1  # its output line is in the partial file already
        else:
            chunk.records.append(record)
            chunk.size += record.size
        if chunk.full():
            yield chunk
            chunk = Chunk(sink=sink)
    yield chunk
    if sink is not None:
        yield DumpEnd(sink)


def _check_unchanged_file(record: FileRecord, done: dict, log: ResumeLog) -> None:
    """A file the earlier run read must still be the same bytes (size first: it is free)."""
    if done.get("sha256") is None:
        return  # never read (refused, unreadable, too large): nothing of it was kept
    try:
        with open(record.link or record.path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            digest = hashlib.file_digest(stream, "sha256").hexdigest() if size == done.get("bytes") else None
    except OSError as error:
        raise UsageError(f"cannot resume: {record.path} cannot be read to check it is unchanged: {error.strerror or error}") from None
    if digest != done["sha256"]:
        _refuse_changed(record.path, log)


def _check_unchanged_line(job: BatchJob, record: LineRecord, done: dict, log: ResumeLog) -> None:
    """A JSONL record the earlier run cleaned must still hold the same text."""
    if done.get("sha256") is None or record.raw is None:
        return
    try:
        text = json.loads(record.raw).get(job.text_field)
        digest = hashlib.sha256(without_surrogates(text)[0].encode("utf-8")).hexdigest()
    except (ValueError, AttributeError, TypeError):
        digest = None
    if digest != done["sha256"]:
        _refuse_changed(f"{record.path}:{record.number}", log)


def _refuse_changed(name: str, log: ResumeLog) -> None:
    raise UsageError(f"cannot resume: {name} changed since the run being resumed cleaned it (its sha256 is not the one in {log.path}); restore it, or start again in a new --out")


def _submit(engine, job: BatchJob, item: Chunk | DumpEnd) -> Future | None:
    if isinstance(item, DumpEnd) or not item.records:
        return None
    compressed = item.sink is not None and item.sink.compressed
    return engine.submit(process_chunk, job, item.records, compressed, engine.workers_write_files)


@dataclass
class _Run:
    """What collecting a chunk needs: where to commit it, and what to count."""

    job: BatchJob
    writer: ManifestWriter
    summary: Summary
    progress: Progress
    log: ResumeLog | None
    resuming: bool
    collector: Collector | None = None

    def collect(self, window: deque) -> None:
        """Finish the oldest item: its outputs first, then what it gives the site and the
        book, then its manifest lines (the commit)."""
        item, future = window[0]
        job, summary = self.job, self.summary
        if isinstance(item, DumpEnd):
            item.sink.finish(resuming=self.resuming, fsync=job.fsync)
            window.popleft()
            return
        try:
            result = future.result() if future is not None else ChunkResult()
        except CleanerError:
            raise
        except Exception as error:
            raise WorkerError(f"a worker failed ({type(error).__name__}: {error}); finish the job with --resume") from None
        compressed = item.sink is not None and item.sink.compressed
        too_many = self._cut_at_max_errors(result, compressed)
        refused = write_files(result, fsync=job.fsync)
        if item.sink is not None:
            item.sink.append(result.output, fsync=job.fsync)
        if self.collector is not None:
            self.collector.write(b"".join(result.collected_lines()), fsync=job.fsync)
        self.writer.write(result.manifest, fsync=job.fsync)
        window.popleft()
        summary.ok += result.ok
        summary.failed += result.failed
        summary.already_done += item.already_done
        summary.bytes += result.bytes
        summary.removed.update(result.removed)
        summary.add_failures(result.failures)
        self.progress.advance(weight=item.weight, records=result.ok + result.failed + item.already_done, size=result.bytes)
        if refused is not None:
            raise refused
        if too_many is not None:
            raise too_many

    def _cut_at_max_errors(self, result: ChunkResult, compressed: bool) -> TooManyFailures | None:
        """When this chunk brings the run's failures to --max-errors, keep the chunk up to
        that failure and return the error that stops the run."""
        limit = self.job.max_errors
        before = self.summary.failed + (self.log.failed if self.log is not None else 0)
        if not limit or not result.failed or before + result.failed < limit:
            return None
        failures = [index for index, line in enumerate(result.lines) if json.loads(line)["status"] == "error"]
        result.keep(failures[max(0, limit - before - 1)] + 1, compressed=compressed)
        manifest_path = self.job.out / MANIFEST_NAME
        return TooManyFailures(
            f"stopped after {before + result.failed:,} failed records (--max-errors {limit:,}): they are listed in {manifest_path}; "
            "fix the inputs, or raise --max-errors (0: no limit) and finish with --resume"
        )


def _settings(job: BatchJob) -> dict:
    """What shapes the outputs: a resumed run must use the same, or its outputs would mix."""
    return {
        "formats": [fmt.value for fmt in job.formats],
        "globs": list(job.globs),
        "text_field": job.text_field,
        "id_field": job.id_field,
        "body_only": job.body_only,
        "disable": sorted(job.settings.disable),
        "max_bytes": job.settings.max_bytes,
        "fix_mojibake": job.settings.fix_mojibake,
        "follow_symlinks": job.follow_symlinks,
        "rules": [hashlib.sha256(pack.text.encode("utf-8")).hexdigest() for pack in job.settings.packs],
        "memory": None if job.settings.memory is None else hashlib.sha256(job.settings.memory.text.encode("utf-8")).hexdigest(),
        "template_dir": None if job.render.template_dir is None else str(job.render.template_dir),
        "css": None if job.render.stylesheet is None else hashlib.sha256(job.render.stylesheet.encode("utf-8")).hexdigest(),
        "front_matter": job.render.front_matter,
        "with_model": job.with_model,
        "site": job.site,
        "book": None if job.book is None else str(job.book),
        "collection_title": job.collection_title,
    }


def _check_settings(job: BatchJob, resuming: bool) -> None:
    path = job.out / SETTINGS_NAME
    settings = _settings(job)
    if resuming and path.exists():
        try:
            earlier = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            earlier = settings  # unreadable: nothing to compare with
        changed = sorted(key for key in settings if earlier.get(key, _DEFAULTS.get(key)) != settings[key])
        if changed:
            raise UsageError(f"cannot resume: {', '.join(changed)} differ from the run being resumed (see {path}); use the same options")
    write_atomic(path, json.dumps(settings, indent=2) + "\n")


#: Settings an earlier version did not record, as it behaved.
_DEFAULTS = {"memory": None, "follow_symlinks": False, "template_dir": None, "css": None, "front_matter": False, "with_model": False, "site": False, "book": None, "collection_title": None}


def _prepare_out(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create {out}: {error.strerror or error}") from None
    return out / MANIFEST_NAME
