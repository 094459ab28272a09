"""The progress bar while a batch runs, and the summary after it (both on stderr)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from .job import Summary
from .runner import Progress as ProgressSink


class _RateColumn(ProgressColumn):
    def render(self, task) -> Text:
        elapsed = task.elapsed or 0.0
        if elapsed <= 0:
            return Text("")
        records, size = task.fields["records"], task.fields["size"]
        return Text(f"{records:,} records  {records / elapsed:,.0f}/s  {size / elapsed / 1e6:,.1f} MB/s", style="cyan")


class BatchProgress(ProgressSink):
    """A rich bar in input bytes (so the ETA holds for files and dumps alike), with
    records and MB per second. The total is measured by a background walk of the inputs,
    so work starts at once; until it is known the bar pulses."""

    def __init__(self, console: Console, measure_total: Callable[[], int], *, label: str = "cleaning") -> None:
        self._bar = Progress(
            TextColumn(f"[bold]{label}"),
            BarColumn(),
            TaskProgressColumn(),
            _RateColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,  # no bar (nor its blank line) in logs and pipes
            refresh_per_second=4,
        )
        self._task = self._bar.add_task("cleaning", total=None, records=0, size=0)
        self._measure_total = measure_total
        self._records = 0
        self._size = 0

    def __enter__(self) -> BatchProgress:
        self._bar.start()
        threading.Thread(target=self._set_total, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._bar.stop()

    def _set_total(self) -> None:
        try:
            total = self._measure_total()
        except Exception:
            return  # an input the walk cannot read is reported by the run itself
        self._bar.update(self._task, total=max(total, 1))

    def advance(self, *, weight: int, records: int, size: int) -> None:
        self._records += records
        self._size += size
        self._bar.update(self._task, advance=weight, records=self._records, size=self._size)


def print_summary(summary: Summary, console: Console, *, out: str) -> None:
    seconds = max(summary.seconds, 1e-9)
    megabytes = summary.bytes / 1e6
    headline = f"{summary.records:,} records: {summary.ok:,} ok, {summary.failed:,} failed"
    if summary.already_done:
        headline += f", {summary.already_done:,} already done"
        if summary.failed_before:
            headline += f" ({summary.failed_before:,} of them failed)"
    console.print(f"[bold]{headline}[/bold]: {megabytes:,.1f} MB in {summary.seconds:,.1f} s ({summary.records / seconds:,.0f} records/s, {megabytes / seconds:,.1f} MB/s)")
    if summary.removed:
        table = Table("removed", "lines", box=None, pad_edge=False, header_style="bold")
        for kind, count in summary.removed.most_common():
            table.add_row(kind, f"{count:,}")
        console.print(table)
    if summary.failed_in_all:
        # An exit code of 1 must say why, also when every failure is the resumed run's.
        count = summary.failed_in_all
        earlier = f", {summary.failed_before:,} of them before --resume" if summary.failed_before else ""
        listing = ":" if summary.failures else ""
        console.print(f"[red]{count:,} record{'s' if count > 1 else ''} of the run failed[/red]{earlier} (all listed in {out}/manifest.jsonl with status \"error\"){listing}")
        for name, message in summary.failures:
            console.print(f"  {name}: {message}", markup=False, highlight=False)
    if summary.interrupted:
        console.print("[yellow]interrupted[/yellow]: run the same command with --resume to finish (records done are not redone)")
    for line in summary.published:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
