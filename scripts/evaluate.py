#!/usr/bin/env python3
"""Score cleaner on the article-extraction benchmark: before cleaning, the C4 line-filter
baseline, and after cleaning, per extractor, against the acceptance targets.

    python scripts/evaluate.py                           # the table, on stdout
    python scripts/evaluate.py --write docs/quality.md   # also write the committed report
    python scripts/evaluate.py --extractor goose3 --worst 5
    python scripts/evaluate.py --extractor goose3 --page <page id>

The benchmark defaults to ../shared/bench/aeb-dev beside the repository (or $CLEANER_BENCH).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from cleaner.errors import CleanerError, UsageError
from cleaner.evaluate import (
    ExtractorResult,
    PageResult,
    clean_body,
    cleaned_lines,
    diagnose_page,
    evaluate_extractor,
    load_benchmark,
    quality_report,
    results_table,
    worst_pages,
)
from cleaner.io import write_atomic

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = Path(os.environ.get("CLEANER_BENCH", ROOT.parent / "shared" / "bench" / "aeb-dev"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    try:
        bench = load_benchmark(args.bench)
        names = args.extractor or sorted(bench.outputs)
        unknown = [name for name in names if name not in bench.outputs]
        if unknown:
            raise UsageError(f"unknown extractor(s) {', '.join(unknown)}; the benchmark has: {', '.join(sorted(bench.outputs))}")
        page = _find_page(args.page, bench.truth) if args.page is not None else None
        disable = frozenset(args.disable)
        results = [evaluate_extractor(bench.truth, bench.outputs[name], name, lambda text: clean_body(text, disable)) for name in names]
        print(results_table(results))
        for result in results:
            if args.worst:
                _print_worst(result, args.worst)
            if page is not None:
                _print_page(result, bench.truth[page], bench.outputs[result.extractor][page], page, disable)
        if args.write:
            command = shlex.join(["python", "scripts/evaluate.py", *argv])
            report = quality_report(results, date=_today(), commit=_commit(), command=command, bench_name=args.bench.name)
            write_atomic(args.write, report)
            print(f"\nwrote {args.write}")
    except CleanerError as error:
        print(f"evaluate.py: error: {error}", file=sys.stderr)
        return error.exit_code
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, metavar="PATH", help="benchmark directory (default: %(default)s)")
    parser.add_argument("--write", type=Path, metavar="FILE", help="write the Markdown report here, e.g. docs/quality.md")
    parser.add_argument("--extractor", action="append", metavar="NAME", help="only this extractor (repeatable; names of inputs/*.json)")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="list the N pages losing most recall and the N least precise after cleaning")
    parser.add_argument("--page", metavar="ID", help="for this page (id or unique prefix): removed lines that are true body, kept lines that are not")
    parser.add_argument("--disable", action="append", default=[], metavar="RULE", help="clean with this rule disabled (repeatable)")
    return parser


def _find_page(prefix: str, pages) -> str:
    """A page id, or a prefix of exactly one (the ids are 64 hex digits)."""
    found = [page for page in pages if page.startswith(prefix)]
    if len(found) != 1:
        raise UsageError(f"{'no' if not found else 'more than one'} page id starting with {prefix!r} in the benchmark")
    return found[0]


def _print_worst(result: ExtractorResult, count: int) -> None:
    losing, imprecise = worst_pages(result, count)
    print(f"\n## {result.extractor}: largest recall loss in cleaning")
    for page in losing:
        print(f"  {page.page}  recall {_fmt(page.before.recall)} → {_fmt(page.after.recall)}  (−{page.recall_loss:.3f})")
    if not losing:
        print("  (no page lost recall)")
    print(f"\n## {result.extractor}: lowest precision after cleaning")
    for page in imprecise:
        print(f"  {page.page}  precision {_fmt(page.before.precision)} → {_fmt(page.after.precision)}  F1 {page.after.f1:.3f}")


def _print_page(result: ExtractorResult, truth: str, text: str, page: str, disable: frozenset[str]) -> None:
    diagnosis = diagnose_page(truth, cleaned_lines(text, disable))
    scores = next(p for p in result.pages if p.page == page)
    print(f"\n## {result.extractor} / {page}: {_summary(scores)}")
    print("removed, but true body text:")
    for verdict in diagnosis.wrongly_removed:
        print(f"  {verdict.line.number:>4} [{verdict.line.reason or verdict.line.owner}] {verdict.line.text}")
    print("kept, but not in the truth:")
    for verdict in diagnosis.missed_debris:
        print(f"  {verdict.line.number:>4} ({verdict.coverage:.0%} true) {verdict.line.text}")


def _summary(page: PageResult) -> str:
    return (
        f"precision {_fmt(page.before.precision)} → {_fmt(page.after.precision)}, "
        f"recall {_fmt(page.before.recall)} → {_fmt(page.after.recall)}"
    )


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


def _commit() -> str:
    """The checked-out commit, marked when the package has uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" + uncommitted changes in cleaner/" if git("status", "--porcelain", "--untracked-files=no", "--", "cleaner") else "")


if __name__ == "__main__":
    sys.exit(main())
