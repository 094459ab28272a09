"""How an input without a known suffix tells its format by its first bytes. Apart from
the readers, so that sniffing never imports a reader's parser."""

from __future__ import annotations

import re

_HTML_START = re.compile(rb"<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)


def sniff_html(head: bytes) -> bool:
    """A document that starts (after a BOM, an XML declaration or comments) with
    ``<!doctype html`` or ``<html`` is HTML.

    Walked, not matched with one pattern: ``(?:<!--.*?-->\\s*)*<html`` backtracks
    exponentially over a head of many comments that is not HTML after all (a crawler's
    Markdown of a page that kept its ``<!--[if IE]>…`` comments took hours). A comment
    ends at its first ``-->``, as in HTML."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:5].lower() == b"<?xml":
        end = text.find(b">")
        if end < 0:
            return False
        text = text[end + 1 :].lstrip()
    while text.startswith(b"<!--"):
        end = text.find(b"-->", 4)
        if end < 0:
            return False
        text = text[end + 3 :].lstrip()
    return _HTML_START.match(text) is not None
