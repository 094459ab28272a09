"""The metric of the public article-extraction benchmark (scrapinghub), re-implemented,
the C4 line-filter baseline, and the line oracle.

Tokens are the matches of ``\\w+``; each text becomes the multiset of its word 4-grams
(a text of 1 to 3 tokens is one shorter shingle, as in the benchmark's code); per page
tp = shared shingles, fp = excess predicted, fn = excess true, normalised by their sum so
every page weighs the same. Precision and recall are means over pages, F1 is that of the
means.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


# --- truth per line ----------------------------------------------------------------------


def token_truth(truth: str | set, lines: Sequence[str]) -> list[tuple[int, int]]:
    """For each line, (tokens, tokens inside a 4-gram that also occurs in the truth).

    The 4-grams run over the whole text's token stream, so a short line (a heading, a
    one-word sentence) is judged by the 4-grams that run through it into its neighbours.
    ``truth`` may be the truth's shingle set, to reuse it across texts."""
    true_shingles = truth if isinstance(truth, set) else set(shingles(truth))
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
    return [(sizes[index], hits[index]) for index in range(len(lines))]


def truth_coverage(truth: str | set, lines: Sequence[str]) -> list[float | None]:
    """For each line, the share of its tokens inside a true 4-gram (None: no tokens)."""
    return [hit / size if size else None for size, hit in token_truth(truth, lines)]


def is_true_line(coverage: float | None) -> bool:
    return coverage is not None and coverage >= TRUE_LINE_COVERAGE


def line_oracle(truth: str, text: str) -> str:
    """The ceiling of line-level cleaning: keep exactly the lines that are mostly true body."""
    lines = text.split("\n")
    return "\n".join(line for line, coverage in zip(lines, truth_coverage(truth, lines)) if is_true_line(coverage))
