#!/usr/bin/env python3
"""Score the site memory (``cleaner learn`` + ``--memory``) on the development benchmarks, as
a batch would use it: for each extractor, its outputs for every page of a benchmark are the
corpus; a memory is learned from them (grouped by each page's site, from its address; the
truth is never read) and every output is cleaned again with it. The figures compare the
outputs cleaned without and with the memory, on the pages of the sites that have at least
``--min-documents`` pages (no other page can change), and the recall over every page (do no
harm: the memory must not take content from any page type).

    python scripts/evaluate_sites.py                          # both dev benchmarks
    python scripts/evaluate_sites.py --write docs/quality.md  # also its section of the report
    python scripts/evaluate_sites.py --bench modern-dev --extractor trafilatura --lines 20
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluation.benchmark import WHOLE_PAGE, Benchmark, load_benchmark  # noqa: E402
from evaluation.metric import TRUE_LINE_COVERAGE, match, score, shingles, token_truth  # noqa: E402

from cleaner import Cleaner, Metadata, render  # noqa: E402
from cleaner.build import build  # noqa: E402
from cleaner.io import write_atomic  # noqa: E402
from cleaner.sites import DEFAULT_MIN_DOCUMENTS, DEFAULT_MIN_SHARE, Learner, site_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH_ROOT = Path(os.environ.get("CLEANER_BENCH_ROOT", ROOT.parent / "shared" / "bench"))
BENCHES = ("aeb-dev", "modern-dev")
START, END = "<!-- sites:start -->", "<!-- sites:end -->"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    sections = []
    plain: dict = {}  # each output cleaned without a memory: once, whatever the N
    for minimum in args.min_documents or (DEFAULT_MIN_DOCUMENTS, 2):
        for name in args.bench or BENCHES:
            bench = load_benchmark(Path(name) if os.sep in name else BENCH_ROOT / name)
            sections.append(evaluate(bench, args.extractor or sorted(bench.outputs), minimum, args.min_share, args.lines, plain))
    text = "\n\n".join(sections)
    print(text)
    if args.write:
        command = shlex.join(["python", "scripts/evaluate_sites.py", *argv])
        section = f"## The site memory: template lines learned from a batch\n\nMeasured {datetime.now(timezone.utc):%Y-%m-%d} on cleaner commit `{_commit()}`. Reproduce with `{command}`.\n\n{INTRODUCTION}\n\n{text}"
        write_atomic(args.write, splice(args.write.read_text(encoding="utf-8"), section))
        print(f"\nwrote {args.write}", file=sys.stderr)
    return 0


INTRODUCTION = (
    "For each extractor, its outputs of all the benchmark's pages are one corpus: `cleaner learn` "
    "groups them by site (the host of each page's address; the truth is never read) and keeps the "
    "lines found in at least N of a site's documents and "
    f"{DEFAULT_MIN_SHARE:.0%} of them; each output is then cleaned again with `--memory`. Only the pages "
    "of sites with N pages or more can change; the tables give those pages before cleaning, cleaned "
    "without the memory and with it, and what the rule `site_template` removed (tokens, and the share "
    "that is debris as the line oracle labels it). The last column is the recall change over every "
    "page of the benchmark, every page type: the bar for do-no-harm is a loss of at most 0.010. "
    f"N = {DEFAULT_MIN_DOCUMENTS} is `cleaner learn`'s default; at that N the dev benchmarks have no "
    "article page to measure (aeb-dev has no site with three pages; modern-dev's are shops and "
    "documentation), so the tables are given again at N = 2. A real batch has hundreds of pages of a "
    "site, where a template line stands in nearly all of them."
)


def evaluate(bench: Benchmark, extractors: list[str], min_documents: int, min_share: float, show: int, plain_matches: dict | None = None) -> str:
    """The section of one benchmark at one N. ``plain_matches`` keeps, across calls, each
    output's match before cleaning and cleaned without the memory (they do not depend on N)."""
    plain_matches = {} if plain_matches is None else plain_matches
    pages = list(bench.truth)
    site = {page: site_of(bench.pages[page].url) if bench.pages else page for page in pages}
    per_site = Counter(site.values())
    changed = [page for page in pages if per_site[site[page]] >= min_documents]
    title = f"### {bench.name}: {len(changed)} pages of {sum(1 for count in per_site.values() if count >= min_documents)} sites with {min_documents} pages or more"
    if not changed:
        return f"{title}\n\nNo site of {bench.name} has {min_documents} pages: the memory can change nothing here."
    articles = [page for page in changed if bench.pages[page].page_type == "article"]
    others = [page for page in changed if bench.pages[page].page_type != "article"]
    scopes = [(f"the {len(articles)} article pages", articles), (f"the {len(others)} pages of other types (do no harm; their truth is less reliable)", others)]
    plain = Cleaner()
    results = {name: [] for name, _ in scopes}
    removed_by_scope = {name: Counter() for name, _ in scopes}
    shown: list[str] = []
    for extractor in extractors:
        outputs = bench.outputs[extractor]
        learner = Learner(min_documents=min_documents, min_share=min_share)
        for page in pages:
            text = outputs.get(page) or ""
            learner.add(plain.read(text).lines.texts if text else (), url=bench.pages[page].url or None)
        memory = learner.memory()
        remembering = Cleaner(memory=memory)
        matches: dict[str, tuple] = {}
        removed: dict[str, Counter] = {}
        known = plain_matches.setdefault((bench.name, extractor), {})
        for page in pages:
            truth, text = bench.truth[page], outputs.get(page) or ""
            metadata = Metadata(url=bench.pages[page].url or None)
            document, reading = remembering.scan(text, metadata=metadata) if text else (None, None)
            kept_with = render(build(document, reading), "txt", body_only=True) if document else ""
            if page not in known:
                known[page] = (match(truth, text), match(truth, _body(plain, text, metadata)))
            matches[page] = (*known[page], match(truth, kept_with))
            removed[page] = Counter()
            if document is None or page not in changed:
                continue
            true_shingles = set(shingles(truth))
            for (size, hits), decision, line in zip(token_truth(true_shingles, document.lines), document.decisions, document.lines):
                if decision is not None and decision.rule == "site_template" and size:
                    true = hits / size >= TRUE_LINE_COVERAGE
                    removed[page]["tokens"] += size
                    removed[page]["true"] += size if true else 0
                    if true and len(shown) < show:
                        shown.append(f"{extractor} {page} ({site[page]}, {bench.pages[page].page_type}): {line[:120]}")
        every = score(match_[1] for match_ in matches.values()).recall, score(match_[2] for match_ in matches.values()).recall
        lines = sum(len(found.lines) for found in memory.sites.values())
        for name, scoped in scopes:
            if not scoped:
                continue
            tally = Counter()
            for page in scoped:
                tally.update(removed[page])
            removed_by_scope[name].update(tally)
            before, without, remembered = (score(matches[page][number] for page in scoped) for number in range(3))
            results[name].append((extractor, before, without, remembered, tally, lines, every[1] - every[0]))
    parts = [title]
    for name, scoped in scopes:
        if not scoped:
            continue
        table = [
            f"{name.capitalize()}:",
            "",
            "| extractor | kind | template lines learned | F1 before | F1 cleaned | F1 cleaned with memory | ΔF1 | Δrecall | tokens removed by site_template | debris | Δrecall, every page |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for extractor, raw, cleaned, remembered, removed, lines, all_recall in results[name]:
            debris = f"{1 - removed['true'] / removed['tokens']:.1%}" if removed["tokens"] else ""
            kind = "whole page" if extractor in WHOLE_PAGE else "extracted"
            table.append(
                f"| {extractor} | {kind} | {lines:,} | {raw.f1:.3f} | {cleaned.f1:.3f} | **{remembered.f1:.3f}** | {remembered.f1 - cleaned.f1:+.4f} | "
                f"{remembered.recall - cleaned.recall:+.4f} | {removed['tokens']:,} | {debris} | {all_recall:+.4f} |"
            )
        total = removed_by_scope[name]
        pooled = f"Pooled over the extractors, `site_template` removed {total['tokens']:,} tokens here, {1 - total['true'] / total['tokens']:.1%} of them debris." if total["tokens"] else "`site_template` removed nothing here."
        parts.append("\n".join(table) + f"\n\n{pooled}")
    if shown:
        parts.append("True body it removed (the first lines found):\n\n" + "\n".join(f"- {line}" for line in shown))
    return "\n\n".join(parts)


def _body(cleaner: Cleaner, text: str, metadata: Metadata | None) -> str:
    if not text:
        return ""
    return render(cleaner.clean(text, metadata=metadata), "txt", body_only=True)


def splice(existing: str, section: str) -> str:
    block = f"{START}\n{section.strip()}\n{END}"
    start, end = existing.find(START), existing.find(END)
    if 0 <= start < end:
        return existing[:start] + block + existing[end + len(END) :]
    return existing.rstrip("\n") + "\n\n" + block + "\n"


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", action="append", metavar="NAME", help=f"benchmark name under {BENCH_ROOT} or a path (repeatable; default: {', '.join(BENCHES)})")
    parser.add_argument("--extractor", action="append", metavar="NAME", help="only this extractor (repeatable)")
    parser.add_argument("--min-documents", type=int, action="append", metavar="N", help=f"as cleaner learn's (repeatable; default: {DEFAULT_MIN_DOCUMENTS}, cleaner learn's default, then 2, the only value at which the dev benchmarks have article pages to measure)")
    parser.add_argument("--min-share", type=float, default=DEFAULT_MIN_SHARE, metavar="S", help="as cleaner learn's")
    parser.add_argument("--lines", type=int, default=0, metavar="N", help="list the first N true-body lines the memory removed")
    parser.add_argument("--write", type=Path, metavar="FILE", help="write the section into this report (docs/quality.md)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
