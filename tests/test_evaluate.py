"""The benchmark metric on hand-computed examples, the C4 baseline, the line oracle, the
per-rule tallies, the targets and (when the shared benchmarks are present) the figures
their READMEs give before cleaning. The evaluation is a tool in scripts/, not in the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from evaluation.benchmark import load_benchmark  # noqa: E402
from evaluation.metric import Match, Score, c4_line_filter, line_oracle, match, score, shingles, token_truth, tokens, truth_coverage  # noqa: E402
from evaluation.report import title_table, titles_agree  # noqa: E402
from evaluation.run import DUMP, EXTRACTED, ExtractorRun, Measure, PageRun, run_extractor  # noqa: E402

from cleaner import Cleaner  # noqa: E402

BENCH_ROOT = ROOT / ".." / "shared" / "bench"
SCRIPT = ROOT / "scripts" / "evaluate.py"

#: "Figures before any cleaning" in each benchmark's README: F1, P, R.
README_BEFORE = {
    "aeb-dev": {
        "trafilatura": (0.967, 0.961, 0.973),
        "readability_js": (0.958, 0.934, 0.982),
        "newspaper": (0.943, 0.968, 0.920),
        "goose3": (0.898, 0.949, 0.853),
        "justext": (0.823, 0.854, 0.793),
        "html-text": (0.657, 0.491, 0.995),
    },
    "modern-dev": {  # article pages only
        "trafilatura": (0.920, 0.908, 0.931),
        "newspaper": (0.909, 0.945, 0.876),
        "html-text": (0.817, 0.699, 0.982),
    },
}


def require_bench(name: str) -> Path:
    path = BENCH_ROOT / name
    if not (path / "ground-truth.json").is_file():
        pytest.skip(f"shared benchmark not found at {path.resolve()} (it is not part of the repository)")
    return path


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


# --- truth per line, and the oracle ----------------------------------------------------

TRUTH = "The quick brown fox jumps over the lazy dog."


def test_token_truth_counts_the_tokens_of_each_line_inside_true_4grams():
    lines = ["Photo: Getty Images", "The quick brown fox jumps", "", "over the lazy dog."]
    assert token_truth(TRUTH, lines) == [(3, 0), (5, 5), (0, 0), (4, 4)]
    assert truth_coverage(TRUTH, lines) == [0.0, 1.0, None, 1.0]


def test_a_short_true_line_is_judged_with_its_neighbours():
    assert truth_coverage("The quick brown fox jumps", ["The quick", "brown fox jumps", "Share this"]) == [1.0, 1.0, 0.0]


def test_line_oracle_keeps_exactly_the_true_lines():
    assert line_oracle(TRUTH, "Photo: Getty Images\nThe quick brown fox jumps\n\nover the lazy dog.") == (
        "The quick brown fox jumps\nover the lazy dog."
    )


# --- measuring cleaner ------------------------------------------------------------------


def test_the_tallies_say_which_rule_removed_how_much_debris_and_how_much_text():
    tallies = {}
    text = "Sign up for our newsletter\n\nThe quick brown fox jumps over the lazy dog.\n"
    body = Measure(Cleaner()).body(text, set(shingles(TRUTH)), tallies)
    assert body == TRUTH + "\n"
    [(key, tally)] = [(key, tally) for key, tally in tallies.items() if tally.tokens]
    assert key == ("debris_patterns", "a subscription prompt (news pack)")
    assert (tally.tokens, tally.debris, tally.precision) == (5, 5, 1.0)


def test_the_measure_reports_the_line_taken_as_the_title():
    titles = []
    Measure(Cleaner()).body("Council votes to close the old bridge for repairs\nBy Jane Doe\n" + TRUTH + "\n", titles=titles)
    assert [line for line, _ in titles] == ["Council votes to close the old bridge for repairs"]
    assert "above the byline" in titles[0][1]


def test_a_title_agrees_with_the_pages_when_most_of_its_words_are_the_same():
    assert titles_agree("Council votes to close the old bridge", "Council votes to close the old bridge | The Daily Example")
    assert titles_agree("Fitness Trends 2025: 9 Things to Keep an Eye On", "9 Fitness Trends to Keep An Eye On In 2025 And Beyond")
    assert titles_agree("Detroit News wire services", "Tuesday's college football: Eastern Michigan routs Northern Illinois") is False
    assert titles_agree("Council votes", None) is None


def test_the_title_table_counts_right_wrong_and_unjudged_titles_per_reason():
    runs = [
        ExtractorRun("a", False, (), page_titles={"p1": ("Council votes to close the bridge", "the headline: a line reading as a headline above the byline or date (kept as the title)"), "p2": ("Jane Doe, Metro", "the headline: a line reading as a headline above the byline or date (kept as the title)")}),
        ExtractorRun("b", False, (), page_titles={"p3": ("A headline", "the headline: a level-1 heading opening the text (kept as the title)")}),
    ]
    references = {"p1": "Council votes to close the bridge", "p2": "Council votes to close the bridge", "p3": None}
    table = title_table(runs, references.get)
    assert "| a level-1 heading opening the text | 1 | 0 | 0 | 1 |" in table
    assert "| a line reading as a headline above the byline or date | 2 | 1 | 1 | 0 |" in table
    assert table.splitlines()[-1] == "| **all** | **3** | **1** | **1** | **1** |"


def _run(before: Score, after: Score, oracle: Score, whole_page: bool = False) -> ExtractorRun:
    def page(scored: Score) -> Match:  # one page whose precision and recall are the scores
        tp = 1.0
        return Match(tp, tp / scored.precision - tp, tp / scored.recall - tp)

    return ExtractorRun("x", whole_page, (PageRun("p", page(before), page(after), page(before), page(oracle)),))


def test_targets_forbid_a_fall_and_recall_loss_and_ask_for_half_the_gap():
    oracle = Score(0.99, 0.97)
    assert EXTRACTED.failures(_run(Score(0.96, 0.97), Score(0.976, 0.969), oracle)) == []
    assert EXTRACTED.failures(_run(Score(0.96, 0.97), Score(0.955, 0.97), oracle))[0] == "F1 fell"
    assert EXTRACTED.failures(_run(Score(0.96, 0.97), Score(0.99, 0.965), oracle)) == ["recall −0.0050 > 0.002"]
    assert EXTRACTED.failures(_run(Score(0.96, 0.97), Score(0.962, 0.97), oracle)) == ["closes 7% of the gap < 50%"]
    assert DUMP.max_recall_loss == 0.010 and DUMP.gap_share == pytest.approx(2 / 3)


def test_missing_benchmark_is_one_line_and_exit_code_2(tmp_path):
    run = subprocess.run([sys.executable, str(SCRIPT), "--bench", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "benchmark not found" in run.stderr


# --- the shared benchmarks --------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(README_BEFORE))
def test_before_figures_match_the_benchmark_readme(name):
    bench = load_benchmark(require_bench(name))
    pages = bench.page_ids("article")
    for extractor, (f1, precision, recall) in README_BEFORE[name].items():
        run = run_extractor(bench, extractor, Measure(), pages)
        measured = (round(run.before.f1, 3), round(run.before.precision, 3), round(run.before.recall, 3))
        assert measured == (f1, precision, recall), extractor
        assert not run.errors, extractor


@pytest.mark.slow
def test_c4_baseline_on_html_text_matches_the_benchmark_readme():
    bench = load_benchmark(require_bench("aeb-dev"))
    assert round(run_extractor(bench, "html-text", Measure()).c4.f1, 3) == 0.821


@pytest.mark.slow
def test_script_writes_a_report_with_the_reproducing_command(tmp_path):
    require_bench("aeb-dev")
    report = tmp_path / "quality.md"
    args = ["--bench", "aeb-dev", "--extractor", "goose3", "--write", str(report), "--worst", "2"]
    run = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "| goose3 |" in run.stdout and "largest recall loss" in run.stdout
    text = report.read_text()
    assert "| goose3 |" in text and "python scripts/evaluate.py --bench" in text and "commit" in text
    assert "what each rule removes" in text


def _tiny_bench(root: Path) -> Path:
    """A benchmark of four pages of one site: a menu and a footer around each story."""
    import json

    stories = {f"p{n}": f"Story {n} is told here at length, with the facts of day {n} and what the officials said about it." for n in range(4)}
    page = "Home\nWorld\nSport\nBusiness\n\n{story}\n\nNewsletters\nCareers at Example News\nContact us\n"
    (root / "inputs").mkdir(parents=True)
    (root / "ground-truth.json").write_text(json.dumps({key: {"articleBody": story, "url": f"https://example.com/{key}"} for key, story in stories.items()}), encoding="utf-8")
    (root / "inputs" / "dump.json").write_text(json.dumps({"output": {key: {"articleBody": page.format(story=story)} for key, story in stories.items()}}), encoding="utf-8")
    return root


def test_site_memory_evaluation_writes_its_section_and_the_main_report_keeps_it(tmp_path):
    bench = _tiny_bench(tmp_path / "tiny")
    report = tmp_path / "quality.md"
    report.write_text("# Cleaning quality\n\nold\n", encoding="utf-8")
    script = ROOT / "scripts" / "evaluate_sites.py"
    run = subprocess.run([sys.executable, str(script), "--bench", str(bench), "--write", str(report)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    row = next(line for line in run.stdout.splitlines() if line.startswith("| dump |"))
    before, cleaned, remembered = (float(cell.strip(" *")) for cell in row.split("|")[4:7])
    assert remembered > cleaned >= before  # the menu and footer stand on every page: the memory takes them
    assert "4 pages of 1 sites" in run.stdout
    text = report.read_text(encoding="utf-8")
    assert text.count("<!-- sites:start -->") == 1 and "python scripts/evaluate_sites.py --bench" in text
    run = subprocess.run([sys.executable, str(SCRIPT), "--bench", str(bench), "--write", str(report)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    again = report.read_text(encoding="utf-8")
    assert "| dump |" in again.split("<!-- sites:start -->")[0]  # the main tables, rewritten
    assert again.count("<!-- sites:start -->") == 1 and "site_template" in again.split("<!-- sites:start -->")[1]
