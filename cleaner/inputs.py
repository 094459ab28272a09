"""An input as the commands name it: a file (gzip-compressed or not), standard input,
never a URL. Reading the bytes safely is ``cleaner.io``'s job; this adds what a name
can mean before that, and what the bytes can be after.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib

from .errors import DecodeError, InputTooLargeError, UsageError
from .io import read_input

# "scheme://", or "scheme:/" as a path type has collapsed it ("https:/example.com/a");
# a scheme of two letters or more, so that "C:/…" stays a Windows path.
_URL = re.compile(r"^[a-z][a-z0-9+.-]+:/", re.IGNORECASE)
GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20


def refuse_url(name: str) -> None:
    """cleaner never fetches: a URL given as an input is a usage error that says so."""
    if _URL.match(name) or name.lower().startswith("www."):
        name = re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]+):/(?!/)", r"\1://", name)
        raise UsageError(f"{name}: cleaner reads files, it never fetches; save the page first (e.g. curl -o page.html '{name}') and give the file")


def read_source(name: str, max_bytes: int) -> bytes:
    """The bytes of an input file (or '-'), decompressed when they are gzip."""
    refuse_url(str(name))
    return gunzip(read_input(name, max_bytes), max_bytes, origin="standard input" if str(name) == "-" else str(name))


def gunzip(data: bytes, max_bytes: int, *, origin: str = "input") -> bytes:
    """``data`` itself, or, when it is gzip, its content, read in chunks and refused as
    soon as it passes ``max_bytes``: a small file that inflates without end (a gzip bomb)
    costs a limit's worth of memory, not the machine's."""
    if not data.startswith(GZIP_MAGIC):
        return data
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(_CHUNK):
                out.write(chunk)
                if out.tell() > max_bytes:
                    raise InputTooLargeError(f"{origin} decompresses to more than the limit of {max_bytes:,} bytes (raise it with --max-bytes)")
    except (OSError, EOFError, zlib.error) as error:
        raise DecodeError(f"{origin} is not a valid gzip file: {error}") from None
    return out.getvalue()
