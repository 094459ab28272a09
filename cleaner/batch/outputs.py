"""Where outputs go, and the two ways they are written without ever leaving a partial file.

Per-file outputs are written with ``cleaner.io.write_atomic`` (by the parent with the
local engines, by the workers with Dask; see ``worker.write_files``). A JSONL
dump's output grows record by record in a hidden ``.NAME.partial`` file beside its final
name, and is renamed to that name once the dump is finished; ``--resume`` trims the partial
file back to the records the manifest lists as done and carries on appending.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from ..errors import OutputError
from ..io import NAME_MAX, sync_directory, temporary_prefix, write_error

# write_atomic's temporaries: ".NAME.<8 random characters>.tmp" (tempfile.mkstemp).
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
# Path separators in ``rel``. On POSIX a backslash or a colon is an ordinary character of a
# file name: splitting on it, or replacing it, would give "sub\\z.txt" the outputs of
# "sub/z.txt" and "x:y.txt" those of "x_y.txt". Windows names hold neither.
_SEPARATORS = re.compile(r"[\\/]+" if os.name == "nt" else r"/+")


def output_path(out: Path, rel: str, suffix: str | None = None) -> Path:
    """``out/rel`` (with ``suffix`` replacing the file's own), never outside ``out``.

    Distinct paths of input files map to distinct output paths, but for their suffix
    (``a.txt`` and ``a.text`` both give ``a.md``: ``sources.walk`` refuses the second);
    a ``.gz`` is looked through (``a.html.gz`` gives ``a.md`` too).
    '..', empty parts and NUL bytes are dropped (and on Windows, drive letters), so that
    even a hostile ``rel`` gives a path inside ``out``.
    """
    parts = [part.replace("\0", "") for part in _SEPARATORS.split(rel)]
    if os.name == "nt":
        parts = [part.replace(":", "_") for part in parts]
    parts = [part for part in parts if part not in ("", ".", "..")]
    if not parts:
        parts = ["_"]
    relative = PurePosixPath(*parts)
    if suffix is not None:
        if relative.suffix.lower() == ".gz" and PurePosixPath(relative.stem).suffix:
            relative = relative.with_suffix("")
        relative = relative.with_suffix(suffix) if relative.suffix else relative.with_name(relative.name + suffix)
    return out.joinpath(*relative.parts)


def output_stem(rel: str) -> str:
    """What names a file's outputs (``output_path`` without the suffix): two inputs of a
    run with the same stem would write the same outputs."""
    return output_path(Path(), rel, ".x").as_posix()[: -len(".x")]


def _partial_name(name: str) -> str:
    """``.NAME.partial``, or for a name too long for that, a cut name made unique (and
    the same on every run, for --resume) by a digest of the whole."""
    partial = f".{name}.partial"
    if len(os.fsencode(partial)) <= NAME_MAX:
        return partial
    digest = hashlib.sha256(os.fsencode(name)).hexdigest()[:16]
    return temporary_prefix(name, reserved=len(f"~{digest}.partial"))[:-1] + f"~{digest}.partial"


def remove_stray_temporaries(out: Path) -> int:
    """Delete the temporary files a killed run left behind; returns how many."""
    removed = 0
    for directory, _, names in os.walk(out):
        for name in names:
            if _TEMPORARY.match(name):
                try:
                    os.unlink(os.path.join(directory, name))
                    removed += 1
                except OSError:
                    pass
    return removed


class JsonlSink:
    """The output of one JSONL dump: appended in input order, renamed into place when done.

    ``kept`` is the number of records of this dump an earlier run already wrote (the
    manifest says so); on resume the partial file is cut back to exactly those.
    Gzip output is a series of gzip members (each chunk compressed by its worker), which
    every gzip reader reads as one stream.
    """

    def __init__(self, path: Path, *, compressed: bool, protect: Path) -> None:
        self.path = path
        self.compressed = compressed
        self.protect = protect
        self.partial = path.with_name(_partial_name(path.name))
        self.kept = 0
        self._stream = None

    def append(self, blob: bytes, *, fsync: bool = False) -> None:
        """Add a chunk's records; with ``fsync``, on the disk before its manifest lines."""
        # Opened at the first record to write: on resume, by then ``kept`` is final (the
        # records done before come first in the input).
        if not blob:
            return
        if self._stream is None:
            self._open()
        try:
            self._stream.write(blob)
            self._stream.flush()
            if fsync:
                os.fsync(self._stream.fileno())
        except OSError as error:
            raise write_error(self.partial, error) from None

    def finish(self, *, resuming: bool, fsync: bool = False) -> None:
        """Rename the finished output into place (after the last chunk's manifest lines)."""
        if self._stream is None:
            if resuming and self.path.exists() and not self.partial.exists():
                return  # finished by the earlier run
            self._open()
        try:
            if fsync:
                os.fsync(self._stream.fileno())
            self._stream.close()
            os.replace(self.partial, self.path)
        except OSError as error:
            raise write_error(self.path, error) from None
        if fsync:
            sync_directory(self.path.parent)

    def close(self) -> None:
        """Stop without finishing (interrupted): the partial file stays for --resume."""
        if self._stream is not None:
            try:
                self._stream.close()
            except OSError:
                pass  # what could not be flushed is not in the manifest: --resume redoes it

    def _open(self) -> None:
        if self.path.resolve() == self.protect.resolve():
            raise OutputError(f"refusing to write the output over the input {self.protect}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.kept or self.partial.exists():
                self._trim_partial()
            self._stream = open(self.partial, "ab")
        except OSError as error:
            raise write_error(self.partial, error) from None

    def _trim_partial(self) -> None:
        """Keep the first ``kept`` complete records of the partial file, drop the rest (streaming)."""
        if not self.partial.exists():
            raise OutputError(f"cannot resume: {self.partial} is missing, but the manifest lists {self.kept} of its records as done")
        handle, temporary = tempfile.mkstemp(prefix=temporary_prefix(self.partial.name), suffix=".tmp", dir=self.partial.parent)
        copied = 0
        try:
            with (gzip.open if self.compressed else open)(self.partial, "rb") as source, os.fdopen(handle, "wb") as file, (
                gzip.GzipFile(fileobj=file, mode="wb", mtime=0) if self.compressed else file
            ) as target:
                try:
                    for line in source:
                        if copied == self.kept or not line.endswith(b"\n"):
                            break
                        target.write(line)
                        copied += 1
                except (OSError, EOFError, zlib.error):
                    pass  # a gzip member cut short by the crash: its records are not in the manifest
            if copied < self.kept:
                raise OutputError(f"cannot resume: {self.partial} holds {copied} records, the manifest lists {self.kept}")
            os.replace(temporary, self.partial)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
