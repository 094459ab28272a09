"""Measure what cleaning does to extracted article bodies, with the metric of the public
article-extraction-benchmark (scrapinghub), re-implemented here.

The metric: tokens are the matches of ``\\w+``; each text becomes the multiset of its word
4-grams (a text of 1 to 3 tokens is one shorter shingle, as in the benchmark's code); per
page tp = shared shingles, fp = excess predicted, fn = excess true, normalised by their sum
so every page weighs the same. Precision and recall are means over pages, F1 is that of the
means. The benchmark is read from a directory holding ``ground-truth.json`` and
``inputs/<extractor>.json``; nothing here keeps state between calls.

    bench = load_benchmark(Path("../shared/bench/aeb-dev"))
    result = evaluate_extractor(bench.truth, bench.outputs["trafilatura"], "trafilatura")
    print(result.before.f1, result.c4.f1, result.after.f1)

``scripts/evaluate.py`` is the command line over these functions.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .decode import decode
from .errors import CleanerError, InputError
from .pipeline import clean
from .render import render

TOKEN = re.compile(r"\w+")
SHINGLE_SIZE = 4

#: C4's line rules (Raffel et al. 2020, as datatrove's C4QualityFilter applies them):
#: keep a line only if it ends in terminal punctuation (not an ellipsis), has at least three
#: words and mentions neither javascript nor a site policy.
C4_END_PUNCTUATION = (".", "?", "!", '"', "'")
C4_MIN_WORDS = 3
C4_BANNED_SUBSTRINGS = ("javascript", "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")

#: A line counts as true body text when at least this share of its tokens lies in a
#: 4-gram of the page that also occurs in the ground truth.
TRUE_LINE_COVERAGE = 0.5


# --- the metric ------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of word n-grams; a non-empty text shorter than ``size`` is one shingle."""
    words = tokens(text)
    return Counter(tuple(words[start : start + size]) for start in range(max(1, len(words) - size + 1)) if words)


@dataclass(frozen=True, slots=True)
class Match:
    """One page's shingle counts, normalised to sum to 1 (all 0 when both texts are empty)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        """None when the page has no predicted shingles: it does not count in the mean."""
        if self.tp + self.fp == 0:
            return None
        return 1.0 if self.fn == 0 and self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """None when the page has no true shingles: it does not count in the mean."""
        if self.tp + self.fn == 0:
            return None
        return 1.0 if self.fn == 0 and self.fp == 0 else self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        return f1(self.precision or 0.0, self.recall or 0.0)


def match(truth: str, prediction: str) -> Match:
    true, predicted = shingles(truth), shingles(prediction)
    tp = sum((true & predicted).values())
    fp = sum((predicted - true).values())
    fn = sum((true - predicted).values())
    total = tp + fp + fn
    return Match(tp / total, fp / total, fn / total) if total else Match(0.0, 0.0, 0.0)


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)


def score(matches: Iterable[Match]) -> Score:
    """Mean precision and mean recall over the pages where each is defined."""
    matches = list(matches)
    precisions = [m.precision for m in matches if m.precision is not None]
    recalls = [m.recall for m in matches if m.recall is not None]
    return Score(_mean(precisions), _mean(recalls))


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


# --- the baseline ----------------------------------------------------------------------


def c4_line_filter(text: str) -> str:
    """The generic baseline: C4's line rules, with no knowledge of news debris."""
    return "\n".join(line.strip() for line in text.split("\n") if _c4_keeps(line.strip()))


def _c4_keeps(line: str) -> bool:
    lowered = line.lower()
    return (
        line.endswith(C4_END_PUNCTUATION)
        and not line.endswith("...")
        and len(line.split()) >= C4_MIN_WORDS
        and not any(banned in lowered for banned in C4_BANNED_SUBSTRINGS)
    )


# --- the benchmark ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Benchmark:
    truth: dict[str, str]  # page id → true article body
    outputs: dict[str, dict[str, str]]  # extractor → page id → extracted text
    versions: dict[str, str]  # extractor → its version, "" when unknown


def load_benchmark(root: Path) -> Benchmark:
    """Read ``ground-truth.json`` and ``inputs/*.json``; ``InputError`` when they are missing."""
    truth_path = root / "ground-truth.json"
    if not truth_path.is_file() or not (root / "inputs").is_dir():
        raise InputError(f"benchmark not found at {root} (expected ground-truth.json and inputs/)")
    try:
        truth = {page: record.get("articleBody") or "" for page, record in _read_json(truth_path).items()}
        outputs, versions = {}, {}
        for path in sorted((root / "inputs").glob("*.json")):
            data = _read_json(path)
            outputs[path.stem] = {page: (data["output"].get(page) or {}).get("articleBody") or "" for page in truth}
            versions[path.stem] = data.get("version") or ""
    except (OSError, ValueError, KeyError, AttributeError) as error:
        raise InputError(f"benchmark at {root} cannot be read: {error}") from None
    return Benchmark(truth, outputs, versions)


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- evaluating cleaner ----------------------------------------------------------------


