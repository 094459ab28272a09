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
- list, table and code blocks inside the article stay;
- a price list stays, wherever it stands: short lines where prices recur, a shop's
  product grid, an article's price table (a page's menus and teasers carry no prices).

Each removal says why, by the signs that weighed most in the model's decision.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..model import RemovalKind
from .base import Decision, Scan, drop
from .measure import FEATURES, Measures, is_prose, price_lists

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
    #: the trees as Python functions (see ``_compile``), made when first needed
    _compiled: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def probability(self, row: list[float]) -> float:
        raw = self._part("raw")(row)
        return 1.0 / (1.0 + math.exp(-raw))

    def signs(self, row: list[float], count: int = 3) -> list[str]:
        """The features that moved the score most towards boilerplate, as words: along
        each tree's path, a split's effect is the change of the node value it caused.
        (Only the features a reason can name are summed: the others never show.)"""
        effect = [0.0] * len(self.features)
        self._part("effects")(row, effect)
        strongest = sorted(((effect[feature], feature) for feature in self._part("named") if effect[feature] > 0), reverse=True)
        words = []
        for _, feature in strongest:
            phrase = _SIGNS[self.features[feature]](row[feature])
            if phrase and phrase not in words:
                words.append(phrase)
            if len(words) == count:
                break
        return words

    def _part(self, kind: str):
        function = self._compiled.get(kind)
        if function is None:
            function = self._compiled[kind] = _compile(self, kind)
        return function


def _compile(model: Model, kind: str):
    """The trees as one Python function of a row, each tree a nested conditional: two and
    a half times faster than walking the node lists, and the same arithmetic (the leaf
    values are added to ``base`` one tree after another, in order).

    ``raw``: the raw score. ``effects``: adds to ``effect[feature]`` the change of node
    value of each split along the row's path on a feature a reason names, tree after
    tree and from the root down (the order of the sums never changes), for ``signs``:
    only the lines removed need it, so it is a function of its own.
    ``named``: those features' numbers."""
    named = tuple(number for number, name in enumerate(model.features) if name in _SIGNS)
    if kind == "named":
        return named
    if kind == "raw":

        def expression(nodes, number: int) -> str:
            feature, threshold, left, right, value = nodes[number]
            if feature < 0:
                return repr(value)
            return f"({expression(nodes, left)} if row[{feature}] <= {threshold!r} else {expression(nodes, right)})"

        lines = [f"    raw = {model.base!r}"]
        lines += [f"    raw += {expression(nodes, 0)}" for nodes in model.trees]
        source = "def function(row):\n" + "\n".join(lines) + "\n    return raw\n"
    else:
        lines = [line for nodes in model.trees for line in _effect_statements(nodes, 0, set(named), "    ")]
        source = "def function(row, effect):\n" + "\n".join(lines or ["    pass"]) + "\n"
    scope: dict = {}
    exec(compile(source, f"<boilerplate trees: {kind}>", "exec"), scope)
    return scope["function"]


def _effect_statements(nodes, number: int, named: set[int], indent: str) -> list[str]:
    """A tree as nested ``if`` statements that add each named split's change of node
    value to ``effect``; a subtree with no named split in it is left out."""
    feature, threshold, left, right, value = nodes[number]
    if feature < 0:
        return []
    branches = []
    for child in (left, right):
        body = [f"{indent}    effect[{feature}] += {nodes[child][4] - value!r}"] if feature in named else []
        branches.append(body + _effect_statements(nodes, child, named, indent + "    "))
    if not any(branches):
        return []
    yes, no = (body or [f"{indent}    pass"] for body in branches)
    return [f"{indent}if row[{feature}] <= {threshold!r}:", *yes, f"{indent}else:", *no]


