"""Running cleaner over a benchmark: per page, the extractor's text before cleaning, after
it, under the C4 baseline and under the line oracle; per rule (and per pattern), how many
tokens it took out of the body and what share of them were truly debris.

The parts that do not depend on cleaner (before, C4, oracle) are cached on disk, keyed by
the benchmark's files, so that measuring a rule change costs only the cleaning.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cleaner import Cleaner, render
from cleaner.build import build
from cleaner.errors import CleanerError

from .benchmark import WHOLE_PAGE, Benchmark
from .metric import TRUE_LINE_COVERAGE, Match, Score, c4_line_filter, line_oracle, match, score, shingles, token_truth

CACHE = Path(os.environ.get("CLEANER_EVAL_CACHE", Path.home() / ".cache" / "cleaner-evaluation"))
_CACHE_VERSION = 2


@dataclass(frozen=True, slots=True)
class PageRun:
    page: str
    before: Match
    after: Match
    c4: Match
    oracle: Match

    @property
    def recall_loss(self) -> float:
        return (self.before.recall or 0.0) - (self.after.recall or 0.0)


@dataclass
class Tally:
    """Tokens a rule took out of the body, and how many of them were not true body text."""

    tokens: int = 0
    debris: int = 0
    lines: int = 0

    @property
    def precision(self) -> float | None:
        return self.debris / self.tokens if self.tokens else None

    def add(self, other: Tally) -> None:
        self.tokens += other.tokens
        self.debris += other.debris
        self.lines += other.lines


#: (rule, what): "what" is the pattern's reason for the pack patterns, else the kind of removal.
TallyKey = tuple[str, str]


@dataclass
class ExtractorRun:
    extractor: str
    whole_page: bool
    pages: tuple[PageRun, ...]
    #: page id → what each rule took from it
    page_tallies: dict[str, dict[TallyKey, Tally]] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    #: page id → the line the headline rule took as the title, and its reason
    page_titles: dict[str, tuple[str, str]] = field(default_factory=dict)

    def only(self, pages: Iterable[str]) -> ExtractorRun:
        wanted = set(pages)
        return ExtractorRun(
            self.extractor,
            self.whole_page,
            tuple(p for p in self.pages if p.page in wanted),
            {page: tallies for page, tallies in self.page_tallies.items() if page in wanted},
            tuple(error for error in self.errors if error.split(":", 1)[0] in wanted),
            {page: title for page, title in self.page_titles.items() if page in wanted},
        )

    @property
    def tallies(self) -> dict[TallyKey, Tally]:
        pooled: dict[TallyKey, Tally] = {}
        for tallies in self.page_tallies.values():
            for key, tally in tallies.items():
                pooled.setdefault(key, Tally()).add(tally)
        return pooled

    @property
    def before(self) -> Score:
        return score(p.before for p in self.pages)

    @property
    def after(self) -> Score:
        return score(p.after for p in self.pages)

    @property
    def c4(self) -> Score:
        return score(p.c4 for p in self.pages)

    @property
    def oracle(self) -> Score:
        return score(p.oracle for p in self.pages)

    @property
    def gap_closed(self) -> float | None:
        """The share of the way from the F1 before cleaning to the oracle's that cleaning went."""
        gap = self.oracle.f1 - self.before.f1
        return (self.after.f1 - self.before.f1) / gap if gap > 0.0005 else None


@dataclass(frozen=True, slots=True)
class Target:
    """The generalisation issue's bar: F1 never falls, recall falls by at most
    ``max_recall_loss``, and F1 closes at least ``gap_share`` of the gap to the oracle."""

    max_recall_loss: float
    gap_share: float

    def failures(self, run: ExtractorRun, *, gap: bool = True) -> list[str]:
        failed = []
        if run.after.f1 < run.before.f1 - 1e-9:
            failed.append("F1 fell")
        loss = run.before.recall - run.after.recall
        if loss > self.max_recall_loss + 1e-9:
            failed.append(f"recall −{loss:.4f} > {self.max_recall_loss}")
        closed = run.gap_closed
        if gap and closed is not None and closed < self.gap_share:
            failed.append(f"closes {closed:.0%} of the gap < {self.gap_share:.0%}")
        return failed


EXTRACTED = Target(max_recall_loss=0.002, gap_share=1 / 2)
DUMP = Target(max_recall_loss=0.010, gap_share=2 / 3)