def clean_body(text: str, disable: Iterable[str] = ()) -> str:
    """What cleaner keeps of an extracted body: clean, then render the body as plain text."""
    if not text:
        return ""
    return render(clean(text, disable=disable), "txt", body_only=True)


@dataclass(frozen=True, slots=True)
class PageResult:
    page: str
    before: Match
    after: Match

    @property
    def recall_loss(self) -> float:
        return (self.before.recall or 0.0) - (self.after.recall or 0.0)


@dataclass(frozen=True, slots=True)
class ExtractorResult:
    extractor: str
    before: Score
    c4: Score
    after: Score
    oracle: Score  # the best any line filter could do (see ``line_oracle``)
    pages: tuple[PageResult, ...]
    errors: tuple[str, ...] = ()  # "page: message" for pages cleaner refused (scored as empty)

    @property
    def delta_f1(self) -> float:
        return self.after.f1 - self.before.f1

    @property
    def delta_recall(self) -> float:
        return self.after.recall - self.before.recall


def evaluate_extractor(
    truth: Mapping[str, str],
    outputs: Mapping[str, str],
    extractor: str,
    cleaner: Callable[[str], str] = clean_body,
) -> ExtractorResult:
    """Score one extractor's texts before cleaning, under the C4 baseline, after ``cleaner``
    and under the line oracle."""
    pages, c4, oracle, errors = [], [], [], []
    for page, true_text in truth.items():
        text = outputs.get(page, "")
        try:
            cleaned = cleaner(text)
        except CleanerError as error:
            errors.append(f"{page}: {error}")
            cleaned = ""
        pages.append(PageResult(page, match(true_text, text), match(true_text, cleaned)))
        c4.append(match(true_text, c4_line_filter(text)))
        oracle.append(match(true_text, line_oracle(true_text, text)))
    return ExtractorResult(
        extractor,
        before=score(p.before for p in pages),
        c4=score(c4),
        after=score(p.after for p in pages),
        oracle=score(oracle),
        pages=tuple(pages),
        errors=tuple(errors),
    )


# --- targets ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """Acceptance (on the held-out half): F1 at least ``min_f1`` and higher than before,
    recall down by at most ``max_recall_loss``."""

    min_f1: float
    max_recall_loss: float = 0.005

    def failures(self, result: ExtractorResult) -> list[str]:
        failed = []
        if result.delta_f1 <= 0:
            failed.append("F1 did not rise")
        if -result.delta_recall > self.max_recall_loss:
            failed.append(f"recall fell by more than {self.max_recall_loss}")
        if result.after.f1 < self.min_f1:
            failed.append(f"F1 below {self.min_f1}")
        return failed


TARGETS: dict[str, Target] = {
    "trafilatura": Target(0.965),
    "readability_js": Target(0.955),
    "newspaper": Target(0.960),
    "goose3": Target(0.905),
    "justext": Target(0.800),
    "html-text": Target(0.85, max_recall_loss=0.05),  # a whole-page dump: some loss is allowed
}


# --- diagnosis of one page -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One input line as cleaner decided it: ``owner`` is "body" when kept in the body text,
    otherwise where it went ("removed:caption", "gallery", "media", "author")."""

    number: int
    text: str
    owner: str
    reason: str = ""

    @property
    def kept(self) -> bool:
        return self.owner == "body"


def cleaned_lines(text: str, disable: Iterable[str] = ()) -> tuple[Line, ...]:
    """Every input line with cleaner's decision and, for removed lines, the rule and reason."""
    article = clean(text, disable=disable)
    owners = article.line_owners()
    reasons = {number: f"{removal.rule}: {removal.reason}" for removal in article.removed for number in removal.lines.numbers()}
    reasons |= {number: f"media_label: {media.type.value} {media.label!r}" for media in article.media for number in media.lines.numbers()}
    lines = decode(text).text.split("\n") if text else []
    return tuple(
        Line(number, line, owners.get(number, "unaccounted"), reasons.get(number, ""))
        for number, line in enumerate(lines, start=1)
    )


@dataclass(frozen=True, slots=True)
class LineVerdict:
    line: Line
    coverage: float  # share of the line's tokens inside a 4-gram found in the truth


@dataclass(frozen=True, slots=True)
class PageDiagnosis:
    wrongly_removed: tuple[LineVerdict, ...]  # removed, yet mostly true body text
    missed_debris: tuple[LineVerdict, ...]  # kept, yet mostly not in the truth


def diagnose_page(truth: str, lines: Sequence[Line]) -> PageDiagnosis:
    """Which of cleaner's line decisions disagree with the ground truth."""
    verdicts = [
        LineVerdict(line, coverage)
        for line, coverage in zip(lines, truth_coverage(truth, [line.text for line in lines]))
        if coverage is not None
    ]
    return PageDiagnosis(
        wrongly_removed=tuple(v for v in verdicts if not v.line.kept and v.coverage >= TRUE_LINE_COVERAGE),
        missed_debris=tuple(v for v in verdicts if v.line.kept and v.coverage < TRUE_LINE_COVERAGE),
    )


