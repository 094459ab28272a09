"""Boilerplate that no vocabulary names: menus, section labels, teasers of other stories,
footers, the furniture of a whole page around its article.

A small learned model decides: gradient-boosted shallow trees over the measurements of
``measure.py`` (a line's own shape and its context), trained on the lines of the two
development benchmarks with labels from their truth and validated by leaving whole sites
out (``scripts/train_boilerplate.py``, results in ``docs/quality.md``). Its weights ship
as data (``boilerplate.json``) and run in pure Python. It removes a line only when it is
sure, and never against the hard constraints below, which say what is content whatever
the model thinks:

- prose inside the article (between its first and last paragraph) stays;
- a run of lines that look alike (a list, a table, a schedule, results) inside the
  article's densest stretch of prose stays, and so does a run a colon or a heading
  introduces ("The tour dates:");
- list, table and code blocks inside the article stay.

Each removal says why, by the signs that weighed most in the model's decision.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..model import RemovalKind
from .base import Scan, drop
from .measure import FEATURES, measure

NAME = "boilerplate"

_F = {name: number for number, name in enumerate(FEATURES)}

def _count(value: float) -> int:
    return round(math.expm1(value))


#: How a sign reads in a removal's reason, given the line's value of that feature (None:
#: the value says nothing a person would call a reason).
_SIGNS = {
    "before_prose": lambda value: "before the first paragraph" if value else None,
    "after_prose": lambda value: "after the last paragraph" if value else None,
    "in_densest": lambda value: None if value else "outside the article's densest prose",
    "log_words": lambda value: f"{_count(value)} word{'s' if _count(value) != 1 else ''}" if _count(value) <= 12 else None,
    "capitalised": lambda value: "title-cased" if value > 0.6 else None,
    "sentence_end": lambda value: None if value else "no closing punctuation",
    "link_share": lambda value: f"{value:.0%} link text" if value > 0.3 else None,
    "window_removed": lambda value: "among removed debris" if value > 0.3 else None,
    "window_prose": lambda value: "far from any paragraph" if value < 0.2 else None,
    "log_run": lambda value: f"in a run of {_count(value)} short lines" if _count(value) >= 3 else None,
    "frequent_words": lambda value: "few of the page's common words" if value < 0.2 else None,
    "repeated": lambda value: "repeated in the page" if value else None,
    "separators": lambda value: "items separated by | or •" if value else None,
    "title_like": lambda value: "the page title again" if value else None,
    "doc_prose": lambda value: "a whole page, mostly not prose" if value < 0.3 else None,
    "url": lambda value: "a web address" if value else None,
}


@dataclass(frozen=True, slots=True)
class Model:
    """Trees as flat node lists: (feature, threshold, left, right, value); a leaf has
    feature -1. The raw score is ``base`` plus one leaf value per tree; its logistic is
    the probability that a line is boilerplate."""

    features: tuple[str, ...]
    trees: tuple[tuple[tuple[int, float, int, int, float], ...], ...]
    base: float
    thresholds: Thresholds

    def probability(self, row: list[float]) -> float:
        raw = self.base
        for nodes in self.trees:
            node = nodes[0]
            while node[0] >= 0:
                node = nodes[node[2]] if row[node[0]] <= node[1] else nodes[node[3]]
            raw += node[4]
        return 1.0 / (1.0 + math.exp(-raw))

    def signs(self, row: list[float], count: int = 3) -> list[str]:
        """The features that moved the score most towards boilerplate, as words: along
        each tree's path, a split's effect is the change of the node value it caused."""
        effect: dict[int, float] = {}
        for nodes in self.trees:
            node = nodes[0]
            while node[0] >= 0:
                child = nodes[node[2]] if row[node[0]] <= node[1] else nodes[node[3]]
                effect[node[0]] = effect.get(node[0], 0.0) + child[4] - node[4]
                node = child
        strongest = sorted(((value, feature) for feature, value in effect.items() if value > 0), reverse=True)
        words = []
        for _, feature in strongest:
            describe = _SIGNS.get(self.features[feature])
            phrase = describe(row[feature]) if describe is not None else None
            if phrase and phrase not in words:
                words.append(phrase)
            if len(words) == count:
                break
        return words


@lru_cache(maxsize=1)
def model() -> Model:
    data = json.loads((resources.files("cleaner") / "rules" / "boilerplate.json").read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise RuntimeError("boilerplate.json was trained on other features: retrain it (scripts/train_boilerplate.py)")
    trees = tuple(tuple(tuple(node) for node in tree) for tree in data["trees"])
    return Model(tuple(data["features"]), trees, float(data["base"]), Thresholds(**data["thresholds"]))


def find_boilerplate(scan: Scan) -> None:
    scorer = model()
    rows = measure(scan)
    decide(scan, rows, {index: scorer.probability(row) for index, row in rows.items()}, scorer.thresholds, scorer)


#: A document is a whole page (a text dump of one: menus, teasers and footers around the
#: article) when at least this many of its lines stand outside its densest stretch of
#: prose, and this many before its first paragraph (a page opens with its navigation).
_PAGE_OUTSIDE_LINES = 30
_PAGE_LEADING_LINES = 5
#: ...and only when an article stands in it: its densest stretch holds this many words of
#: prose, and prose is at least this share of its lines. A product grid, a listing or a
#: directory dumped whole has short lines everywhere and no such stretch; there the lists
#: are the content, and cutting around a "densest run" of a few sentences took them
#: (modern-dev, all page types: recall -0.026 for html-text without this gate, -0.009 with
#: it; aeb-dev html-text F1 0.836 -> 0.782; see docs/quality.md).
_PAGE_ARTICLE_WORDS = 200
_PAGE_PROSE_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How sure the model must be, by where a line stands. In an extracted article, only
    at the edges of its text (before its first paragraph, after its last), and very
    sure; in a whole page, less sure at its edges and outside its article, and more so
    inside the article's densest stretch of prose."""

    edge: float
    page_edge: float
    page_outside: float
    page_inside: float


