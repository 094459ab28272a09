"""The safety net: after every rule has decided, make sure they did not take the article.

A cleaner that removes the article is worse than none. Two checks, after the chain:

- the article's core (the densest stretch of prose, measured on the text as it came,
  less the lines the vocabulary named as debris) must keep most of its prose: if the
  rules took more than half of its words, the removals inside it that rest on judgement
  rather than vocabulary (the boilerplate scorer, related lists, the headline) are taken
  back;
- a text that had prose must keep some: if no body line is left, every removal of a line
  of prose is taken back.

What the net takes back becomes body text again, and ``Scan.notes`` says why (it ends
up in ``Article.notes``).
"""

from __future__ import annotations

from .base import Scan
from .measure import densest_run, is_prose
from .signals import word_units

#: Rules whose removals rest on judgement (shape, position, a model) and can be undone.
JUDGEMENT = frozenset({"boilerplate", "related_lists", "headline", "comment_threads", "site_template"})
#: The core must keep more than this share of its prose words.
CORE_SHARE = 0.5
#: Below this many words of prose, there is no core to protect.
_MIN_CORE_WORDS = 30


def hold_back(scan: Scan) -> None:
    content = scan.content()
    if not content:
        return
    words = {index: word_units(scan.lines[index]) for index in content}
    prose = {index for index in content if is_prose(scan.lines[index], words[index])}
    if not prose:
        return
    # The core is the article's: a line the vocabulary named as debris (a share prompt, a
    # disclosure that reads as a sentence) is no part of it. Counted in, it made the net
    # hold back the judgement rules on a text whose cleaned output, cleaned again (the
    # debris gone), it let them clean.
    article = {index for index in prose if not _named_debris(scan, index)}
    first, last = core_span(content, article, words)
    core = [index for index in content if first <= index <= last and index in article]
    core_words = sum(words[index] for index in core)
    lost = [index for index in core if scan.removed(index)]
    if core_words >= _MIN_CORE_WORDS and sum(words[index] for index in lost) > CORE_SHARE * core_words:
        undone = [index for index in content if first <= index <= last and scan.removed(index) and scan.decisions[index].rule in JUDGEMENT]
        if undone:
            _undo(scan, undone, f"safety net: the rules would have removed most of the article's core (lines {scan.spans[first][0]}-{scan.spans[last][1]}); {len(undone)} removal(s) by {', '.join(sorted({scan.decisions[i].rule for i in undone}))} taken back")
    if not any(scan.decisions[index] is None for index in content):
        undone = [index for index in prose if scan.removed(index)]
        if undone:
            rules = ", ".join(sorted({scan.decisions[index].rule for index in undone}))
            _undo(scan, sorted(undone), f"safety net: the rules would have left no body text; {len(undone)} removal(s) of prose by {rules} taken back")


def _named_debris(scan: Scan, index: int) -> bool:
    """Removed by a rule whose evidence is the line's own words, not judgement."""
    return scan.removed(index) and scan.decisions[index].rule not in JUDGEMENT


def _undo(scan: Scan, indices: list[int], note: str) -> None:
    for index in indices:
        scan.decisions[index] = None
    scan.notes.append(note)


def core_span(content: list[int], prose: set[int], words: dict[int, int], walls: frozenset[int] | set[int] = frozenset()) -> tuple[int, int]:
    """The densest stretch of prose over the lines as they came (``densest_run``): prose
    scores its words, anything else costs a little, and no stretch crosses a wall."""
    first, last = densest_run([-1e9 if index in walls else min(words[index], 80) if index in prose else -0.5 for index in content])
    return content[first], content[last]
