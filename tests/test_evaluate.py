"""The benchmark metric on hand-computed examples, the C4 baseline, the line diagnosis, and
(when the shared benchmark is present) the README's figures before cleaning."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.errors import DecodeError
from cleaner.evaluate import (
    TARGETS,
    ExtractorResult,
    Line,
    Match,
    Score,
    c4_line_filter,
    cleaned_lines,
    diagnose_page,
    evaluate_extractor,
    line_oracle,
    load_benchmark,
    match,
    score,
    shingles,
    tokens,
)

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / ".." / "shared" / "bench" / "aeb-dev"
SCRIPT = ROOT / "scripts" / "evaluate.py"

#: "Figures before any cleaning, on these 90 pages" in the benchmark's README: F1, P, R.
README_BEFORE = {
    "trafilatura": (0.967, 0.961, 0.973),
    "readability_js": (0.958, 0.934, 0.982),
    "newspaper": (0.943, 0.968, 0.920),
    "goose3": (0.898, 0.949, 0.853),
    "justext": (0.823, 0.854, 0.793),
    "html-text": (0.657, 0.491, 0.995),
}


def require_bench() -> Path:
    if not (BENCH / "ground-truth.json").is_file():
        pytest.skip(f"shared benchmark not found at {BENCH.resolve()} (it is not part of the repository)")
    return BENCH


# --- the metric -------------------------------------------------------------------------


def test_tokens_are_unicode_words_without_punctuation():
    assert tokens("Café au lait, 3€ — l’été!") == ["Café", "au", "lait", "3", "l", "été"]


def test_shingles_are_a_multiset_of_word_4grams():
    assert shingles("x y z w x y z w") == {("x", "y", "z", "w"): 2, ("y", "z", "w", "x"): 1, ("z", "w", "x", "y"): 1, ("w", "x", "y", "z"): 1}


def test_a_text_shorter_than_four_words_is_one_shingle():
    assert shingles("Hello, world") == {("Hello", "world"): 1}
    assert shingles("") == {}


def test_counts_are_normalised_per_page():
    # truth: abcd, bcde; prediction: abcd, bcdf → tp 1, fp 1, fn 1
    assert match("a b c d e", "a b c d f") == Match(1 / 3, 1 / 3, 1 / 3)
    assert match("a b c d e", "a b c d") == Match(0.5, 0.0, 0.5)


def test_repeated_shingles_count_once_per_copy():
    # truth has xyzw twice and 3 other shingles; the prediction only one xyzw
    found = match("x y z w x y z w", "x y z w")
    assert (found.precision, found.recall) == (1.0, pytest.approx(0.2))


def test_matching_is_case_sensitive_and_ignores_punctuation():
    assert match("One two three four.", "One, two; three (four)").recall == 1.0
    assert match("One two three four", "one two three four").recall == 0.0


@pytest.mark.parametrize(
    ("truth", "prediction", "precision", "recall"),
    [
        ("a b c d e", "a b c d e", 1.0, 1.0),  # fp = fn = 0
        ("", "", None, None),  # nothing on either side: the page is left out of both means
        ("a b c d e", "", None, 0.0),  # nothing predicted: no precision, recall 0
        ("", "a b c d e", 0.0, None),  # nothing true: precision 0, no recall
        ("a b c d", "e f g h", 0.0, 0.0),
    ],
)
def test_edge_cases(truth, prediction, precision, recall):
    found = match(truth, prediction)
    assert (found.precision, found.recall) == (precision, recall)


def test_score_is_f1_of_the_mean_precision_and_mean_recall():
    pages = [
        match("a b c d e", "a b c d"),  # P 1, R 0.5
        match("a b c d e", ""),  # P left out, R 0
        match("", "a b c d e"),  # P 0, R left out
        match("", ""),  # left out of both
    ]
    result = score(pages)
    assert (result.precision, result.recall) == (0.5, 0.25)
    assert result.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_score_of_nothing_is_zero():
    assert score([]) == Score(0.0, 0.0)
    assert Score(0.0, 0.0).f1 == 0.0


# --- the C4 baseline --------------------------------------------------------------------


def test_c4_keeps_only_punctuated_lines_of_three_words_or_more():
    text = "\n".join(
        [
            "  The council voted on Tuesday.  ",
            'He said: "we will appeal."',
            "Too short.",
            "Image caption A man walks",
            "And then there was silence...",
            "Please enable JavaScript to watch this video.",
            "By using this site you agree to our Privacy Policy.",
            "Was it worth it?",
        ]
    )
    assert c4_line_filter(text) == 'The council voted on Tuesday.\nHe said: "we will appeal."\nWas it worth it?'


# --- diagnosis --------------------------------------------------------------------------

TRUTH = "The quick brown fox jumps over the lazy dog."
LINES = (
    Line(1, "Photo: Getty Images", "body"),
    Line(2, "The quick brown fox jumps", "body"),
    Line(3, "", "removed:blank"),
    Line(4, "over the lazy dog.", "removed:caption", "caption_rule: looks like a caption"),
)


def test_diagnosis_names_wrongly_removed_lines_and_missed_debris():
    diagnosis = diagnose_page(TRUTH, LINES)
    assert [(v.line.number, v.coverage) for v in diagnosis.wrongly_removed] == [(4, 1.0)]
    assert [(v.line.number, v.coverage) for v in diagnosis.missed_debris] == [(1, 0.0)]


def test_a_short_true_line_is_judged_with_its_neighbours():
    lines = (Line(1, "The quick", "removed:headline"), Line(2, "brown fox jumps", "body"), Line(3, "Share this", "body"))
    diagnosis = diagnose_page("The quick brown fox jumps", lines)
    assert [v.line.number for v in diagnosis.wrongly_removed] == [1]
    assert [v.line.number for v in diagnosis.missed_debris] == [3]


def test_line_oracle_keeps_exactly_the_true_lines():
    assert line_oracle(TRUTH, "Photo: Getty Images\nThe quick brown fox jumps\n\nover the lazy dog.") == (
        "The quick brown fox jumps\nover the lazy dog."
    )


def test_cleaned_lines_account_for_every_input_line():
    lines = cleaned_lines("First paragraph here.\n\n\nSecond paragraph here.")
    assert [(line.number, line.text, line.kept) for line in lines] == [
        (1, "First paragraph here.", True),
        (2, "", False),
        (3, "", False),
        (4, "Second paragraph here.", True),
    ]
    assert lines[1].owner == "removed:blank" and lines[1].reason


# --- evaluating a cleaner ---------------------------------------------------------------


def test_evaluate_extractor_scores_before_c4_and_after():
    truth = {"p1": "The quick brown fox jumps over the lazy dog.", "p2": "One two three four five."}
    outputs = {"p1": "Share this story\nThe quick brown fox jumps over the lazy dog.", "p2": "One two three four five."}
    result = evaluate_extractor(truth, outputs, "toy", cleaner=lambda text: text.replace("Share this story", ""))
    assert result.before.precision < 1.0
    assert result.after == Score(1.0, 1.0)
    assert result.c4 == Score(1.0, 1.0)
    assert result.oracle == Score(1.0, 1.0)
    assert result.delta_f1 > 0 and result.delta_recall == 0
    assert [page.page for page in result.pages] == ["p1", "p2"]


def test_a_page_cleaner_refuses_is_scored_empty_and_reported():
    def refuse(text: str) -> str:
        raise DecodeError("binary input")

    result = evaluate_extractor({"p1": "a b c d"}, {"p1": "a b c d"}, "toy", cleaner=refuse)
    assert result.after.recall == 0.0
    assert result.errors == ("p1: binary input",)


def test_targets_require_a_rise_a_floor_and_little_recall_loss():
    def result(before: Score, after: Score) -> ExtractorResult:
        return ExtractorResult("trafilatura", before, before, after, after, ())

    target = TARGETS["trafilatura"]
    assert target.failures(result(Score(0.96, 0.97), Score(0.97, 0.969))) == []
    assert target.failures(result(Score(0.96, 0.97), Score(0.96, 0.97))) == ["F1 did not rise", "F1 below 0.965"]
    assert target.failures(result(Score(0.90, 0.99), Score(0.99, 0.98))) == ["recall fell by more than 0.005"]
    assert TARGETS["html-text"].max_recall_loss == 0.05


def test_missing_benchmark_is_one_line_and_exit_code_3(tmp_path):
    run = subprocess.run([sys.executable, str(SCRIPT), "--bench", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 3
    assert run.stderr.strip().count("\n") == 0 and "benchmark not found" in run.stderr


# --- the shared benchmark ---------------------------------------------------------------


def test_before_figures_match_the_benchmark_readme():
    bench = load_benchmark(require_bench())
    assert len(bench.truth) == 90
    for extractor, (f1, precision, recall) in README_BEFORE.items():
        result = evaluate_extractor(bench.truth, bench.outputs[extractor], extractor)
        measured = (round(result.before.f1, 3), round(result.before.precision, 3), round(result.before.recall, 3))
        assert measured == (f1, precision, recall), extractor
        assert not result.errors, extractor


def test_c4_baseline_on_html_text_matches_the_benchmark_readme():
    bench = load_benchmark(require_bench())
    assert round(evaluate_extractor(bench.truth, bench.outputs["html-text"], "html-text").c4.f1, 3) == 0.821


def test_script_writes_a_report_with_the_reproducing_command(tmp_path):
    bench = require_bench()
    report = tmp_path / "quality.md"
    args = ["--bench", str(bench), "--extractor", "goose3", "--write", str(report), "--worst", "2"]
    run = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "| goose3 |" in run.stdout and "largest recall loss" in run.stdout
    text = report.read_text()
    assert "| goose3 |" in text and "python scripts/evaluate.py --bench" in text and "commit" in text
