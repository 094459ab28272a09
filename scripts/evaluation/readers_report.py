"""The readers' section of docs/quality.md and docs/performance.md, as Markdown.

Each report is a section between two markers, so that regenerating it replaces only that
section and regenerating the rest of the file keeps it (``splice``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .benchmark import Benchmark
from .metric import Score
from .readers import HtmlRun, MarkdownRun, MetadataScore, by_site

START = "<!-- readers:start -->"
END = "<!-- readers:end -->"
_SECTION = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)

#: The issue's targets (on held-out pages; on these dev pages, a guide).
HTML_TARGETS = {"aeb-dev": 0.965, "modern-dev": 0.950}
METADATA_TARGETS = {"title": 0.85, "author": 0.85, "published": 0.90}
MARKDOWN_TARGETS = {"fast_html2md": 0.85, "mdka": 0.80}


def splice(existing: str, section: str) -> str:
    """``existing`` with its readers section replaced by ``section`` (added at the end
    when it has none)."""
    block = f"{START}\n{section.strip()}\n{END}"
    if _SECTION.search(existing):
        return _SECTION.sub(lambda _: block, existing, count=1)
    return existing.rstrip("\n") + "\n\n" + block + "\n"


def kept_section(existing: str) -> str | None:
    """The readers section of a report, to carry over when the rest is rewritten."""
    found = _SECTION.search(existing)
    return found.group(0) if found else None


def _row(name: str, cleaned: Score, alone: Score, pages: int, target: float | None) -> str:
    verdict = "" if target is None else ("pass" if cleaned.f1 >= target else f"below {target}")
    return f"| {name} | {pages} | {cleaned.precision:.3f} | {cleaned.recall:.3f} | **{cleaned.f1:.3f}** | {alone.f1:.3f} | {cleaned.f1 - alone.f1:+.3f} | {verdict} |"


def html_table(bench: Benchmark, run: HtmlRun) -> str:
    """cleaner's HTML reader against trafilatura alone, on the article pages, and per
    page type where the benchmark has several."""
    rows = [
        "| pages | n | cleaner P | R | F1 | trafilatura alone F1 | Δ | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    articles = run.only(bench.page_ids("article"))
    rows.append(_row("articles", articles.cleaned, articles.extractor, len(articles.pages), HTML_TARGETS.get(bench.name)))
    types = sorted({bench.pages[page.page].page_type for page in run.pages} - {"article"})
    for kind in types:
        part = run.only(bench.page_ids(kind))
        rows.append(_row(kind, part.cleaned, part.extractor, len(part.pages), None))
    if types:
        rows.append(_row("all pages", run.cleaned, run.extractor, len(run.pages), None))
    sites = sorted(score.f1 for score in by_site(bench, articles).values())
    spread = f"\n\nArticle pages come from {len(sites)} sites; per site, F1 ranges from {sites[0]:.3f} to {sites[-1]:.3f} (median {sites[len(sites) // 2]:.3f})." if sites else ""
    failures = [page for page in run.pages if page.error]
    errors = f" {len(failures)} pages could not be read: {', '.join(page.page[:12] for page in failures[:5])}." if failures else ""
    return "\n".join(rows) + spread + errors


def metadata_table(scores: Sequence[MetadataScore]) -> str:
    rows = ["| field | pages with a truth | cleaner | trafilatura alone | target |", "|---|---|---|---|---|"]
    for tally in scores:
        mine, theirs = tally.share(tally.cleaner), tally.share(tally.extractor)
        target = METADATA_TARGETS[tally.field]
        verdict = "pass" if mine is not None and mine >= target else f"below {target:.0%}"
        rows.append(f"| {tally.field} | {tally.pages} | **{mine:.1%}** | {theirs:.1%} | {verdict} |")
    return "\n".join(rows)


def markdown_table(runs: Sequence[MarkdownRun]) -> str:
    rows = [
        "| extractor output | before F1 | cleaned as text P | R | F1 | cleaned as Markdown P | R | F1 | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        target = MARKDOWN_TARGETS.get(run.extractor)
        verdict = "" if target is None else ("pass" if run.as_markdown.f1 >= target else f"below {target}")
        rows.append(
            f"| {run.extractor} | {run.before.f1:.3f} | {run.as_text.precision:.3f} | {run.as_text.recall:.3f} | {run.as_text.f1:.3f} | "
            f"{run.as_markdown.precision:.3f} | {run.as_markdown.recall:.3f} | **{run.as_markdown.f1:.3f}** | {verdict} |"
        )
    return "\n".join(rows)


def timing_table(timings: Sequence[tuple[str, str, int, float]]) -> str:
    """(reader, what was read, pages, seconds per page) rows."""
    rows = ["| reader | input | pages | ms per page (read, rules, model) |", "|---|---|---|---|"]
    for reader, what, pages, seconds in timings:
        rows.append(f"| {reader} | {what} | {pages} | {seconds * 1000:.1f} |")
    return "\n".join(rows)
