"""Bytes to lines: the only place that knows about encodings and line endings.

Order of trust: a byte-order mark, then strict UTF-8 (what almost every scraper writes),
then charset-normalizer's best guess for legacy single-byte encodings. Input that looks
binary (more than a few NUL bytes outside UTF-16, or many control characters) is refused;
the odd NUL or escape character a scraper lets through in text is removed instead.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from .errors import DecodeError, InputTooLargeError
from .model import Source

#: Default refusal size; ``--max-bytes`` raises it. News articles are a few dozen KB.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Control characters other than tab, LF, CR and FF. Their share decides "binary".
_CONTROL_BYTES = bytes(range(0, 9)) + bytes([11]) + bytes(range(14, 32)) + b"\x7f"
#: Shares of the first 8 KiB above which input is binary: random or compressed data has
#: about 10% control bytes, executables and images are full of NULs; text has almost none.
_MAX_CONTROL_SHARE = 0.05
_MAX_NUL_SHARE = 0.02
# C0 controls (but tab, LF, CR, FF), DEL and C1 controls (but NEL, a line break): never
# text, and some (ESC, CSI) would drive a terminal that shows the output.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Whitespace that scrapers leave inside lines: NBSP, thin/figure spaces, ideographic space…
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\x0c]")
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")
_SPACE_RUNS = re.compile(" {2,}")
_BREAKS_BUT_LF = r"\r|\u2028|\u2029|\x85|\x0b"
_LINE_BREAKS = re.compile(r"\r\n|\n|" + _BREAKS_BUT_LF)
# Anything normalise_text changes but LF and plain spaces, derived from the classes above so
# that it cannot drift from them: one scan finds whether the slow path is needed.
_UNUSUAL = re.compile("|".join([_CONTROL_CHARS.pattern, _ODD_SPACES.pattern, _ZERO_WIDTH.pattern, _BREAKS_BUT_LF]))
# A str can hold lone surrogates (from JSON "\ud800" escapes, or "surrogateescape" decoding);
# no UTF-8 output can, so each becomes U+FFFD, as a decoder would have made it.
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    source: Source


def decode(data: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES, fix_mojibake: bool = False) -> Decoded:
    """Decode input bytes (or accept text) into normalised text and a ``Source`` record."""
    if isinstance(data, str):
        raw_text, encoding, bom, size = data, "str", data.startswith("\ufeff"), len(data.encode("utf-8", "surrogatepass"))
        if _SURROGATES.search(raw_text):
            raw_text = _SURROGATES.sub("\ufffd", raw_text)
    else:
        size = len(data)
        if size > max_bytes:
            raise InputTooLargeError(f"input is {size:,} bytes, over the limit of {max_bytes:,} (raise it with --max-bytes)")
        raw_text, encoding, bom = _decode_bytes(data)
    if isinstance(data, str) and size > max_bytes:
        raise InputTooLargeError(f"input is {size:,} bytes, over the limit of {max_bytes:,} (raise it with --max-bytes)")
    repaired = False
    if fix_mojibake:
        import ftfy  # imported lazily: only the opt-in repair needs it

        # Only undo mis-decoding; keep the text's own quotes, widths and ligatures.
        fixed = ftfy.fix_text(raw_text, uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False, normalization=None)
        repaired = fixed != raw_text
        raw_text = fixed
    endings = _line_endings(raw_text)
    text = normalise_text(raw_text)
    line_count = 0 if not text else text.count("\n") + 1
    return Decoded(text, Source(encoding, bom, endings, size, line_count, repaired))


def normalise_text(text: str) -> str:
    """Whitespace normalisation applied to every line; the only change made to body text."""
    # One scan decides whether the character classes are needed at all: most scraped text
    # has LF line ends and ordinary spaces only.
    unusual = _UNUSUAL.search(text) is not None
    if unusual:
        text = _ZERO_WIDTH.sub("", text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if unusual:
        text = _ODD_SPACES.sub(" ", _LINE_BREAKS.sub("\n", text))
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # a final newline ends the last line, it does not start a new one
    if unusual:
        lines = [_CONTROL_CHARS.sub("", line) for line in lines]
    return "\n".join([_SPACE_RUNS.sub(" ", line).strip() if "  " in line else line.strip() for line in lines])


def _decode_bytes(data: bytes) -> tuple[str, str, bool]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.replace("-sig", ""), True
            except UnicodeDecodeError as error:
                raise DecodeError(f"input starts with a {codec} byte-order mark but is not valid {codec}: {error.reason} at byte {error.start}") from None
    if _looks_binary(data):
        raise DecodeError("input looks like a binary file (NUL or control bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only legacy encodings pay for detection

    best = from_bytes(data[:65536]).best()
    if best is None or best.encoding is None:
        raise DecodeError("input is not UTF-8 and its encoding could not be detected")
    try:
        return data.decode(best.encoding), best.encoding, False
    except (UnicodeDecodeError, LookupError):
        raise DecodeError(f"input is not UTF-8 and does not decode as the detected {best.encoding}") from None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    controls = sum(sample.count(byte) for byte in _CONTROL_BYTES)  # NUL included
    return sample.count(0) / len(sample) > _MAX_NUL_SHARE or controls / len(sample) > _MAX_CONTROL_SHARE


def _line_endings(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, count in (("crlf", crlf), ("cr", cr), ("lf", lf)) if count]
    return kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "none")
