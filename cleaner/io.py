"""Reading inputs and writing outputs safely: clear errors, atomic writes, never over the input."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from .errors import InputError, InputTooLargeError, OutputError


def read_input(name: str | Path, max_bytes: int) -> bytes:
    """The bytes of a file, or of standard input for '-', refusing more than ``max_bytes``."""
    if str(name) == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        origin = "standard input"
    else:
        path = Path(name)
        try:
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{path}: is a directory (use 'cleaner batch' for directories)") from None
        except PermissionError:
            raise InputError(f"{path}: permission denied") from None
        except OSError as error:
            raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
        origin = str(path)
    if len(data) > max_bytes:
        raise InputTooLargeError(f"{origin} is larger than the limit of {max_bytes:,} bytes (raise it with --max-bytes)")
    return data


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


def write_atomic(path: Path, content: str | bytes, *, protect: Path | None = None) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename, so that a
    reader never sees a partial file. Refuses to write over ``protect`` (the input)."""
    path = Path(path)
    if protect is not None and _same_file(path, protect):
        raise OutputError(f"refusing to write the output over the input {protect}")
    data = content.encode("utf-8") if isinstance(content, str) else content
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _FILE_MODE)  # mkstemp makes 0600 files; outputs are ordinary files
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
        raise


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and os.path.samefile(a, b))
    except OSError:
        return False