def target_for(run: ExtractorRun) -> Target:
    return DUMP if run.whole_page else EXTRACTED


class Measure:
    """Cleans texts with one configured ``Cleaner`` and keeps the body and the tallies."""

    def __init__(self, cleaner: Cleaner | None = None) -> None:
        self.cleaner = cleaner or Cleaner()

    def body(self, text: str | bytes, truth_shingles: set | None = None, tallies: dict[TallyKey, Tally] | None = None, titles: list[tuple[str, str]] | None = None) -> str:
        """The cleaned body as plain text; ``tallies`` gets what each rule removed,
        ``titles`` the (line, reason) the headline rule took as the title."""
        if not text:
            return ""
        document, reading = self.cleaner.scan(text)
        article = build(document, reading)
        if tallies is not None and truth_shingles is not None:
            _tally(document, truth_shingles, tallies)
        if titles is not None:
            titles.extend((line, decision.reason) for line, decision in zip(document.lines, document.decisions) if decision is not None and decision.rule == "headline")
        return render(article, "txt", body_only=True)


def _tally(document, truth_shingles: set, tallies: dict[TallyKey, Tally]) -> None:
    for (size, hits), decision in zip(token_truth(truth_shingles, document.lines), document.decisions):
        if decision is None or not size:
            continue
        what = decision.reason if decision.rule == "debris_patterns" else (decision.kind.value if decision.kind else decision.role.value)
        tally = tallies.setdefault((decision.rule, what), Tally())
        # A line is debris as the line oracle has it: less than half its tokens in a true
        # 4-gram (a caption that repeats a sentence of the article shares some, and
        # removing it loses nothing).
        tally.add(Tally(size, 0 if hits / size >= TRUE_LINE_COVERAGE else size, 1))


def run_extractor(bench: Benchmark, extractor: str, measure: Measure, pages: Iterable[str] | None = None) -> ExtractorRun:
    """Every page (or ``pages``) of one extractor: before, after, C4 and oracle."""
    fixed = _fixed(bench, extractor)
    outputs = bench.outputs[extractor]
    runs, errors, page_tallies, page_titles = [], [], {}, {}
    for page in pages if pages is not None else bench.truth:
        truth = bench.truth[page]
        before, c4, oracle = fixed[page]
        tallies = page_tallies[page] = {}
        titles: list[tuple[str, str]] = []
        try:
            cleaned = measure.body(outputs[page], set(shingles(truth)), tallies, titles)
        except CleanerError as error:
            errors.append(f"{page}: {error}")
            cleaned = ""
        if titles:
            page_titles[page] = titles[0]
        runs.append(PageRun(page, before, match(truth, cleaned), c4, oracle))
    return ExtractorRun(extractor, extractor in WHOLE_PAGE, tuple(runs), page_tallies, tuple(errors), page_titles)


def _fixed(bench: Benchmark, extractor: str) -> dict[str, tuple[Match, Match, Match]]:
    """Before, C4 and oracle per page: they do not depend on cleaner, so they are cached."""
    source = bench.root / "inputs" / f"{extractor}.json"
    truth = bench.root / "ground-truth.json"
    key = f"{_CACHE_VERSION}:{source.resolve()}:{source.stat().st_mtime_ns}:{truth.stat().st_mtime_ns}"
    path = CACHE / f"{bench.name}-{extractor}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.PickleError, EOFError):
        pass
    fixed = {}
    for page, truth_text in bench.truth.items():
        text = bench.outputs[extractor][page]
        fixed[page] = (match(truth_text, text), match(truth_text, c4_line_filter(text)), match(truth_text, line_oracle(truth_text, text)))
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(fixed))
    except OSError:
        pass  # no cache: slower next time, nothing else
    return fixed


def pooled_tallies(runs: Iterable[ExtractorRun]) -> dict[TallyKey, Tally]:
    pooled: dict[TallyKey, Tally] = {}
    for run in runs:
        for key, tally in run.tallies.items():
            pooled.setdefault(key, Tally()).add(tally)
    return pooled


def rule_tallies(tallies: dict[TallyKey, Tally]) -> dict[str, Tally]:
    """The tallies summed per rule."""
    per_rule: dict[str, Tally] = {}
    for (rule, _), tally in tallies.items():
        per_rule.setdefault(rule, Tally()).add(tally)
    return per_rule
