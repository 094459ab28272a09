"""Walking the inputs: files, directory trees and JSONL dumps, streamed in a stable order.

Every record gets a path relative to the inputs' common directory (``rel``): a file's
outputs and a JSONL dump's output file sit at that place under ``--out``. A directory
given alone maps its own contents there (``corpus/a/b.txt`` gives ``DIR/a/b.md``);
several inputs keep their names (``corpus1/…``, ``corpus2/…``).

Nothing here holds the corpus: files are yielded one by one, and JSONL lines are read
with a length limit, so a runaway line becomes one error record instead of a memory spike.

What the walk refuses becomes a record with a ``problem`` (listed as failed, never read):
a symbolic link to a file outside the input tree (``/etc/shadow``), unless the run
follows them; a file whose outputs would be another's (``a.txt`` and ``a.text`` both
give ``a.md``; only the first in name order is cleaned). ``InputSet`` answers the other
half: whether a path an output would take is an input of the run.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..errors import InputError, UsageError
from .manifest import MANIFEST_NAME
from .outputs import output_stem

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One article file. ``rel`` is its id and where its outputs go. ``link`` is the file a
    symbolic link points to (read instead of the link, which is never followed again);
    ``problem``, why the file is refused unread."""

    path: str
    rel: str
    size: int
    link: str | None = None
    problem: str | None = None

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
    """A JSONL dump (plain or gzip) whose lines are records (``link`` and ``problem`` as for
    ``FileRecord``: a refused dump is one failed record)."""

    path: str
    rel: str
    size: int
    link: str | None = None
    problem: str | None = None

    @property
    def compressed(self) -> bool:
        return self.path.endswith(".gz")

    def records(self, max_line: int) -> Iterator[tuple[LineRecord, int]]:
        """Each non-blank line, with the input bytes consumed so far (compressed, for .gz).

        A line longer than ``max_line`` is skipped unread; a dump that cannot be read to
        its end (a truncated .gz) ends with one record saying so.
        """
        if self.problem is not None:
            yield LineRecord(self.path, self.rel, 1, None, 0, self.problem), 0
            return
        try:
            raw = open(self.link or self.path, "rb")
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


def walk(inputs: tuple[Path, ...], globs: tuple[str, ...], exclude: Path, *, follow_symlinks: bool = False) -> Iterator[FileRecord | JsonlInput]:
    """Every input in a stable order: files and dumps as given, directories depth first by name.

    ``exclude`` (the output directory) is never walked into, so ``--out`` may sit inside an
    input, and its manifest is never an input. Hidden files and directories are skipped,
    and symbolic links to directories not followed; a link to a file is followed when the
    file lies in an input directory, or with ``follow_symlinks`` (else it is refused).
    """
    base = check_inputs(inputs)
    excluded = os.path.abspath(exclude)
    walker = _Walk(globs, excluded, os.path.join(excluded, MANIFEST_NAME), _trees(inputs), follow_symlinks)
    stems: dict[str, str] = {}
    for given in inputs:
        rel = os.path.relpath(os.path.abspath(given), base).replace(os.sep, "/")
        if os.path.isdir(given):
            yield from walker.directory(str(given), "" if rel == "." else rel)
        else:
            # Given by name: read even through a link (the user chose it), but its outputs
            # must not be another given file's (a.txt and a.text in one directory).
            yield _entry(str(given), rel, os.path.getsize(given), problem=_shared_outputs(rel, stems))


@dataclass(frozen=True)
class _Walk:
    globs: tuple[str, ...]
    excluded: str
    manifest: str
    trees: tuple[str, ...]
    follow_symlinks: bool

    def directory(self, directory: str, rel: str) -> Iterator[FileRecord | JsonlInput]:
        files: list[tuple[str, bool]] = []
        subdirectories: list[str] = []
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        subdirectories.append(entry.name)
                    elif entry.is_file():
                        files.append((entry.name, entry.is_symlink()))
        except OSError as error:
            raise InputError(f"{directory}: cannot list: {error.strerror or error}") from None
        # Only names are kept, sorted, so that a resumed run meets the records in the same order.
        stems: dict[str, str] = {}
        for name, is_link in sorted(files):
            child_rel = f"{rel}/{name}" if rel else name
            child = os.path.join(directory, name)
            if not any(PurePosixPath(child_rel).match(pattern) for pattern in self.globs) or os.path.abspath(child) == self.manifest:
                continue
            link = os.path.realpath(child) if is_link else None
            problem = _shared_outputs(child_rel, stems)
            if link is not None and problem is None and not self.follow_symlinks and not _inside_any(link, self.trees):
                problem = f"a symbolic link to {link}, outside the input tree: not read (--follow-symlinks reads it)"
            try:
                size = os.path.getsize(child) if problem is None else 0
            except OSError:
                size = 0  # vanished or unreadable: the worker reports it as a failed record
            yield _entry(child, child_rel, size, link=link, problem=problem)
        for name in sorted(subdirectories):
            child = os.path.join(directory, name)
            if os.path.abspath(child) != self.excluded:
                yield from self.directory(child, f"{rel}/{name}" if rel else name)