def decide(scan: Scan, rows: dict[int, list[float]], probabilities: dict[int, float], thresholds: Thresholds, scorer: Model | None = None) -> None:
    """Remove the lines the model is sure enough of, that no constraint protects. (The
    training script calls this with held-out scores, so that what it measures is what
    the rule does.)"""
    page = is_page(scan, rows)
    for index, probability in probabilities.items():
        row = rows[index]
        at_edge = row[_F["before_prose"]] == 1.0 or row[_F["after_prose"]] == 1.0
        if not page:
            bar = thresholds.edge if at_edge else 2.0
        elif at_edge:
            bar = thresholds.page_edge
        else:
            bar = thresholds.page_inside if row[_F["in_densest"]] == 1.0 else thresholds.page_outside
        if probability < bar or protected(row, scan.markup[index]):
            continue
        signs = ", ".join(scorer.signs(row)) if scorer is not None else ""
        reason = f"boilerplate (score {probability:.2f})" + (f": {signs}" if signs else "")
        scan.decide(index, drop(NAME, RemovalKind.BOILERPLATE, reason))


def is_page(scan: Scan, rows: dict[int, list[float]]) -> bool:
    """Whether the document is a whole page around an article, counting every line (those
    other rules took included) around the article's densest stretch of prose and before its
    first paragraph, and the prose in that stretch."""
    dense = [index for index, row in rows.items() if row[_F["in_densest"]] == 1.0]
    prose = [index for index, row in rows.items() if row[_F["prose"]] == 1.0]
    if not dense or not prose:
        return False
    content = scan.content()
    first, last, opening = min(dense), max(dense), min(prose)
    outside = sum(1 for index in content if index < first or index > last)
    leading = sum(1 for index in content if index < opening)
    if outside < _PAGE_OUTSIDE_LINES or leading < _PAGE_LEADING_LINES:
        return False
    article_words = sum(math.expm1(rows[index][_F["log_words"]]) for index in dense if rows[index][_F["prose"]] == 1.0)
    return article_words >= _PAGE_ARTICLE_WORDS and rows[dense[0]][_F["doc_prose"]] >= _PAGE_PROSE_SHARE


def protected(row: list[float], markup) -> bool:
    """The hard constraints: what is content whatever the score."""
    inside = row[_F["before_prose"]] == 0.0 and row[_F["after_prose"]] == 0.0
    if inside and row[_F["prose"]] == 1.0:
        return True  # a paragraph of the article
    if inside and markup is not None and markup.kind in ("bullet", "ordered", "table", "code"):
        return True  # the article's own list, table or code
    in_article = row[_F["in_densest"]] == 1.0
    if row[_F["introduced"]] == 1.0 and (inside or in_article or row[_F["log_distance"]] <= math.log1p(1)):
        return True  # "The tour dates:" and what follows
    if in_article and row[_F["log_run"]] >= math.log1p(3) and row[_F["run_alike"]] >= 0.75:
        return True  # a list or table of lines alike, inside the article
    return False
