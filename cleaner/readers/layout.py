"""The decoded input as the structured readers need it: ``decode`` folds spaces and trims
every line, which is right for text but loses what Markdown means by indentation (nested
lists, indented code). This gives the same lines, numbered the same way, untrimmed.
"""

from __future__ import annotations

import re

from ..decode import Decoded

# The line breaks ``decode`` counts (CRLF, CR, LS, PS, NEL, VT): the same numbering.
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85|\x0b")
_SURROGATES = re.compile("[\ud800-\udfff]")


def layout_text(data: bytes | str, decoded: Decoded) -> str:
    """The input's text with its line breaks made LF and nothing else changed, when it
    can be had again from the bytes and the encoding ``decode`` found; else (mojibake
    repaired, or an odd codec) the normalised text, which has the same lines."""
    source = decoded.source
    if source.repaired_mojibake:
        return decoded.text
    if isinstance(data, str):
        text = _SURROGATES.sub("\ufffd", data)  # as decode does: no output could hold them
    else:
        try:
            text = data.decode(source.encoding)
        except (LookupError, UnicodeDecodeError):
            return decoded.text
    text = _LINE_BREAKS.sub("\n", text.lstrip("\ufeff"))
    if text.endswith("\n"):
        text = text[:-1]  # as in decode: a final newline ends the last line
    if (text.count("\n") + 1 if text else 0) != source.lines:
        return decoded.text  # never number lines differently from the Source
    return text