def _shared_outputs(rel: str, stems: dict[str, str]) -> str | None:
    """Why a file must not be cleaned when one before it in the same directory (in
    ``stems``) already writes the outputs its name gives; None, and noted, when it is free."""
    if is_jsonl(rel):
        return None  # a dump's output keeps the dump's own name
    stem = output_stem(rel)
    first = stems.setdefault(stem, rel)
    if first == rel:
        return None
    return f"its outputs ({PurePosixPath(stem).name}.*) would be those of {PurePosixPath(first).name}: rename one of them, or narrow --glob"


def _trees(inputs: tuple[Path, ...]) -> tuple[str, ...]:
    return tuple(os.path.realpath(path) for path in inputs if os.path.isdir(path))


def _inside(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _inside_any(path: str, directories: tuple[str, ...]) -> bool:
    return any(_inside(path, directory) for directory in directories)


def _entry(path: str, rel: str, size: int, *, link: str | None = None, problem: str | None = None) -> FileRecord | JsonlInput:
    kind = JsonlInput if is_jsonl(path) else FileRecord
    return kind(path, rel, size, link, problem)


def total_size(inputs: tuple[Path, ...], globs: tuple[str, ...], exclude: Path) -> int:
    """Bytes on disk of everything ``walk`` yields: the progress bar's total."""
    return sum(entry.size for entry in walk(inputs, globs, exclude))


class InputSet:
    """The inputs of a run, as a question about a path: would the walk read the file
    there? Asked of every output before it is written (an output must never replace an
    input, nor appear where a resumed run would walk it as a new one), whether or not
    the file exists yet; memory does not grow with the corpus."""

    def __init__(self, inputs: tuple[Path, ...], globs: tuple[str, ...], out: Path | None) -> None:
        """``out``: the run's output directory, which the walk never enters (None: a run
        without one, such as ``learn``, whose one output file must be no input at all)."""
        base = check_inputs(inputs)
        self.globs = globs
        self.out = None if out is None else os.path.realpath(out)
        self.files: set[str] = set()
        self.directories: list[tuple[str, str]] = []  # (real path, its rel prefix)
        for given in inputs:
            rel = os.path.relpath(os.path.abspath(given), base).replace(os.sep, "/")
            if os.path.isdir(given):
                self.directories.append((os.path.realpath(given), "" if rel == "." else rel))
            else:
                self.files.add(os.path.realpath(given))

    def holds(self, path: Path) -> bool:
        real = _real_path(str(path))
        if real in self.files:
            return True
        for directory, prefix in self.directories:
            if real == directory or not _inside(real, directory):
                continue
            if self.out is not None and self.out != directory and _inside(self.out, directory) and _inside(real, self.out):
                continue  # --out inside this input: the walk never enters it
            parts = os.path.relpath(real, directory).split(os.sep)
            if any(part.startswith(".") for part in parts):
                continue
            rel = "/".join([prefix, *parts] if prefix else parts)
            if any(PurePosixPath(rel).match(pattern) for pattern in self.globs):
                return True
        return False


def _real_path(path: str) -> str:
    """``os.path.realpath``, with the directory part cached (outputs share few
    directories). A file that is itself a link is resolved: an output must not be a link
    to an input either."""
    directory, name = os.path.split(os.path.abspath(path))
    real = os.path.join(_real_directory(directory), name)
    return os.path.realpath(real) if os.path.islink(real) else real


@lru_cache(maxsize=4096)
def _real_directory(directory: str) -> str:
    return os.path.realpath(directory)
