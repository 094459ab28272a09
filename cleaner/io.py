"""Reading inputs and writing outputs safely: clear errors, atomic writes, never over the input."""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
import tempfile
from pathlib import Path

from .errors import InputError, InputTooLargeError, OutputError, StorageError

#: Write failures that say nothing about the file being written, only about where it goes:
#: a batch must stop on them (and be resumed), not fail the record.
_STORAGE_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EIO", "EFBIG") if hasattr(errno, name)
)
#: Longest file name most file systems take (ext4, XFS, btrfs, APFS, NTFS: 255 bytes).
NAME_MAX = 255


def read_input(name: str | Path, max_bytes: int, *, follow_links: bool = True) -> bytes:
    """The bytes of a file, or of standard input for '-', refusing more than ``max_bytes``.
    Without ``follow_links``, a file that is (now) a symbolic link is refused, not read."""
    if str(name) == "-":
        if sys.stdin is None:  # started with standard input closed (<&-)
            raise InputError("standard input is closed")
        try:
            data = sys.stdin.buffer.read(max_bytes + 1)
        except OSError as error:
            raise InputError(f"cannot read standard input: {error.strerror or error}") from None
        origin = "standard input"
    else:
        path = Path(name)
        try:
            with _open_for_reading(path, follow_links) as handle:
                data = handle.read(max_bytes + 1)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{path}: is a directory (use 'cleaner batch' for directories)") from None
        except PermissionError:
            raise InputError(f"{path}: permission denied") from None
        except NotADirectoryError:
            raise InputError(f"{path}: no such file (a part of the path is not a directory)") from None
        except OSError as error:
            if error.errno == errno.ELOOP and not follow_links:
                raise InputError(f"{path}: is a symbolic link (not followed)") from None
            raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
        origin = str(path)
    if len(data) > max_bytes:
        raise InputTooLargeError(f"{origin} is larger than the limit of {max_bytes:,} bytes (raise it with --max-bytes)")
    return data


def _open_for_reading(path: Path, follow_links: bool):
    if follow_links or not hasattr(os, "O_NOFOLLOW"):
        return path.open("rb")
    return os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb")


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


#: ``protect=STANDARD_INPUT``: the input was read from standard input.
STANDARD_INPUT = "-"


def write_atomic(path: Path, content: str | bytes, *, protect: Path | str | None = None, fsync: bool = False) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename, so that a
    reader never sees a partial file. Refuses to write over ``protect`` (the input, or
    ``STANDARD_INPUT`` when it was read from there: ``convert - -o a.txt < a.txt``).
    A device or pipe (``/dev/stdout``, a FIFO) is written to as it is, never replaced.
    ``fsync`` flushes the file to the disk before the rename (the caller syncs the
    directory). A failure of the file system rather than of this path (disk full, no
    permission…) is a ``StorageError``."""
    path = Path(path)
    if protect == STANDARD_INPUT:
        if _is_standard_input(path):
            raise OutputError(f"refusing to write the output over the input: standard input is {path}")
    elif protect is not None and same_file(path, Path(protect)):
        raise OutputError(f"refusing to write the output over the input {protect}")
    data = content.encode("utf-8") if isinstance(content, str) else content
    if _is_special(path):
        _write_special(path, data)
        return
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=temporary_prefix(path.name), suffix=".tmp", dir=directory)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"cannot write {path}: a part of its directory path is a file") from None
    except OSError as error:
        raise write_error(path, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if fsync:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, _FILE_MODE)  # mkstemp makes 0600 files; outputs are ordinary files
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise write_error(path, error) from None
        raise


def write_error(path: Path, error: OSError) -> OutputError:
    """The error to raise for ``error`` while writing ``path``: it names the file, and says
    whether the file system (``StorageError``) or this one path is to blame."""
    kind = StorageError if error.errno in _STORAGE_ERRNOS else OutputError
    return kind(f"cannot write {path}: {error.strerror or error}")


def temporary_prefix(name: str, reserved: int = len(".12345678.tmp")) -> str:
    """``.NAME.``, cut so that the temporary name (``reserved`` more bytes) fits in a
    file name: a 250-byte output name must not fail for its temporary's sake."""
    room = NAME_MAX - len(".") - reserved
    encoded = os.fsencode(name)
    if len(encoded) > room:
        name = os.fsdecode(encoded[:room])
    return f".{name}."


def sync_directory(directory: Path) -> None:
    """Make the renames and creations in ``directory`` durable (POSIX; a no-op elsewhere)."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems cannot sync a directory; the files themselves are synced
    finally:
        os.close(handle)


def _is_special(path: Path) -> bool:
    """A character device, pipe or socket: renaming over it would replace it (as root,
    ``-o /dev/null`` would leave a regular file where the device was)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _write_special(path: Path, data: bytes) -> None:
    try:
        with path.open("wb") as stream:
            stream.write(data)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None


def write_stdout(text: str) -> None:
    """Write to standard output; a closed or full one is an output error (a reader that
    went away, ``BrokenPipeError``, is left to the caller)."""
    if sys.stdout is None:
        raise OutputError("standard output is closed")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"cannot write to standard output: {error.strerror or error}") from None
    except ValueError:  # a closed stream ("I/O operation on closed file")
        raise OutputError("standard output is closed") from None


def _is_standard_input(path: Path) -> bool:
    """Whether standard input is the file ``path`` (a shell redirection, ``< path``)."""
    try:
        given = os.fstat(sys.stdin.fileno())
        target = os.stat(path)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False  # no file behind standard input (a pipe, a closed or captured stream), or no output yet
    return stat.S_ISREG(given.st_mode) and (given.st_dev, given.st_ino) == (target.st_dev, target.st_ino)


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and os.path.samefile(a, b))
    except OSError:
        return False
