"""The readers' evaluation (scripts/evaluation/readers*.py): the metadata checks, the
report section that regenerating either report keeps, and a run over a tiny benchmark of
one saved page, written here (the shared benchmarks never enter the repository)."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from evaluation.benchmark import load_benchmark  # noqa: E402
from evaluation.readers import author_matches, date_matches, metadata_scores, run_html, title_key  # noqa: E402
from evaluation.readers_report import END, START, html_table, kept_section, splice  # noqa: E402

from cleaner import Cleaner  # noqa: E402

PAGE = Path(__file__).parent / "fixtures" / "readers" / "article.html"


def test_titles_match_case_and_punctuation_aside():
    assert title_key("Bridge Reopens — After Flood Repairs!") == title_key("bridge reopens after flood repairs")


def test_authors_match_with_credentials_or_co_authors_added_or_dropped():
    assert author_matches("Jane Doe", "Jane Doe, MD")
    assert author_matches("jane doe", "Jane Doe")
    assert not author_matches("John Smith", "Jane Doe") and not author_matches(None, "Jane Doe")


def test_dates_match_on_the_day():
    assert date_matches("2024-03-18T07:30:00+00:00", "2024-03-18") and not date_matches("2024-03-17", "2024-03-18")


def test_the_readers_section_is_replaced_or_added_and_kept():
    report = "# Quality\n\nfigures\n"
    once = splice(report, "## The readers\n\nfirst")
    assert once.count(START) == 1 and "first" in once
    twice = splice(once, "## The readers\n\nsecond")
    assert "second" in twice and "first" not in twice and twice.startswith("# Quality")
    assert kept_section(twice).startswith(START) and kept_section(twice).endswith(END)


def test_a_run_over_a_benchmark_of_one_saved_page(tmp_path):
    root = tmp_path / "tiny"
    (root / "inputs").mkdir(parents=True)
    (root / "html").mkdir()
    truth = "The old stone bridge over the river reopened on Monday morning."
    (root / "ground-truth.json").write_text(json.dumps({"p1": {"articleBody": truth, "url": "https://gazette.example/a", "title": "Bridge reopens after flood repairs", "author": "Jane Doe", "published": "2024-03-18"}}))
    (root / "inputs" / "trafilatura.json").write_text(json.dumps({"version": "x", "output": {"p1": {"articleBody": truth}}}))
    (root / "html" / "p1.html.gz").write_bytes(gzip.compress(PAGE.read_bytes()))
    bench = load_benchmark(root)
    run = run_html(bench, Cleaner(from_="html"))
    assert len(run.pages) == 1 and run.cleaned.recall == 1.0
    scores = {tally.field: (tally.pages, tally.cleaner) for tally in metadata_scores(bench, run)}
    assert scores == {"title": (1, 1), "author": (1, 1), "published": (1, 1)}
    assert "| articles | 1 |" in html_table(bench, run)