@lru_cache(maxsize=1)
def model() -> Model:
    data = json.loads((resources.files("cleaner") / "rules" / "boilerplate.json").read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise RuntimeError("boilerplate.json was trained on other features: retrain it (scripts/train_boilerplate.py)")
    trees = tuple(tuple(tuple(node) for node in tree) for tree in data["trees"])
    return Model(tuple(data["features"]), trees, float(data["base"]), Thresholds(**data["thresholds"]))


#: The scorer measures every line of a document against the whole of it (its densest
#: stretch, its frequent words): a text of more lines than this is a corpus or a log, not
#: one article, and measuring it would cost memory out of proportion (hundreds of bytes a
#: line); the rules that judge a line by itself still run.
MAX_LINES = 50_000


def find_boilerplate(scan: Scan) -> None:
    """Score the open lines that could be removed: a line no threshold can reach (inside
    an extracted article) or that a hard constraint protects is never scored, and its row
    of measurements never made."""
    lines = len(scan.content())
    if lines > MAX_LINES:
        scan.notes.append(f"boilerplate scorer skipped: {lines:,} non-blank lines is not one article (it scores up to {MAX_LINES:,}); the other rules ran")
        return
    scorer = model()
    measures = Measures(scan)
    thresholds = scorer.thresholds
    scored: dict[int, tuple[list[float], float]] = {}

    def score(position: int) -> tuple[list[float], float]:
        found = scored.get(position)
        if found is None:
            row = measures.row(position)
            found = scored[position] = (row, scorer.probability(row))
        return found

    page = _is_page(measures, score)
    content, markup = measures.content, scan.markup
    first_prose, last_prose, densest = measures.first_prose, measures.last_prose, measures.densest
    for position in measures.open_positions():
        at_edge = position < first_prose or position > last_prose
        if not page:
            if not at_edge:
                continue  # the bar is out of reach: no probability is 2
            bar = thresholds.edge
        elif at_edge:
            bar = thresholds.page_edge
        else:
            bar = thresholds.page_inside if densest[0] <= position <= densest[1] else thresholds.page_outside
        index = content[position]
        if protected_at(measures, position, markup[index]):
            continue
        row, probability = score(position)
        if probability < bar:
            continue
        scan.decide(index, _removal(probability, scorer.signs(row)))


def _removal(probability: float, signs: list[str]) -> Decision:
    reason = f"boilerplate (score {probability:.2f})" + (f": {', '.join(signs)}" if signs else "")
    return drop(NAME, RemovalKind.BOILERPLATE, reason)


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
#: ...and only when it opens with navigation: this many lines before its first paragraph
#: that other rules removed (the HTML reader's page furniture, a skip link, a share row) or
#: that score at least this (a page's menus score 0.98 and more). Many short lines before
#: the prose are not evidence by themselves: an extracted article that opens with a price
#: table, a product grid or a data table has them too, and there the lower bars of a whole
#: page took table rows (modern-dev: a justext output lost 94 words of its price table).
#: (Measured with the scores of held-out sites on both dev sets, the sure lines alone: the
#: test keeps 1,600 more true words of modern-dev pages, articles and other types, and
#: lets 5,900 words of debris stay, 1,800 of them on aeb-dev; see docs/quality.md.)
_PAGE_NAVIGATION_LINES = 3
_PAGE_NAVIGATION_SCORE = 0.95


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
    page = is_page(scan, rows, probabilities)
    content = scan.content()
    priced = dict(zip(content, price_lists([scan.lines[index] for index in content], [index in rows and rows[index][_F["prose"]] == 1.0 for index in content])))
    for index, probability in probabilities.items():
        row = rows[index]
        at_edge = row[_F["before_prose"]] == 1.0 or row[_F["after_prose"]] == 1.0
        if not page:
            bar = thresholds.edge if at_edge else 2.0
        elif at_edge:
            bar = thresholds.page_edge
        else:
            bar = thresholds.page_inside if row[_F["in_densest"]] == 1.0 else thresholds.page_outside
        if probability < bar or protected(row, scan.markup[index], priced[index]):
            continue
        scan.decide(index, _removal(probability, scorer.signs(row) if scorer is not None else []))


def is_page(scan: Scan, rows: dict[int, list[float]], probabilities: dict[int, float]) -> bool:
    """Whether the document is a whole page around an article, counting every line (those
    other rules took included) around the article's densest stretch of prose and before its
    first paragraph, the prose in that stretch, and the navigation the model is sure of
    before it. (Over the rows and scores the training script makes; the rule itself asks
    ``_is_page`` of its measurements: both end in ``_page``.)"""
    dense = [index for index, row in rows.items() if row[_F["in_densest"]] == 1.0]
    prose = [index for index, row in rows.items() if row[_F["prose"]] == 1.0]
    if not dense or not prose:
        return False
    article_words = sum(math.expm1(rows[index][_F["log_words"]]) for index in dense if rows[index][_F["prose"]] == 1.0)
    content, lines, opening = scan.content(), scan.lines, min(prose)
    return _page(
        content,
        min(dense),
        max(dense),
        opening,
        article_words,
        lambda: sum(1 for index in content if is_prose(lines[index])),
        # The lines before the first paragraph the model is sure of, and those other rules removed.
        lambda: sum(1 for index, row in rows.items() if row[_F["before_prose"]] == 1.0 and probabilities[index] >= _PAGE_NAVIGATION_SCORE)
        + sum(1 for index in content if index < opening and scan.removed(index)),
    )


def _is_page(measures: Measures, score: Callable[[int], tuple[list[float], float]]) -> bool:
    """``is_page`` over a document's measurements; ``score`` gives a line's row and
    probability by its position (made once, and kept for the rule)."""
    open_positions = measures.open_positions()
    low, high = measures.densest
    own, content = measures.own, measures.content
    dense = [position for position in open_positions if low <= position <= high]
    prose = [position for position in open_positions if own[position][16] == 1.0]
    if not dense or not prose:
        return False
    article_words = sum(math.expm1(own[position][0]) for position in dense if own[position][16] == 1.0)
    # ``own`` holds every line, those other rules took included: its prose flag is ``is_prose``.
    first_prose = measures.first_prose
    return _page(
        content,
        content[dense[0]],
        content[dense[-1]],
        content[prose[0]],
        article_words,
        lambda: sum(1 for row in own if row[16] == 1.0),
        lambda: sum(1 for position in open_positions if position < first_prose and score(position)[1] >= _PAGE_NAVIGATION_SCORE) + sum(measures.removed[:first_prose]),
    )


def _page(content: list[int], first: int, last: int, opening: int, article_words: float, prose_lines: Callable[[], int], navigation_lines: Callable[[], int]) -> bool:
    """The test itself: enough lines outside the densest stretch (first..last) and before
    the first paragraph (opening), an article in that stretch, and navigation before it.
    The prose share is the document's as it came, the lines other rules took included: a
    sign-up prompt that reads as a sentence, once a pattern takes it, must not turn a page
    into an article. ``prose_lines`` counts them, and ``navigation_lines`` the lines before
    the first paragraph the model is sure of; both are asked last, the prose first: the
    other tests settle most documents."""
    outside = sum(1 for index in content if index < first or index > last)
    leading = sum(1 for index in content if index < opening)
    if outside < _PAGE_OUTSIDE_LINES or leading < _PAGE_LEADING_LINES or article_words < _PAGE_ARTICLE_WORDS:
        return False
    return prose_lines() >= _PAGE_PROSE_SHARE * len(content) and navigation_lines() >= _PAGE_NAVIGATION_LINES


def protected(row: list[float], markup, priced: bool) -> bool:
    """The hard constraints: what is content whatever the score (over a row of ``FEATURES``,
    and whether the line stands in a price list, which no feature says)."""
    return _protects(
        priced=priced,
        inside=row[_F["before_prose"]] == 0.0 and row[_F["after_prose"]] == 0.0,
        prose=row[_F["prose"]] == 1.0,
        block=None if markup is None else markup.kind,
        in_article=row[_F["in_densest"]] == 1.0,
        introduced=row[_F["introduced"]] == 1.0,
        near_prose=row[_F["log_distance"]] <= math.log1p(1),
        in_run_alike=row[_F["log_run"]] >= math.log1p(3) and row[_F["run_alike"]] >= 0.75,
    )


def protected_at(measures: Measures, position: int, markup) -> bool:
    """``protected`` over a line's measurements, before (and so instead of) making its row."""
    first_prose, last_prose, (low, high) = measures.first_prose, measures.last_prose, measures.densest
    return _protects(
        priced=measures.priced(position),
        inside=first_prose <= position <= last_prose,
        prose=measures.own[position][16] == 1.0,
        block=None if markup is None else markup.kind,
        in_article=low <= position <= high,
        introduced=measures.introduced[position] == 1.0,
        near_prose=measures.distance(position) <= 1,
        in_run_alike=measures.runs[position] >= 3 and measures.alike[position] >= 0.75,
    )


def _protects(*, priced: bool, inside: bool, prose: bool, block: str | None, in_article: bool, introduced: bool, near_prose: bool, in_run_alike: bool) -> bool:
    if priced:
        return True  # a price list, a product grid, a price table: prices recur there
    if inside and prose:
        return True  # a paragraph of the article
    if inside and block in ("bullet", "ordered", "table", "code"):
        return True  # the article's own list, table or code
    if introduced and (inside or in_article or near_prose):
        return True  # "The tour dates:" and what follows
    if in_article and in_run_alike:
        return True  # a list or table of lines alike, inside the article
    return False
