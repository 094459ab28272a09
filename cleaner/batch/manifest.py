"""``DIR/manifest.jsonl``: one line per record, written by the parent in input order.

A line reads::

    {"id": "a/b.txt", "input": "corpus/a/b.txt", "line": null, "status": "ok", "error": null,
     "outputs": ["a/b.md"], "removed": {"blank": 12, "caption": 3}, "bytes": 5120, "sha256": "…"}

``line`` is the line number for a JSONL record (``input`` is then the dump). A record
read through a symbolic link has ``"link"``, the file read. A line is appended and
flushed only after the record's outputs exist, so the manifest is the record of what is
done. Because it is written in input order, what a killed run finished is a prefix of the
work: ``--resume`` walks the inputs and the manifest side by side, skips the records the
manifest lists (after checking that each input is still the one cleaned: same size and
sha256), and needs no memory for them.

One run at a time: the run holds an exclusive lock on the manifest (``flock``, released
by the system however the process ends), and a second run in the same ``--out`` is
refused instead of interleaving its lines with the first's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import UsageError
from ..io import write_error

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: runs are not locked
    fcntl = None

MANIFEST_NAME = "manifest.jsonl"
#: Ids are data and may be huge (a 30 MB "id" field): the manifest keeps their start.
MAX_ID_CHARS = 1000

Key = tuple[str, int | None]


def entry(
    record_id: str,
    key: Key,
    status: str,
    *,
    error: str | None = None,
    outputs: list[str] = (),
    removed: dict[str, int] | None = None,
    size: int | None = None,
    sha256: str | None = None,
    link: str | None = None,
) -> bytes:
    """One manifest line, as bytes ready to append."""
    if len(record_id) > MAX_ID_CHARS:
        record_id = record_id[:MAX_ID_CHARS] + "…"
    data = {
        "id": record_id,
        "input": key[0],
        "line": key[1],
        "status": status,
        "error": error,
        "outputs": list(outputs),
        "removed": removed or {},
        "bytes": size,
        "sha256": sha256,
    }
    if link is not None:
        data["link"] = link
    try:
        return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        # A file name that is not UTF-8 (its bytes are surrogate escapes in a str): kept
        # as JSON escapes, which read back to the same str, so --resume still finds it.
        return json.dumps(data).encode("ascii") + b"\n"


class ManifestWriter:
    """Appends lines and flushes them: a killed process loses at most the line being written.

    Opening it takes the run's lock. ``fresh``: a new run, which must create the manifest
    (one already there is an earlier run's, to be resumed, not appended to)."""

    def __init__(self, path: Path, *, fresh: bool) -> None:
        self.path = path
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | (os.O_EXCL if fresh else 0)
        try:
            handle = os.open(path, flags, 0o666)
        except FileExistsError:
            _refuse_if_locked(path)
            raise UsageError(f"{path.parent} already holds a batch ({MANIFEST_NAME}): add --resume to finish it, or choose another --out") from None
        except OSError as error:
            raise write_error(path, error) from None
        try:
            _lock(handle, path)
            _drop_unfinished_line(path)
        except BaseException:
            os.close(handle)
            raise
        self._stream = os.fdopen(handle, "ab")

    def write(self, lines: bytes, *, fsync: bool = False) -> None:
        if lines:
            try:
                self._stream.write(lines)
                self._stream.flush()
                if fsync:
                    os.fsync(self._stream.fileno())
            except OSError as error:
                raise write_error(self.path, error) from None

    def close(self) -> None:
        """Close, and so release the lock (a line that could not be flushed is cut off by --resume)."""
        try:
            self._stream.close()
        except OSError:
            pass


def _lock(handle: int, path: Path) -> None:
    if fcntl is None:
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise UsageError(f"another cleaner batch is running in {path.parent} (it holds the lock on {path}): wait for it to finish, or choose another --out") from None
    except OSError:
        pass  # a file system without locks (some network mounts): run unlocked


def _refuse_if_locked(path: Path) -> None:
    """A manifest that exists may be an earlier run's, or a running one's: say which."""
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        _lock(handle, path)
    finally:
        os.close(handle)


def _drop_unfinished_line(path: Path) -> None:
    """A kill in the middle of a write leaves a line without its newline: cut it off."""
    if not path.exists():
        return
    with open(path, "rb+") as stream:
        size = stream.seek(0, os.SEEK_END)
        end = size
        while end > 0:
            step = min(65536, end)
            stream.seek(end - step)
            block = stream.read(step)
            newline = block.rfind(b"\n")
            if newline >= 0:
                end = end - step + newline + 1
                break
            end -= step
        if end != size:
            stream.truncate(end)


class ResumeLog:
    """The manifest of an earlier run, read alongside the new walk of the inputs.

    ``take(key)`` answers "was this record done?": the manifest's next line must be that
    record (then it is consumed and returned) or the manifest must be used up (None: the
    record is new). Anything else means the inputs changed since that run. ``failed``
    counts the records taken that the earlier run listed as failed.
    """

    def __init__(self, path: Path, end: int) -> None:
        self.path = path
        self.failed = 0
        self._lines = self._read(end)
        self._next = next(self._lines, None)

    def _read(self, end: int) -> Iterator[tuple[int, dict]]:
        """The lines in the first ``end`` bytes: the earlier run's (this run appends after them)."""
        consumed = 0
        with open(self.path, "rb") as stream:
            for number, line in enumerate(stream, 1):
                consumed += len(line)
                if consumed > end or not line.endswith(b"\n"):
                    return
                try:
                    yield number, json.loads(line)
                except ValueError:
                    raise UsageError(f"cannot resume: line {number} of {self.path} is not valid JSON") from None

    def take(self, key: Key) -> dict | None:
        if self._next is None:
            return None
        number, data = self._next
        if (data.get("input"), data.get("line")) != key:
            found = f"{data.get('input')}" + (f":{data['line']}" if data.get("line") else "")
            wanted = key[0] + (f":{key[1]}" if key[1] else "")
            raise UsageError(
                f"cannot resume: line {number} of {self.path} is for {found}, but the inputs now give {wanted} there; "
                "run with the same INPUTs and --glob as before, or start again in a new --out"
            )
        self._next = next(self._lines, None)
        if data.get("status") != "ok":
            self.failed += 1
        return data

    def check_finished(self) -> None:
        """After the walk: every line of the earlier run was met again (else an input it cleaned is gone)."""
        if self._next is not None:
            number, data = self._next
            found = f"{data.get('input')}" + (f":{data['line']}" if data.get("line") else "")
            raise UsageError(
                f"cannot resume: {found} (line {number} of {self.path}) is no longer among the inputs; "
                "restore it, or start again in a new --out"
            )

    @property
    def exhausted(self) -> bool:
        return self._next is None
