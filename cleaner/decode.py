"""Bytes to lines: the only place that knows about encodings and line endings.

Order of trust: a byte-order mark; UTF-16 (or UTF-32) without one, told by where its NUL
bytes fall; strict UTF-8 (what almost every scraper writes); then UTF-8 with a few bad
bytes, each replaced by U+FFFD and counted in ``Source.replaced``: one stray byte, a file
cut mid-character or a footer in another encoding must not turn a whole article into
mojibake, as a guessed single-byte encoding would. Only input on which UTF-8 fails broadly
goes to charset-normalizer for a legacy encoding, and its guess is refused when there is too
little non-ASCII text to tell one encoding from another. Input that looks binary (more than
a few NUL bytes outside UTF-16, or many control characters) is refused; the odd NUL or
escape character a scraper lets through in text is removed instead.
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
# Two or more spaces, written with a literal "  " first: the engine skips ahead to it (three
# times faster than " {2,}" over a whole text).
_SPACE_RUNS = re.compile("  +")
_BREAKS_BUT_LF = r"\r|\u2028|\u2029|\x85|\x0b"
_LINE_BREAKS = re.compile(r"\r\n|\n|" + _BREAKS_BUT_LF)
# The line breaks that are not LF already, made LF (matching every LF to put it back would
# cost a match a line).
_OTHER_BREAKS = re.compile(r"\r\n|" + _BREAKS_BUT_LF)
# Anything normalise_text changes but LF and plain spaces, derived from the classes above so
# that it cannot drift from them: one scan finds whether the slow path is needed.
_UNUSUAL = re.compile("|".join([_CONTROL_CHARS.pattern, _ODD_SPACES.pattern, _ZERO_WIDTH.pattern, _BREAKS_BUT_LF]))
# A str can hold lone surrogates (from JSON "\ud800" escapes, or "surrogateescape" decoding);
# no UTF-8 output can, so each becomes U+FFFD, as a decoder would have made it.
_SURROGATES = re.compile("[\ud800-\udfff]")
_REPLACEMENT = "\ufffd"
_REPLACEMENT_UTF8 = _REPLACEMENT.encode("utf-8")

# UTF-8 that fails is still UTF-8 with a few bad bytes (each becomes U+FFFD) when it has
# at most one bad sequence in _MAX_BAD_SHARE of its bytes (a legacy-encoded article has
# one every few dozen bytes, at each accented letter or curly quote), or no more bad
# sequences than valid non-ASCII characters: a legacy encoding makes valid UTF-8 only by
# accident (up to one for three bad sequences in GBK, Shift-JIS or EUC-KR text, almost
# never in single-byte encodings), while damaged UTF-8, or UTF-8 with a footer in another
# encoding, is mostly valid.
_MAX_BAD_SHARE = 0.001
#: A guessed legacy encoding needs this many non-ASCII bytes: with fewer, cp1250, cp1252,
#: mac_iceland and cp874 all decode them, and the choice between them is a coin toss.
_MIN_LEGACY_EVIDENCE = 8


@dataclass(frozen=True, slots=True)
class Decoded:
    """The normalised lines of an input and what was found about it. The text reader
    takes the lines as they are; the structured readers want the text."""

    lines: list[str]
    source: Source

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True, slots=True)
class _Read:
    """What the byte decoder found: the text, the encoding, a BOM, and how many bad
    sequences it replaced with U+FFFD."""

    text: str
    encoding: str
    bom: bool = False
    replaced: int = 0


def decode(data: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES, fix_mojibake: bool = False) -> Decoded:
    """Decode input bytes (or accept text) into normalised text and a ``Source`` record."""
    if isinstance(data, str):
        raw_text, replaced = without_surrogates(data)
        read = _Read(raw_text, "str", data.startswith("\ufeff"), replaced)
        size = len(raw_text.encode("utf-8"))  # a surrogate and its U+FFFD both take 3 bytes
    else:
        size = len(data)
        if size > max_bytes:
            raise InputTooLargeError(f"input is {size:,} bytes, over the limit of {max_bytes:,} (raise it with --max-bytes)")
        read = _decode_bytes(data)
    raw_text, encoding, bom = read.text, read.encoding, read.bom
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
    lines = normalise_lines(raw_text)
    return Decoded(lines, Source(encoding, bom, endings, size, len(lines), repaired, read.replaced))


def without_surrogates(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate replaced by U+FFFD, and how many there were.

    The one way every path treats them (files, standard input, JSONL records, a Python
    str): encoding them back to bytes ("surrogatepass") would hand the decoder invalid
    UTF-8 and let it decide what the record is."""
    if not _SURROGATES.search(text):
        return text, 0
    return _SURROGATES.subn(_REPLACEMENT, text)


def one_line(text: str) -> str:
    """A title as cleaner keeps one: a single line of text, with control characters
    removed and every run of whitespace (line breaks included) one space. Markup in it
    stays text (renderers escape it); a line break would let it start new blocks."""
    text, _ = without_surrogates(text)
    text = _CONTROL_CHARS.sub("", _LINE_BREAKS.sub(" ", _ZERO_WIDTH.sub("", text)))
    return " ".join(text.split())


def normalise_text(text: str) -> str:
    """Whitespace normalisation applied to every line; the only change made to body text."""
    return "\n".join(normalise_lines(text))


