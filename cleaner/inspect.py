"""``cleaner inspect``: every input line, the decision taken on it, and the rule that took it.

The table is written row by row as it is made: a document of two million lines starts
showing at once and never holds its table in memory (a rich ``Table`` measures and
renders every row before it prints the first). The columns are sized in a first, cheap
pass over the decisions; the layout is the one rich gave it (a padded column of numbers,
decision and rule, and the text cut to the width that is left, with an ellipsis).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from .model import Source
from .rules import Role, Scan

_STYLES = {
    None: ("body", "green"),
    Role.REMOVED: ("removed", "red"),
    Role.GALLERY_ITEM: ("gallery", "yellow"),
    Role.MEDIA: ("media", "magenta"),
    Role.AUTHOR_BIO: ("author", "cyan"),
}
#: ANSI styles for a terminal: the same in every colour system (16 colours and up).
_SGR = {"green": "32", "red": "31", "yellow": "33", "magenta": "35", "cyan": "36", "dim": "2", "bold": "1", "reason": "2;3"}
_BLANK = "<blank>"
#: Narrowest each column is drawn, as before (the text column takes what is left).
_MIN_WIDTHS = (5, 22, 12)
_GAP = "  "
#: Rows are written in batches of this many: streaming, without a write call per line.
_BATCH = 512


@dataclass(frozen=True, slots=True)
class _Row:
    number: str
    label: str
    colour: str
    rule: str
    text: str  # "" for a blank line, shown dim as <blank>
    reason: str
    lines: int  # input entries the row stands for (a run of blank lines is one row)
    shown: bool  # False: counted in the summary, left out by --removed-only


def _rows(document: Scan, removed_only: bool) -> Iterator[_Row]:
    lines, decisions, markup, spans = document.lines, document.decisions, document.markup, document.spans
    index = 0
    while index < len(lines):
        decision = decisions[index]
        end = index + 1
        if not lines[index]:
            # Fold a run of blank lines into one row.
            while end < len(lines) and not lines[end] and decisions[end] == decision:
                end += 1
        label, colour = _STYLES[decision.role if decision else None]
        if decision is None and markup[index] is not None and markup[index].kind == "image":
            label, colour = _STYLES[Role.MEDIA]  # an image the source embeds: media where it stands
        if decision is not None and decision.kind is not None:
            label = f"removed: {decision.kind.value}"
        # A single blank line between blocks is ordinary layout, hidden with --removed-only.
        quiet = decision is not None and not lines[index] and end == index + 1
        first, last = spans[index][0], spans[end - 1][1]
        yield _Row(
            str(first) if first == last else f"{first}-{last}",
            label,
            colour,
            decision.rule if decision else "",
            lines[index],
            decision.reason if decision and decision.reason and not quiet else "",
            end - index,
            not (removed_only and (decision is None or quiet)),
        )
        index = end


class PipeConsole(Console):
    """rich's console, except that a reader going away (``cleaner inspect … | head``) is
    left to the command line like everywhere else (rich would exit with status 1)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def show_decisions(document: Scan, source: Source, *, removed_only: bool = False, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    unit = source.unit if source is not None else "line"  # a saved page's units are its text blocks
    widths = list(_MIN_WIDTHS)
    widths[0] = max(widths[0], len(unit))
    for row in _rows(document, removed_only):
        if row.shown:
            widths = [max(widths[0], len(row.number)), max(widths[1], len(row.label)), max(widths[2], len(row.rule))]
    layout = _Layout(widths, console)
    out: TextIO = console.file
    out.write(layout.header(unit))
    counts: dict[str, int] = {}
    batch: list[str] = []
    for row in _rows(document, removed_only):
        counts[row.label] = counts.get(row.label, 0) + row.lines
        if row.shown:
            batch.append(layout.row(row))
            if len(batch) >= _BATCH:
                out.write("".join(batch))
                batch.clear()
    out.write("".join(batch))
    summary = ", ".join(f"{count} {label}" for label, count in sorted(counts.items()))
    replaced = f", {source.replaced:,} bad bytes replaced with U+FFFD" if source.replaced else ""
    console.print(f"[bold]{len(document.lines)} {unit}s[/bold] ({source.format}, {source.encoding}{replaced}, {source.line_endings} line endings): {summary}")
    for note in document.notes:
        console.print(f"[yellow]{escape(note)}[/yellow]")


class _Layout:
    """Fixed column widths, and the console's width and colours, for drawing rows."""

    def __init__(self, widths: list[int], console: Console) -> None:
        self.widths = widths
        fixed = sum(widths) + 3 * len(_GAP)
        self.text_width = max(0, console.width - fixed)
        self.indent = " " * fixed
        self.colour = console.color_system is not None and not console.no_color and console.is_terminal

    def _style(self, text: str, style: str) -> str:
        return f"\x1b[{_SGR[style]}m{text}\x1b[0m" if self.colour and text else text

    def header(self, unit: str) -> str:
        number, decision, rule = self.widths
        cells = f"{unit:>{number}}{_GAP}{'decision':<{decision}}{_GAP}{'rule':<{rule}}{_GAP}{_fit('text / reason', self.text_width)}"
        return self._style(cells, "bold") + "\n"

    def row(self, row: _Row) -> str:
        number, decision, rule = self.widths
        if row.text:
            # A code block or a table is several lines, each in the text column; tabs
            # are set at every eighth column, as a terminal would.
            first, *more = [_fit(line.expandtabs(8), self.text_width) for line in row.text.split("\n")]
            text = self._style(first, row.colour)
        else:
            text, more = self._style(_fit(_BLANK, self.text_width), "dim"), []
        line = (
            f"{self._style(f'{row.number:>{number}}', 'dim')}{_GAP}"
            f"{self._style(f'{row.label:<{decision}}', row.colour)}{_GAP}"
            f"{self._style(f'{row.rule:<{rule}}', 'dim')}{_GAP}{text}\n"
        )
        for extra in more:
            line += f"{self.indent}{self._style(extra, row.colour)}\n"
        if row.reason:
            line += f"{self.indent}{self._style(_fit(row.reason, self.text_width), 'reason')}\n"
        return line


def _fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` terminal cells: cut with an ellipsis, or padded."""
    if width <= 0:
        return ""
    if text.isascii():
        if len(text) > width:
            return text[: width - 1] + "…"
        return text + " " * (width - len(text))
    from rich.cells import cell_len, set_cell_size  # wide characters (CJK) take two cells

    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