def truth_coverage(truth: str, lines: Sequence[str]) -> list[float | None]:
    """For each line, the share of its tokens inside a 4-gram that also occurs in the truth
    (None for a line without tokens).

    The 4-grams run over the whole text's token stream, so a short line (a heading, a
    one-word sentence) is judged by the 4-grams that run through it into its neighbours.
    """
    true_shingles = set(shingles(truth))
    line_of_token = [index for index, line in enumerate(lines) for _ in tokens(line)]
    stream = [word for line in lines for word in tokens(line)]
    covered = [False] * len(stream)
    if 0 < len(stream) < SHINGLE_SIZE:
        covered = [tuple(stream) in true_shingles] * len(stream)
    for start in range(len(stream) - SHINGLE_SIZE + 1):
        if tuple(stream[start : start + SHINGLE_SIZE]) in true_shingles:
            covered[start : start + SHINGLE_SIZE] = [True] * SHINGLE_SIZE
    hits, sizes = Counter(), Counter(line_of_token)
    for index, is_covered in zip(line_of_token, covered):
        hits[index] += is_covered
    return [hits[index] / sizes[index] if sizes[index] else None for index in range(len(lines))]


def line_oracle(truth: str, text: str) -> str:
    """The ceiling of line-level cleaning: keep exactly the lines that are mostly true body."""
    lines = text.split("\n")
    return "\n".join(
        line for line, coverage in zip(lines, truth_coverage(truth, lines)) if coverage is not None and coverage >= TRUE_LINE_COVERAGE
    )


def worst_pages(result: ExtractorResult, count: int) -> tuple[list[PageResult], list[PageResult]]:
    """The pages that lost most recall in cleaning, and those with the lowest precision after it."""
    losing = sorted((p for p in result.pages if p.recall_loss > 0), key=lambda p: -p.recall_loss)[:count]
    imprecise = sorted((p for p in result.pages if p.after.precision is not None), key=lambda p: p.after.precision)[:count]
    return losing, imprecise


# --- the report ------------------------------------------------------------------------


def results_table(results: Sequence[ExtractorResult]) -> str:
    """One Markdown table: before, the C4 baseline and after cleaning, with the targets."""
    rows = [
        "| extractor | before P | R | F1 | C4 P | R | F1 | after P | R | F1 | ΔF1 | Δrecall | oracle F1 | target F1 | verdict |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        target = TARGETS.get(result.extractor)
        if target is None:
            goal, verdict = "", ""
        else:
            failures = target.failures(result)
            goal, verdict = f"≥ {target.min_f1:.3f}", "pass" if not failures else "FAIL: " + "; ".join(failures)
        cells = [result.extractor]
        for measured in (result.before, result.c4, result.after):
            cells += [f"{measured.precision:.3f}", f"{measured.recall:.3f}", f"**{measured.f1:.3f}**"]
        cells += [_delta(result.delta_f1), _delta(result.delta_recall), f"{result.oracle.f1:.3f}", goal, verdict]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _delta(value: float) -> str:
    """Four decimals, as rule tuning moves these by less than 0.001; no "-0.0000"."""
    return f"{value:+.4f}" if round(value, 4) else "±0"


def quality_report(results: Sequence[ExtractorResult], *, date: str, commit: str, command: str, bench_name: str) -> str:
    errors = [f"- {result.extractor}: {error}" for result in results for error in result.errors]
    return "\n".join(
        [
            "# Cleaning quality on the article-extraction benchmark",
            "",
            f"Measured {date} on cleaner commit `{commit}`, over the {len(results[0].pages) if results else 0} pages of "
            f"`{bench_name}`. Reproduce with:",
            "",
            "```sh",
            command,
            "```",
            "",
            "Each extractor's output is cleaned in body-only mode (`clean` then `render(..., \"txt\", body_only=True)`) "
            "and scored against the ground truth with the benchmark's metric (word 4-gram shingles, per-page "
            "precision and recall averaged over pages, F1 of the means; see `cleaner/evaluate.py`). "
            "*C4* is the generic baseline: C4's line rules (terminal punctuation, at least three words, "
            "no javascript or policy lines). *Oracle* keeps exactly the input lines whose tokens are mostly in "
            "true-body 4-grams: roughly the ceiling for a cleaner that keeps or drops whole lines. Cleaning only "
            "removes text, so recall cannot rise and F1 can reach at most 2R/(1+R) of the recall R before. Targets apply to the held-out half of the benchmark and must also "
            "satisfy: F1 rises, recall falls by at most 0.005 (0.05 for html-text); on this dev half they are a guide.",
            "",
            results_table(results),
            "",
            *(["Pages cleaner refused (scored as empty):", "", *errors, ""] if errors else []),
        ]
    )
