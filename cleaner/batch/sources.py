"""Walking the inputs: files, directory trees and JSONL dumps, streamed in a stable order.

Every record gets a path relative to the inputs' common directory (``rel``): a file's
outputs and a JSONL dump's output file sit at that place under ``--out``. A directory
given alone maps its own contents there (``corpus/a/b.txt`` gives ``DIR/a/b.md``);
several inputs keep their names (``corpus1/…``, ``corpus2/…``).

Nothing here holds the corpus: files are yielded one by one, and JSONL lines are read
with a length limit, so a runaway line becomes one error record instead of a memory spike.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..errors import InputError, UsageError

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One article file. ``rel`` is its id and where its outputs go."""

    path: str
    rel: str
    size: int

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.path, None)


@dataclass(frozen=True, slots=True)
class LineRecord:
    """One line of a JSONL dump; when it could not be read, ``raw`` is None and ``problem`` says why."""

    path: str
    rel: str  # the dump's relative path: its output file, and the fallback id prefix
    number: int
    raw: bytes | None
    size: int
    problem: str | None = None

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.path, self.number)


@dataclass(frozen=True, slots=True)
class JsonlInput:
    """A JSONL dump (plain or gzip) whose lines are records."""

    path: str
    rel: str
    size: int

    @property
    def compressed(self) -> bool:
        return self.path.endswith(".gz")

    def records(self, max_line: int) -> Iterator[tuple[LineRecord, int]]:
        """Each non-blank line, with the input bytes consumed so far (compressed, for .gz).

        A line longer than ``max_line`` is skipped unread; a dump that cannot be read to
        its end (a truncated .gz) ends with one record saying so.
        """
        try:
            raw = open(self.path, "rb")
        except OSError as error:
            yield LineRecord(self.path, self.rel, 1, None, 0, f"cannot read: {error.strerror or error}"), 0
            return
        with raw:
            stream: BinaryIO = gzip.GzipFile(fileobj=raw) if self.compressed else raw
            number = 0
            while True:
                try:
                    line = stream.readline(max_line)
                    if len(line) == max_line and not line.endswith(b"\n"):
                        skipped = _skip_rest_of_line(stream, max_line)
                        problem = f"line is longer than the limit of {max_line:,} bytes (raise it with --max-bytes)"
                        yield LineRecord(self.path, self.rel, number + 1, None, max_line + skipped, problem), raw.tell()
                        number += 1
                        continue
                except (OSError, EOFError, zlib.error) as error:  # a truncated or corrupt .gz
                    yield LineRecord(self.path, self.rel, number + 1, None, 0, f"cannot read past line {number}: {error}"), raw.tell()
                    return
                if not line:
                    return
                number += 1
                if line.strip():
                    yield LineRecord(self.path, self.rel, number, line, len(line)), raw.tell()


def _skip_rest_of_line(stream: BinaryIO, block: int) -> int:
    skipped = 0
    while True:
        piece = stream.readline(block)
        skipped += len(piece)
        if not piece or piece.endswith(b"\n"):
            return skipped


def is_jsonl(name: str) -> bool:
    return name.lower().endswith(JSONL_SUFFIXES)


def check_inputs(inputs: tuple[Path, ...]) -> Path:
    """Refuse missing or overlapping inputs up front; return the inputs' common directory."""
    if not inputs:
        raise UsageError("no INPUT given")
    absolute = [Path(os.path.abspath(path)) for path in inputs]
    directories = set()
    for given, path in zip(inputs, absolute):
        if not path.exists():
            raise InputError(f"{given}: no such file or directory")
        if path.is_dir():
            directories.add(path)
    seen = set()
    for given, path in zip(inputs, absolute):
        if path in seen or any(parent in directories for parent in path.parents):
            raise UsageError(f"{given} is given twice (directly or inside another INPUT)")
        seen.add(path)
    anchors = [str(path if path.is_dir() else path.parent) for path in absolute]
    return Path(os.path.commonpath(anchors))


def walk(inputs: tuple[Path, ...], globs: tuple[str, ...], exclude: Path) -> Iterator[FileRecord | JsonlInput]:
    """Every input in a stable order: files and dumps as given, directories depth first by name.

    ``exclude`` (the output directory) is never walked into, so ``--out`` may sit inside an input.
    Hidden files and directories are skipped, and symbolic links to directories not followed.
    """
    base = check_inputs(inputs)
    excluded = os.path.abspath(exclude)
    for given in inputs:
        rel = os.path.relpath(os.path.abspath(given), base).replace(os.sep, "/")
        if os.path.isdir(given):
            yield from _walk_directory(str(given), "" if rel == "." else rel, globs, excluded)
        else:
            yield _entry(str(given), rel, os.path.getsize(given))


def _walk_directory(directory: str, rel: str, globs: tuple[str, ...], excluded: str) -> Iterator[FileRecord | JsonlInput]:
    files: list[str] = []
    subdirectories: list[str] = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    subdirectories.append(entry.name)
                elif entry.is_file():
                    files.append(entry.name)
    except OSError as error:
        raise InputError(f"{directory}: cannot list: {error.strerror or error}") from None
    # Only names are kept, sorted, so that a resumed run meets the records in the same order.
    for name in sorted(files):
        child_rel = f"{rel}/{name}" if rel else name
        if any(PurePosixPath(child_rel).match(pattern) for pattern in globs):
            child = os.path.join(directory, name)
            try:
                size = os.path.getsize(child)
            except OSError:
                size = 0  # vanished or unreadable: the worker reports it as a failed record
            yield _entry(child, child_rel, size)
    for name in sorted(subdirectories):
        child = os.path.join(directory, name)
        if os.path.abspath(child) != excluded:
            yield from _walk_directory(child, f"{rel}/{name}" if rel else name, globs, excluded)


def _entry(path: str, rel: str, size: int) -> FileRecord | JsonlInput:
    return JsonlInput(path, rel, size) if is_jsonl(path) else FileRecord(path, rel, size)


def total_size(inputs: tuple[Path, ...], globs: tuple[str, ...], exclude: Path) -> int:
    """Bytes on disk of everything ``walk`` yields: the progress bar's total."""
    return sum(entry.size for entry in walk(inputs, globs, exclude))
