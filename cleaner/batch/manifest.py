"""``DIR/manifest.jsonl``: one line per record, written by the parent in input order.

A line reads::

    {"id": "a/b.txt", "input": "corpus/a/b.txt", "line": null, "status": "ok", "error": null,
     "outputs": ["a/b.md"], "removed": {"blank": 12, "caption": 3}, "bytes": 5120, "sha256": "…"}

``line`` is the line number for a JSONL record (``input`` is then the dump). A line is
appended and flushed only after the record's outputs exist, so the manifest is the
record of what is done. Because it is written in input order, what a killed run finished
is a prefix of the work: ``--resume`` walks the inputs and the manifest side by side,
skips the records the manifest lists, and needs no memory for them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import UsageError

MANIFEST_NAME = "manifest.jsonl"

Key = tuple[str, int | None]


def entry(record_id: str, key: Key, status: str, *, error: str | None = None, outputs: list[str] = (), removed: dict[str, int] | None = None, size: int | None = None, sha256: str | None = None) -> bytes:
    """One manifest line, as bytes ready to append."""
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
    return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"


class ManifestWriter:
    """Appends lines and flushes them: a killed process loses at most the line being written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        _drop_unfinished_line(path)
        self._stream = open(path, "ab")

    def write(self, lines: bytes) -> None:
        if lines:
            self._stream.write(lines)
            self._stream.flush()

    def close(self) -> None:
        self._stream.close()


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
    record (then it is consumed and its status returned) or the manifest must be used up
    (None: the record is new). Anything else means the inputs changed since that run.
    """

    def __init__(self, path: Path, end: int) -> None:
        self.path = path
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

    def take(self, key: Key) -> str | None:
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
        return data.get("status")

    @property
    def exhausted(self) -> bool:
        return self._next is None
