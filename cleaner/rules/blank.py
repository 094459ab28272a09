"""Blank lines separate paragraphs; runs of them are layout debris. Either way they are
not content, and each run is logged once with its length."""

from __future__ import annotations

from ..model import RemovalKind
from .base import Scan, drop

NAME = "blank_lines"


def find_blank_lines(scan: Scan) -> None:
    lines = scan.lines
    index = 0
    while index < len(lines):
        if lines[index]:
            index += 1
            continue
        end = index
        while end < len(lines) and not lines[end]:
            end += 1
        run = end - index
        reason = "blank line between blocks" if run == 1 else f"run of {run} blank lines"
        decision = drop(NAME, RemovalKind.BLANK, reason)
        for blank in range(index, end):
            scan.decide(blank, decision)
        index = end
