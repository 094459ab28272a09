#!/usr/bin/env python3
"""Score cleaner on the shared benchmarks: each extractor's output before and after
cleaning, against the line oracle (the ceiling of line-level cleaning) and the C4 line
filter (a generic baseline), with the generalisation targets; and, per rule and pattern,
how much each removes and what share of that is truly debris.

    python scripts/evaluate.py                            # both dev benchmarks, all extractors
    python scripts/evaluate.py --write docs/quality.md    # also write the committed report
    python scripts/evaluate.py --bench modern-dev --extractor trafilatura --worst 5
    python scripts/evaluate.py --bench aeb-dev --extractor goose3 --page <page id>
    python scripts/evaluate.py --from all --write docs/quality.md --timings docs/performance.md
                                                          # the readers: saved pages, Markdown, metadata

Benchmarks are looked for in ../shared/bench beside the repository (or $CLEANER_BENCH_ROOT).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluation.benchmark import Benchmark, BenchmarkError, load_benchmark  # noqa: E402
from evaluation.metric import TRUE_LINE_COVERAGE, shingles, truth_coverage  # noqa: E402
from evaluation.report import extractor_table, recall_table, rule_table, title_table  # noqa: E402
from evaluation.run import ExtractorRun, Measure, run_extractor  # noqa: E402

from cleaner import Cleaner  # noqa: E402
from cleaner.build import build  # noqa: E402
from cleaner.errors import CleanerError  # noqa: E402
from cleaner.io import write_atomic  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH_ROOT = Path(os.environ.get("CLEANER_BENCH_ROOT", ROOT.parent / "shared" / "bench"))
BENCHES = ("aeb-dev", "modern-dev")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    if args.from_:
        from evaluation.readers_cli import evaluate_readers

        try:
            return evaluate_readers(args, BENCH_ROOT, argv, _commit())
        except (BenchmarkError, CleanerError) as error:
            print(f"evaluate.py: error: {error}", file=sys.stderr)
            return 2
    try:
        measure = Measure(Cleaner(disable=args.disable, rules=args.rules))
        sections = []
        for name in args.bench or BENCHES:
            bench = load_benchmark(Path(name) if os.sep in name else BENCH_ROOT / name)
            names = args.extractor or sorted(bench.outputs)
            unknown = [extractor for extractor in names if extractor not in bench.outputs]
            if unknown:
                print(f"evaluate.py: {bench.name} has no extractor {', '.join(unknown)} (it has: {', '.join(sorted(bench.outputs))})", file=sys.stderr)
                return 2
            runs = [run_extractor(bench, extractor, measure) for extractor in names]
            sections.append(_sections(bench, runs))
            for run in runs:
                if args.worst:
                    _print_worst(bench, run, args.worst)
                if args.page:
                    _print_page(bench, run.extractor, _find_page(args.page, bench), measure.cleaner)
        text = "\n\n".join(part for section in sections for part in section)
        print(text)
        if args.write:
            command = shlex.join(["python", "scripts/evaluate.py", *argv])
            write_atomic(args.write, _keep_sections(args.write, _report(text, command)))
            print(f"\nwrote {args.write}", file=sys.stderr)
    except (BenchmarkError, CleanerError) as error:
        print(f"evaluate.py: error: {error}", file=sys.stderr)
        return 2
    return 0


def _sections(bench: Benchmark, runs: list[ExtractorRun]) -> list[str]:
    types = sorted({info.page_type for info in bench.pages.values()})
    articles = bench.page_ids("article")
    parts = []
    if types == ["article"]:
        parts.append(f"## {bench.name}: {len(articles)} news articles\n\n{extractor_table(runs)}")
        scoped = runs
    else:
        scoped = [run.only(articles) for run in runs]
        parts.append(f"## {bench.name}: the {len(articles)} article pages\n\n{extractor_table(scoped)}")
        counts = ", ".join(f"{kind} {len(bench.page_ids(kind))}" for kind in types)
        parts.append(
            f"## {bench.name}: every page type (do no harm)\n\nRecall change per page type ({counts}); the bar is a recall loss of at most 0.010 over all pages.\n\n"
            + recall_table(runs, types, bench.page_ids)
        )
    columns = [(f"{bench.name} articles" if types != ["article"] else bench.name, _pool(scoped))]
    if types != ["article"]:
        columns.append((f"{bench.name} all pages", _pool(runs)))
    note = "" if types == ["article"] else " (trusted: judged on the article pages, whose truth is reliable)"
    parts.append(f"## {bench.name}: what each rule removes, and how much of it is debris{note}\n\n" + rule_table(columns, judged=1))
    reference = "the truth's title" if any(bench.metadata.get(page, {}).get("title") for page in bench.truth) else "the saved page's own title (`og:title`, else `<title>`)"
    parts.append(
        f"## {bench.name}: titles the headline rule takes from the text\n\nEvery extractor's output of every page, judged against {reference}: "
        "the same title, or most of its words (a site adds its name or a dek). A wrong title is worse than none.\n\n" + title_table(runs, bench.reference_title)
    )
    return parts


def _pool(runs: list[ExtractorRun]):
    pooled = {}
    for run in runs:
        for key, tally in run.tallies.items():
            pooled.setdefault(key, type(tally)()).add(tally)
    return pooled


def _report(tables: str, command: str) -> str:
    return f"""# Cleaning quality

