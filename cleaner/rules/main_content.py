"""The blocks of a saved page that its article region does not hold: menus, footers,
related-story lists, comment threads. The HTML reader finds the region (trafilatura) and
flags every other block of the page ``Markup("outside")``; this rule, the first of the
chain, removes them with a reason, so every block of the page is in the model or in the
removal log. Other readers flag nothing, so on text and Markdown this rule does nothing.
"""

from __future__ import annotations

from ..model import RemovalKind
from .base import Scan, drop

NAME = "main_content"


def find_outside_main_content(scan: Scan) -> None:
    decision = drop(NAME, RemovalKind.BOILERPLATE, "outside the page's article region (main-content extraction)")
    for index, markup in enumerate(scan.markup):
        if markup is not None and markup.kind == "outside":
            scan.decide(index, decision)
