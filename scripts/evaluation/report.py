"""Tables of an evaluation, as Markdown: per extractor, per page type, per rule."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from .run import ExtractorRun, Tally, TallyKey, target_for

#: A rule whose removals are less than this share debris is not to be trusted (issue 10).
TRUSTED_PRECISION = 0.98
#: Lines a rule takes out of the body text into another part of the model: not lost (the
#: Markdown, HTML and EPUB renderers show them where they stood: the title above, a
#: caption as a figure), but counted against the body-only text the benchmarks score.
MOVED = {"headline": "the title", "media": "media (figures)", "gallery_item": "a gallery", "author_bio": "the author's bio"}


def _f(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _delta(value: float) -> str:
    """Four decimals, as rule tuning moves these by less than 0.001; no "-0.0000"."""
    return f"{value:+.4f}" if round(value, 4) else "±0"


def extractor_table(runs: Sequence[ExtractorRun], *, gap: bool = True) -> str:
    """Before, after, oracle and C4 per extractor, with the verdict against the targets."""
    rows = [
        "| extractor | kind | before P | R | F1 | after P | R | F1 | ΔF1 | Δrecall | oracle F1 | gap closed | C4 F1 | verdict |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        before, after = run.before, run.after
        failures = target_for(run).failures(run, gap=gap)
        closed = run.gap_closed
        rows.append(
            "| "
            + " | ".join(
                [
                    run.extractor,
                    "whole page" if run.whole_page else "extracted",
                    _f(before.precision), _f(before.recall), f"**{before.f1:.3f}**",
                    _f(after.precision), _f(after.recall), f"**{after.f1:.3f}**",
                    _delta(after.f1 - before.f1), _delta(after.recall - before.recall),
                    _f(run.oracle.f1), "n/a" if closed is None else f"{closed:.0%}", _f(run.c4.f1),
                    "pass" if not failures else "; ".join(failures),
                ]
            )
            + " |"
        )
    return "\n".join(rows)


def recall_table(runs: Sequence[ExtractorRun], page_types: Sequence[str], pages_of) -> str:
    """Recall before and after per extractor and page type: the do-no-harm check."""
    header = "| extractor | " + " | ".join(f"{kind} Δrecall" for kind in page_types) + " | all pages R before → after | verdict |"
    rows = [header, "|" + "---|" * (len(page_types) + 3)]
    for run in runs:
        cells = [run.extractor]
        for kind in page_types:
            part = run.only(pages_of(kind))
            cells.append(_delta(part.after.recall - part.before.recall) if part.pages else "n/a")
        loss = run.before.recall - run.after.recall
        cells.append(f"{run.before.recall:.3f} → {run.after.recall:.3f}")
        cells.append("pass" if loss <= 0.010 + 1e-9 else f"recall −{loss:.4f} > 0.010")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def rule_table(columns: Sequence[tuple[str, dict[TallyKey, Tally]]], judged: int | None = None) -> str:
    """Per rule and pattern: tokens removed and the share that was truly debris, per data
    set. A rule is trusted when it reaches ``TRUSTED_PRECISION`` on the first ``judged``
    columns (the data sets whose truth is reliable; all of them by default)."""
    keys = sorted({key for _, tallies in columns for key in tallies}, key=lambda key: (key[0], -sum(t.get(key, Tally()).tokens for _, t in columns), key[1]))
    header = "| rule | what | " + " | ".join(f"{name} tokens | debris" for name, _ in columns) + " | trusted |"
    rows = [header, "|" + "---|" * (2 + 2 * len(columns) + 1)]
    for key in keys:
        cells = [key[0], key[1].replace("|", "\\|")]
        trusted = True
        for number, (_, tallies) in enumerate(columns):
            tally = tallies.get(key)
            if tally is None or not tally.tokens:
                cells += ["0", ""]
                continue
            cells += [f"{tally.tokens:,}", f"{tally.precision:.1%}"]
            if judged is None or number < judged:
                trusted = trusted and tally.precision >= TRUSTED_PRECISION
        moved = MOVED.get(key[1])
        cells.append(f"moved to {moved}" if moved else "yes" if trusted else "**no**")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def titles_agree(found: str, reference: str | None) -> bool | None:
    """Whether a title taken from the text is the page's: most of the words of one are
    words of the other (a Jaccard index of at least one half), or all of the found line's
    words are in the reference (sites add their name or a dek to the page's title). None
    when there is no reference to judge by."""
    words, reference_words = set(re.findall(r"\w+", found.casefold())), set(re.findall(r"\w+", (reference or "").casefold()))
    if not words or not reference_words:
        return None
    return words <= reference_words or len(words & reference_words) >= len(words | reference_words) / 2


def title_table(runs: Sequence[ExtractorRun], reference: Callable[[str], str | None]) -> str:
    """Per reason of the headline rule, over every extractor's outputs: the titles it took
    and how many are the page's own title (``titles_agree``)."""
    counts: Counter[tuple[str, bool | None]] = Counter()
    references = {}
    for run in runs:
        for page, (line, reason) in run.page_titles.items():
            if page not in references:
                references[page] = reference(page)
            counts[(reason, titles_agree(line, references[page]))] += 1
    rows = ["| the headline rule's reason | titles taken | the page's title | another line | not judged (no title to compare) |", "|---|---:|---:|---:|---:|"]
    totals = [0, 0, 0, 0]
    for reason in sorted({reason for reason, _ in counts}):
        right, wrong, unjudged = counts[(reason, True)], counts[(reason, False)], counts[(reason, None)]
        cells = [right + wrong + unjudged, right, wrong, unjudged]
        totals = [total + cell for total, cell in zip(totals, cells)]
        what = reason.removeprefix("the headline: ").removesuffix(" (kept as the title)").replace("|", "\\|")
        rows.append(f"| {what} | " + " | ".join(f"{cell:,}" for cell in cells) + " |")
    rows.append("| **all** | " + " | ".join(f"**{cell:,}**" for cell in totals) + " |")
    return "\n".join(rows)
