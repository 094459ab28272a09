"""A site's template: the lines that stand in many of the site's documents (a menu, a
footer, a newsletter box, a standard disclaimer), as ``cleaner learn`` found them in a
batch (``cleaner.sites``). Repetition across documents is the evidence; the rule runs
only with a memory (``--memory FILE``).

Repetition alone does not take a line out of the article: a site's articles share their
section headings ("Ingredients", "Key takeaways", "Verdict") and quote the same statement.
So, between the first and the last paragraph of the text, a template line goes only in a
run of at least ``_RUN_INSIDE`` lines that are template or debris other rules removed (a
widget set inside the article); a lone one stays. Before the first paragraph and after
the last, template lines go.

Nor is repetition enough where the same content stands on many pages (a game store's
system requirements, a shop's size guide): a template line also needs the boilerplate
scorer to find it more likely furniture than content (``_BAR``), and never goes against the
scorer's hard constraints (prose inside the article, its lists and tables, a run a colon
introduces). Two kinds of evidence, then: the corpus says the line is the site's, the
line's own shape and place say it is not the article's.

A document that is mostly template is a copy of another document of the batch (the same
article scraped twice, syndicated), not a page around an article: nothing is removed
from it, and its notes say so.
"""

from __future__ import annotations

from ..model import RemovalKind
from .base import Role, Scan, drop
from .boilerplate import MAX_LINES, model, protected_at
from .debris import edge_zone
from .measure import Measures

NAME = "site_template"

#: Inside the text, a run of at least this many template lines is a widget.
_RUN_INSIDE = 3
#: A document whose open lines are more than this share template (by words) is a copy.
_COPY_SHARE = 0.5
#: The scorer's probability of boilerplate a template line needs: more likely than not.
_BAR = 0.5


def find_site_template(scan: Scan) -> None:
    template = scan.template
    if template is None:
        return
    content = scan.content()
    counts = {index: template.documents_with(scan.lines[index]) for index in scan.open_lines()}
    found = [index for index, count in counts.items() if count]
    if not found:
        return
    words = scan.words()
    open_words = sum(words[index] for index in counts)
    found_words = sum(words[index] for index in found)
    if found_words > _COPY_SHARE * open_words:
        scan.notes.append(
            f"site template not applied: {len(found)} line(s), {found_words} of {open_words} words, stand in other documents of "
            f"{template.site or 'the batch'}; a document that is mostly template is a copy of another, not a page around an article"
        )
        return
    if len(content) > MAX_LINES:  # the scorer does not measure a corpus or a log (boilerplate.MAX_LINES)
        scan.notes.append(f"site template not applied: {len(content):,} non-blank lines is not one article, and the scorer that must agree does not measure it")
        return
    likely = _likely_furniture(scan, found)
    first, last = edge_zone(scan)
    removed = {index for index in content if (decision := scan.decisions[index]) is not None and decision.role is Role.REMOVED}
    runs = _runs(content, set(found) | removed)
    where = f"of {template.site}" if template.site else "without an address"
    for index in found:
        inside = first <= index <= last
        if index not in likely or inside and runs[index] < _RUN_INSIDE:
            continue
        reason = f"site template: in {counts[index]} of {template.documents} documents {where}"
        if inside:
            reason += f", in a run of {runs[index]}"
        reason += f"; score {likely[index]:.2f}"
        scan.decide(index, drop(NAME, RemovalKind.BOILERPLATE, reason))


def _likely_furniture(scan: Scan, found: list[int]) -> dict[int, float]:
    """The template lines the boilerplate scorer finds more likely furniture than content,
    and that none of its hard constraints protects, with their scores."""
    measures = Measures(scan)
    position_of = {index: position for position, index in enumerate(measures.content)}
    scorer = model()
    likely = {}
    for index in found:
        position = position_of[index]
        if protected_at(measures, position, scan.markup[index]):
            continue
        probability = scorer.probability(measures.row(position))
        if probability >= _BAR:
            likely[index] = probability
    return likely


def _runs(content: list[int], found: set[int]) -> dict[int, int]:
    """For each line of ``found`` (template lines, and lines other rules removed as
    debris), the length of the run of consecutive such lines (blank lines aside) it
    stands in."""
    runs: dict[int, int] = {}
    run: list[int] = []
    for index in content + [None]:
        if index is not None and index in found:
            run.append(index)
            continue
        for member in run:
            runs[member] = len(run)
        run = []
    return runs
