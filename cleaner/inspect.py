"""``cleaner inspect``: every input line, the decision taken on it, and the rule that took it."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .model import Source
from .rules import Role, Scan

_STYLES = {
    None: ("body", "green"),
    Role.REMOVED: ("removed", "red"),
    Role.GALLERY_ITEM: ("gallery", "yellow"),
    Role.MEDIA: ("media", "magenta"),
    Role.AUTHOR_BIO: ("author", "cyan"),
}


def show_decisions(document: Scan, source: Source, *, removed_only: bool = False, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=True)
    unit = source.unit if source is not None else "line"  # a saved page's units are its text blocks
    table.add_column(unit, justify="right", style="dim", no_wrap=True, min_width=5)
    table.add_column("decision", no_wrap=True, min_width=22)
    table.add_column("rule", style="dim", no_wrap=True, min_width=12)
    table.add_column("text / reason", overflow="ellipsis", no_wrap=True, ratio=1)
    counts: dict[str, int] = {}
    index = 0
    lines, decisions = document.lines, document.decisions
    while index < len(lines):
        decision = decisions[index]
        end = index + 1
        if not lines[index]:
            # Fold a run of blank lines into one row.
            while end < len(lines) and not lines[end] and decisions[end] == decision:
                end += 1
        label, colour = _STYLES[decision.role if decision else None]
        markup = document.markup[index]
        if decision is None and markup is not None and markup.kind == "image":
            label, colour = _STYLES[Role.MEDIA]  # an image the source embeds: media where it stands
        if decision is not None and decision.kind is not None:
            label = f"removed: {decision.kind.value}"
        counts[label] = counts.get(label, 0) + (end - index)
        # A single blank line between blocks is ordinary layout, hidden with --removed-only.
        quiet = decision is not None and not lines[index] and end == index + 1
        if not (removed_only and (decision is None or quiet)):
            first, last = document.spans[index][0], document.spans[end - 1][1]
            number = str(first) if first == last else f"{first}-{last}"
            text = escape(lines[index]) if lines[index] else "[dim]<blank>[/dim]"
            reason = f"\n[dim italic]{escape(decision.reason)}[/dim italic]" if decision and decision.reason and not quiet else ""
            table.add_row(number, f"[{colour}]{label}[/{colour}]", decision.rule if decision else "", f"[{colour}]{text}[/{colour}]{reason}")
        index = end
    console.print(table)
    summary = ", ".join(f"{count} {label}" for label, count in sorted(counts.items()))
    replaced = f", {source.replaced:,} bad bytes replaced with U+FFFD" if source.replaced else ""
    console.print(f"[bold]{len(lines)} {unit}s[/bold] ({source.format}, {source.encoding}{replaced}, {source.line_endings} line endings): {summary}")
    for note in document.notes:
        console.print(f"[yellow]{escape(note)}[/yellow]")
