"""The text reader: decoded text, one entry per line (hard-wrapped paragraphs joined
back, block markup such as "## " or "- " taken off and remembered; see ``cleaner.lines``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..decode import decode
from ..lines import entries

if TYPE_CHECKING:
    from . import ReadOptions, Reading


def read_text(data: bytes | str, options: ReadOptions) -> Reading:
    from . import Reading

    decoded = decode(data, max_bytes=options.max_bytes, fix_mojibake=options.fix_mojibake)
    return Reading(entries(decoded.lines), decoded.source)
