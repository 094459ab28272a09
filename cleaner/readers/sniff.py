"""How an input without a known suffix tells its format by its first bytes. Apart from
the readers, so that sniffing never imports a reader's parser."""

from __future__ import annotations

import re

_HTML = re.compile(rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)


def sniff_html(head: bytes) -> bool:
    """A document that starts (after a BOM, an XML declaration or comments) with
    ``<!doctype html`` or ``<html`` is HTML."""
    return _HTML.match(head.lstrip(b"\xef\xbb\xbf")) is not None