def normalise_lines(text: str) -> list[str]:
    """The lines of ``normalise_text(text)`` (none for an empty one): the text reader
    needs them one by one, and splitting once saves joining and splitting again."""
    # One scan decides whether the character classes are needed at all: most scraped text
    # has LF line ends and ordinary spaces only.
    unusual = _UNUSUAL.search(text) is not None
    if unusual:
        text = _ZERO_WIDTH.sub("", text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if unusual:
        text = _ODD_SPACES.sub(" ", _OTHER_BREAKS.sub("\n", text))
    # A final newline ends the last line, it does not start a new one (a control
    # character after it, removed below, still makes a last, empty line).
    final_newline = text.endswith("\n")
    # Control characters and runs of spaces never span a line break: one pass over the
    # whole text each, not one call a line.
    if unusual:
        text = _CONTROL_CHARS.sub("", text)
    if "  " in text:
        text = _SPACE_RUNS.sub(" ", text)
    lines = text.split("\n")
    if final_newline:
        lines.pop()
    lines = [line.strip() for line in lines]
    return [] if lines == [""] else lines  # an empty text has no lines, not one empty line


def _decode_bytes(data: bytes) -> _Read:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8-sig":
                return _decode_utf8(data[len(bom):], bom=True)
            try:
                return _Read(data.decode(codec), codec, True)
            except UnicodeDecodeError as error:
                raise DecodeError(f"input starts with a {codec} byte-order mark but is not valid {codec}: {error.reason} at byte {error.start}") from None
    wide = _wide_encoding(data)
    if wide is not None:
        name = wide.upper()[:6]
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as error:
            raise DecodeError(f"input looks like {name} without a byte-order mark, but is not valid {wide}: {error.reason} at byte {error.start}") from None
        sample = text[:4096]
        if len(_CONTROL_CHARS.findall(sample)) > len(sample) * _MAX_CONTROL_SHARE:
            raise DecodeError("input looks like a binary file (NUL or control bytes), not text")
        return _Read(text, wide)
    if _looks_binary(data):
        raise DecodeError("input looks like a binary file (NUL or control bytes), not text")
    return _decode_utf8(data, bom=False)


def _decode_utf8(data: bytes, *, bom: bool) -> _Read:
    try:
        return _Read(data.decode("utf-8"), "utf-8", bom)
    except UnicodeDecodeError as error:
        first_error = error
    text = data.decode("utf-8", "cleaner-replace")
    # Every U+FFFD the input did not hold itself is a bad sequence (EF BF BD, an encoded
    # U+FFFD, always decodes as one: EF cannot end an invalid sequence before it).
    replaced = text.count(_REPLACEMENT) - data.count(_REPLACEMENT_UTF8)
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if replaced <= max(1, len(data) * _MAX_BAD_SHARE) or replaced <= non_ascii - replaced:
        return _Read(text, "utf-8", bom, replaced)
    if bom:
        raise DecodeError(f"input starts with a utf-8 byte-order mark but is not valid utf-8: {first_error.reason} at byte {first_error.start + 3} ({replaced:,} bad byte sequences)")
    return _decode_legacy(data, replaced)


def _decode_legacy(data: bytes, bad: int) -> _Read:
    """The encoding charset-normalizer finds, when there is enough to go on."""
    sample = data[:65536]
    evidence = len(sample) - len(sample.decode("latin-1").encode("ascii", "ignore"))  # non-ASCII bytes
    not_utf8 = f"input is not UTF-8 ({bad:,} bad byte sequences)"
    if evidence < _MIN_LEGACY_EVIDENCE:
        raise DecodeError(f"{not_utf8} and has too little non-ASCII text to tell its encoding; convert it to UTF-8 first (iconv -f ENCODING -t UTF-8)")
    from charset_normalizer import from_bytes  # only legacy encodings pay for detection

    best = from_bytes(sample).best()
    if best is None or best.encoding is None:
        raise DecodeError(f"{not_utf8} and its encoding could not be detected; convert it to UTF-8 first (iconv -f ENCODING -t UTF-8)")
    try:
        return _Read(data.decode(best.encoding), best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise DecodeError(f"{not_utf8} and does not decode as the detected {best.encoding}") from None


def _replace_bad_utf8(error: UnicodeDecodeError) -> tuple[str, int]:
    """Error handler: one U+FFFD per bad sequence, as "replace" does, except that a
    surrogate encoded as UTF-8 (ED A0..BF xx, from a careless encoder) is one U+FFFD,
    not three: the same as a lone surrogate in a str or a JSON string becomes."""
    start = error.start
    chunk = error.object[start:start + 3]
    if len(chunk) == 3 and chunk[0] == 0xED and 0xA0 <= chunk[1] <= 0xBF and 0x80 <= chunk[2] <= 0xBF:
        return _REPLACEMENT, start + 3
    return _REPLACEMENT, error.end


codecs.register_error("cleaner-replace", _replace_bad_utf8)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where its NUL bytes fall: the
    high bytes of Latin-script characters are NULs, all on one side of each code unit
    (a binary file has them anywhere). Text mostly outside Latin script is not told."""
    sample = data[: 8192 - 8192 % 4]
    if len(sample) < 4 or sample.count(0) < len(sample) // 20:
        return None
    units = len(sample) // 4
    column = [sample[offset::4].count(0) / units for offset in range(4)]
    if min(column[2], column[3]) > 0.9 and column[0] < 0.1:
        return "utf-32-le"
    if min(column[0], column[1]) > 0.9 and column[3] < 0.1:
        return "utf-32-be"
    even, odd = column[0] + column[2], column[1] + column[3]
    if odd > 0.2 and even * 20 <= odd:
        return "utf-16-le"
    if even > 0.2 and odd * 20 <= even:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # NUL included
    return sample.count(0) / len(sample) > _MAX_NUL_SHARE or controls / len(sample) > _MAX_CONTROL_SHARE


def _line_endings(text: str) -> str:
    if "\r" not in text:  # most text: one scan instead of three
        return "lf" if "\n" in text else "none"
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, count in (("crlf", crlf), ("cr", cr), ("lf", lf)) if count]
    return kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "none")
