"""The batch driver: walk the inputs into chunks, keep a bounded window of them at work
on an engine, and collect the results strictly in input order.

Collecting in order is what makes the manifest a prefix of the work (so ``--resume``
needs no memory) and JSONL outputs keep their input's order; the window keeps memory
flat, whatever the corpus size, while every worker stays busy.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CleanerError, OutputError, UsageError
from ..io import write_atomic
from .job import BatchJob, Summary
from .manifest import MANIFEST_NAME, ManifestWriter, ResumeLog
from .outputs import JsonlSink, output_path, remove_stray_temporaries
from .sources import FileRecord, JsonlInput, LineRecord, walk
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


def run_batch(job: BatchJob, engine, *, resume: bool = False, progress: Progress | None = None) -> Summary:
    """Run ``job`` on ``engine`` (``InlineEngine``, ``ProcessEngine`` or ``DaskEngine``)."""
    progress = progress or Progress()
    manifest_path = _prepare_out(job.out, resume)
    resuming = resume and manifest_path.exists()
    if resume:
        remove_stray_temporaries(job.out)
    _check_settings(job, resuming)
    summary = Summary()
    started = time.perf_counter()
    writer = ManifestWriter(manifest_path)  # cuts off a line a kill left unfinished
    log = ResumeLog(manifest_path, end=manifest_path.stat().st_size) if resuming else None
    window: deque[tuple[Chunk | DumpEnd, Future | None]] = deque()
    try:
        with engine:
            try:
                for item in plan(job, log):
                    window.append((item, _submit(engine, job, item)))
                    while len(window) > engine.slots * CHUNKS_PER_SLOT:
                        _collect(window, writer, summary, progress, resuming)
                while window:
                    _collect(window, writer, summary, progress, resuming)
            except KeyboardInterrupt:
                summary.interrupted = True
                for _, future in window:
                    if future is not None:
                        future.cancel()
                engine.stop()
    finally:
        writer.close()
        for item, _ in window:
            if item.sink is not None:
                item.sink.close()
        summary.seconds = time.perf_counter() - started
    return summary


def plan(job: BatchJob, log: ResumeLog | None) -> Iterator[Chunk | DumpEnd]:
    """The work, in input order; records the manifest of an earlier run lists are skipped."""
    chunk = Chunk()
    for entry in walk(job.inputs, job.globs, job.out):
        if isinstance(entry, JsonlInput):
            if not chunk.empty():
                yield chunk
                chunk = Chunk()
            yield from _plan_dump(job, entry, log)
            continue
        chunk.weight += entry.size
        if log is not None and log.take(entry.key) is not None:
            chunk.already_done += 1
        else:
            chunk.records.append(entry)
            chunk.size += entry.size
        if chunk.full():
            yield chunk
            chunk = Chunk()
    if not chunk.empty():
        yield chunk


def _plan_dump(job: BatchJob, dump: JsonlInput, log: ResumeLog | None) -> Iterator[Chunk | DumpEnd]:
    sink = JsonlSink(output_path(job.out, dump.rel), compressed=dump.compressed, protect=Path(dump.path))
    chunk = Chunk(sink=sink)
    consumed = 0
    # A line may be longer than its text (JSON escapes, other fields): allow 1 MiB more.
    for record, position in dump.records(job.settings.max_bytes + (1 << 20)):
        chunk.weight += position - consumed
        consumed = position
        status = log.take(record.key) if log is not None else None
        if status is not None:
            chunk.already_done += 1
            if status == "ok":
                sink.kept += 1  # its output line is in the partial file already
        else:
            chunk.records.append(record)
            chunk.size += record.size
        if chunk.full():
            yield chunk
            chunk = Chunk(sink=sink)
    yield chunk
    yield DumpEnd(sink)


def _submit(engine, job: BatchJob, item: Chunk | DumpEnd) -> Future | None:
    if isinstance(item, DumpEnd) or not item.records:
        return None
    compressed = item.sink is not None and item.sink.compressed
    return engine.submit(process_chunk, job, item.records, compressed, engine.workers_write_files)


def _collect(window: deque, writer: ManifestWriter, summary: Summary, progress: Progress, resuming: bool) -> None:
    """Finish the oldest item: its outputs first, then its manifest lines (the commit)."""
    item, future = window[0]
    if isinstance(item, DumpEnd):
        item.sink.finish(resuming=resuming)
        window.popleft()
        return
    try:
        result = future.result() if future is not None else ChunkResult()
    except CleanerError:
        raise
    except Exception as error:
        raise WorkerError(f"a worker failed ({type(error).__name__}: {error}); finish the job with --resume") from None
    write_files(result)
    if item.sink is not None:
        item.sink.append(result.output)
    writer.write(result.manifest)
    window.popleft()
    summary.ok += result.ok
    summary.failed += result.failed
    summary.already_done += item.already_done
    summary.bytes += result.bytes
    summary.removed.update(result.removed)
    summary.add_failures(result.failures)
    progress.advance(weight=item.weight, records=result.ok + result.failed + item.already_done, size=result.bytes)


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
        "rules": [hashlib.sha256(pack.text.encode("utf-8")).hexdigest() for pack in job.settings.packs],
    }


def _check_settings(job: BatchJob, resuming: bool) -> None:
    path = job.out / SETTINGS_NAME
    settings = _settings(job)
    if resuming and path.exists():
        try:
            earlier = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            earlier = settings  # unreadable: nothing to compare with
        changed = sorted(key for key in settings if earlier.get(key) != settings[key])
        if changed:
            raise UsageError(f"cannot resume: {', '.join(changed)} differ from the run being resumed (see {path}); use the same options")
    write_atomic(path, json.dumps(settings, indent=2) + "\n")


def _prepare_out(out: Path, resume: bool) -> Path:
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create {out}: {error.strerror or error}") from None
    manifest_path = out / MANIFEST_NAME
    if manifest_path.exists() and not resume:
        raise UsageError(f"{out} already holds a batch ({MANIFEST_NAME}): add --resume to finish it, or choose another --out")
    return manifest_path
