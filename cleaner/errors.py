"""Errors a user can cause, each with the process exit code the CLI uses for it.

Exit codes (also listed in the README):
  0  success
  1  batch finished, but at least one record failed (see the manifest)
  2  usage error: bad option, unknown format or rule, bad rule pack
  3  input cannot be read (missing, a directory, no permission)
  4  input cannot be decoded as text (binary, broken encoding)
  5  input is larger than --max-bytes
  6  output cannot be written (or would overwrite the input; standard output full or closed;
     in a batch: the file system refused a write, the run stopped, --resume finishes it)
  70 internal error: a bug (one line asking for a report, never a traceback)
  130 interrupted (Ctrl-C)

A reader that goes away (``cleaner convert a.txt | head``) is not an error: exit 0, silently.
"""

from __future__ import annotations


class CleanerError(Exception):
    """Base class: a one-line message meant for the user, and an exit code."""

    exit_code = 2


class UsageError(CleanerError):
    exit_code = 2


class InputError(CleanerError):
    exit_code = 3


class DecodeError(CleanerError):
    exit_code = 4


class InputTooLargeError(CleanerError):
    exit_code = 5


class OutputError(CleanerError):
    exit_code = 6


class StorageError(OutputError):
    """The file system refused a write for a reason outside the record (full, over quota,
    read-only, no permission, I/O error): a batch stops instead of failing record after
    record, and ``--resume`` finishes it once the cause is fixed."""