Measured {datetime.now(timezone.utc):%Y-%m-%d} on cleaner commit `{_commit()}`. Reproduce with:

```sh
{command}
```

Each extractor's output is cleaned in body-only mode (`Cleaner.clean`, then `render(..., "txt",
body_only=True)`) and scored against the ground truth with the article-extraction benchmark's
metric (word 4-gram shingles, per-page precision and recall averaged over pages, F1 of the
means; `scripts/evaluation/metric.py`). *Oracle* keeps exactly the input lines whose tokens are
mostly in true-body 4-grams: the ceiling for a cleaner that keeps or drops whole lines. *Gap
closed* is the share of the way from F1 before cleaning to the oracle's F1 that cleaning went.
*C4* is the generic baseline: C4's line rules. The targets (on held-out pages; here a guide):
F1 never falls, recall falls by at most 0.002 (0.010 for whole-page dumps), and F1 closes at
least half the gap to the oracle (two thirds for whole-page dumps). In the rule table, *debris*
is the share of the tokens a rule took out of the body that belong to debris lines, as the line
oracle labels them (less than half of a line's tokens in a true 4-gram); a rule is trusted at
{TRUSTED:.0%} or more on the article pages. Lines *moved* (a headline into the title, a caption
or a player label into the media, gallery captions into the gallery, a bio into the author)
are not lost: the Markdown, HTML and EPUB outputs show them where they stood; the share given
is how often the benchmark's truth counts them as body text instead.

{tables}
"""


TRUSTED = 0.98


#: A hand-written section of the report (what the figures mean, the scorer's
#: leave-sites-out validation), carried over when the tables are measured again.
NOTES_START, NOTES_END = "<!-- notes:start -->", "<!-- notes:end -->"


def _keep_sections(path: Path, report: str) -> str:
    """The new report with the readers' section of the old one (``--from`` writes that
    section; this run did not measure it), the site memory's (``evaluate_sites.py``) and
    its hand-written notes carried over."""
    from evaluation.readers_report import END, START, kept_section, splice

    try:
        old = path.read_text(encoding="utf-8")
    except OSError:
        return report
    kept = kept_section(old)
    if kept:
        report = splice(report, kept[len(START) : -len(END)])
    from evaluate_sites import END as SITES_END, START as SITES_START, splice as splice_sites

    start, end = old.find(SITES_START), old.find(SITES_END)
    if 0 <= start < end:  # written by scripts/evaluate_sites.py
        report = splice_sites(report, old[start + len(SITES_START) : end])
    start, end = old.find(NOTES_START), old.find(NOTES_END)
    if 0 <= start < end:
        notes = old[start : end + len(NOTES_END)]
        first = report.find("\n## ")  # after the introduction, before the first table
        report = report[:first] + "\n\n" + notes + report[first:] if first >= 0 else report + "\n" + notes + "\n"
    return report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", action="append", metavar="NAME", help=f"benchmark name under {BENCH_ROOT} or a path (repeatable; default: {', '.join(BENCHES)})")
    parser.add_argument("--write", type=Path, metavar="FILE", help="write the Markdown report here, e.g. docs/quality.md")
    parser.add_argument("--extractor", action="append", metavar="NAME", help="only this extractor (repeatable; names of inputs/*.json)")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="list the N pages losing most recall and the N least precise after cleaning")
    parser.add_argument("--page", metavar="ID", help="for this page (id or unique prefix): removed lines that are true body, kept lines that are not")
    parser.add_argument("--disable", action="append", default=[], metavar="RULE", help="clean with this rule disabled (repeatable)")
    parser.add_argument("--rules", action="append", default=[], metavar="PACK", help="clean with this rule pack added (repeatable)")
    parser.add_argument("--from", dest="from_", choices=("html", "md", "all"), help="evaluate the readers instead: saved pages (html, with metadata), whole-page Markdown outputs (md), or both")
    parser.add_argument("--all-pages", action="store_true", help="--from html on modern-dev: every page type, not only the articles")
    parser.add_argument("--timings", type=Path, metavar="FILE", help="--from: write the time per page of each reader into FILE's readers section (docs/performance.md)")
    return parser


def _find_page(prefix: str, bench: Benchmark) -> str:
    found = [page for page in bench.truth if page.startswith(prefix)]
    if len(found) != 1:
        raise BenchmarkError(f"{'no' if not found else 'more than one'} page id starting with {prefix!r} in {bench.name}")
    return found[0]


def _print_worst(bench: Benchmark, run: ExtractorRun, count: int) -> None:
    losing = sorted((p for p in run.pages if p.recall_loss > 0), key=lambda p: -p.recall_loss)[:count]
    imprecise = sorted((p for p in run.pages if p.after.precision is not None), key=lambda p: p.after.precision)[:count]
    print(f"\n## {bench.name} / {run.extractor}: largest recall loss in cleaning")
    for page in losing:
        info = bench.pages[page.page]
        print(f"  {page.page[:16]} {info.page_type:8s} {info.site[:30]:30s} recall {page.before.recall:.3f} → {page.after.recall:.3f}")
    print(f"\n## {bench.name} / {run.extractor}: lowest precision after cleaning")
    for page in imprecise:
        info = bench.pages[page.page]
        print(f"  {page.page[:16]} {info.page_type:8s} {info.site[:30]:30s} precision {page.before.precision or 0:.3f} → {page.after.precision:.3f}")


def _print_page(bench: Benchmark, extractor: str, page: str, cleaner: Cleaner) -> None:
    """Every entry of the page with cleaner's decision, marked where the truth disagrees."""
    text = bench.outputs[extractor][page]
    document, reading = cleaner.scan(text)
    build(document, reading)
    coverage = truth_coverage(set(shingles(bench.truth[page])), document.lines)
    print(f"\n## {bench.name} / {extractor} / {page} ({bench.pages[page].site}, {bench.pages[page].page_type})")
    for index, (line, decision, covered) in enumerate(zip(document.lines, document.decisions, coverage)):
        if covered is None:
            continue
        true = covered >= TRUE_LINE_COVERAGE
        kept = decision is None
        flag = "  " if kept == true else ("!!" if true else "??")  # !! true text removed, ?? debris kept
        where = "body" if kept else f"{decision.rule}: {decision.reason}"
        print(f"{flag} {document.spans[index][0]:>4} {covered:4.0%} [{where[:60]}] {line[:150]}")


def _commit() -> str:
    """The checked-out commit, marked when the package has uncommitted changes."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" + uncommitted changes in cleaner/" if git("status", "--porcelain", "--untracked-files=no", "--", "cleaner") else "")


if __name__ == "__main__":
    sys.exit(main())
