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
    for name in args.bench or BENCHES:
        bench = load_benchmark(Path(name) if os.sep in name else BENCH_ROOT / name)
        sections.append(evaluate(bench, args.extractor or sorted(bench.outputs), args.min_documents, args.min_share, args.lines))
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
    "groups them by site (the host of each page's address) and keeps the lines found in at least "
    f"{DEFAULT_MIN_DOCUMENTS} of a site's documents and {DEFAULT_MIN_SHARE:.0%} of them; each output is "
    "then cleaned again with `--memory`. Only the pages of sites with that many pages can change; "
    "the tables give those pages before cleaning, cleaned without the memory and with it, and what "
    "the rule `site_template` removed (tokens, and the share that is debris as the line oracle "
    "labels it). The last column is the recall change over every page of the benchmark, every page "
    "type: the bar for do-no-harm is a loss of at most 0.010."
)


def evaluate(bench: Benchmark, extractors: list[str], min_documents: int, min_share: float, show: int) -> str:
    pages = list(bench.truth)
    site = {page: site_of(bench.pages[page].url) if bench.pages else page for page in pages}
    per_site = Counter(site.values())
    changed = [page for page in pages if per_site[site[page]] >= min_documents]
    title = f"### {bench.name}: {len(changed)} pages of {sum(1 for count in per_site.values() if count >= min_documents)} sites with {min_documents} pages or more"
    if not changed:
        return f"{title}\n\nNo site of {bench.name} has {min_documents} pages: the memory can change nothing here."
    plain = Cleaner()
    rows, shown = [], []
    for extractor in extractors:
        outputs = bench.outputs[extractor]
        learner = Learner(min_documents=min_documents, min_share=min_share)
        for page in pages:
            text = outputs.get(page) or ""
            learner.add(plain.read(text).lines.texts if text else (), url=bench.pages[page].url if bench.pages else None)
        memory = learner.memory()
        remembering = Cleaner(memory=memory)
        before, without, with_memory, recall_without, recall_with = [], [], [], [], []
        removed = Counter()
        for page in pages:
            truth, text = bench.truth[page], outputs.get(page) or ""
            metadata = Metadata(url=bench.pages[page].url) if bench.pages else None
            kept_without = _body(plain, text, metadata)
            document, reading = remembering.scan(text, metadata=metadata) if text else (None, None)
            kept_with = render(build(document, reading), "txt", body_only=True) if document else ""
            recall_without.append(match(truth, kept_without))
            recall_with.append(match(truth, kept_with))
            if page not in changed:
                continue
            before.append(match(truth, text))
            without.append(recall_without[-1])
            with_memory.append(recall_with[-1])
            if document is not None:
                true_shingles = set(shingles(truth))
                for (size, hits), decision, line in zip(token_truth(true_shingles, document.lines), document.decisions, document.lines):
                    if decision is not None and decision.rule == "site_template" and size:
                        true = hits / size >= TRUE_LINE_COVERAGE
                        removed["tokens"] += size
                        removed["true"] += size if true else 0
                        if true and len(shown) < show:
                            shown.append(f"{extractor} {page} ({site[page]}): {line[:120]}")
        lines = sum(len(found.lines) for found in memory.sites.values())
        rows.append((extractor, score(before), score(without), score(with_memory), removed, lines, score(recall_with).recall - score(recall_without).recall))
    table = [
        "| extractor | kind | template lines learned | F1 before | F1 cleaned | F1 cleaned with memory | ΔF1 | Δrecall | tokens removed by site_template | debris | Δrecall, every page |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for extractor, raw, cleaned, remembered, removed, lines, all_recall in rows:
        debris = f"{1 - removed['true'] / removed['tokens']:.1%}" if removed["tokens"] else ""
        kind = "whole page" if extractor in WHOLE_PAGE else "extracted"
        table.append(
            f"| {extractor} | {kind} | {lines:,} | {raw.f1:.3f} | {cleaned.f1:.3f} | **{remembered.f1:.3f}** | {remembered.f1 - cleaned.f1:+.4f} | "
            f"{remembered.recall - cleaned.recall:+.4f} | {removed['tokens']:,} | {debris} | {all_recall:+.4f} |"
        )
    total = Counter()
    for row in rows:
        total.update(row[4])
    pooled = f"Pooled over the extractors, `site_template` removed {total['tokens']:,} tokens, {1 - total['true'] / total['tokens']:.1%} of them debris." if total["tokens"] else "`site_template` removed nothing."
    text = f"{title}\n\n" + "\n".join(table) + f"\n\n{pooled}"
    if shown:
        text += "\n\nTrue body it removed (first lines):\n\n" + "\n".join(f"- {line}" for line in shown)
    return text


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
    parser.add_argument("--min-documents", type=int, default=DEFAULT_MIN_DOCUMENTS, metavar="N", help="as cleaner learn's")
    parser.add_argument("--min-share", type=float, default=DEFAULT_MIN_SHARE, metavar="S", help="as cleaner learn's")
    parser.add_argument("--lines", type=int, default=0, metavar="N", help="list the first N true-body lines the memory removed")
    parser.add_argument("--write", type=Path, metavar="FILE", help="write the section into this report (docs/quality.md)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
