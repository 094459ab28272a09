"""The rule chain: every rule, in the order it runs. This list is the one place to look.

Each entry is a small named function (see ``base.py`` for the contract). A rule claims
lines no earlier rule has claimed; what no rule claims is body text. Disable a rule by
name with ``--disable NAME`` (or ``clean(..., disable={"NAME"})``).
"""

from __future__ import annotations

from ..errors import UsageError
from .author import find_author_bio
from .base import Decision, Role, Rule, Scan
from .blank import find_blank_lines
from .boilerplate import find_boilerplate
from .comments import find_comment_threads
from .gallery import find_galleries, find_galleries_after_debris
from .main_content import find_outside_main_content
from .debris import find_edge_debris_again, find_pattern_debris, find_photo_captions, find_related_lists
from .media import find_media_labels
from .structure import find_headline
from .template import find_site_template
from .packs import RulePack, load_packs

RULES: tuple[Rule, ...] = (
    Rule("main_content", "blocks of a saved page outside its article region (flagged by the HTML reader)", find_outside_main_content),
    Rule("blank_lines", "blank lines and runs of them are layout, not content", find_blank_lines),
    Rule("gallery", "numbered captions 'k/N caption credit' with their title line and 'N show all' header become a gallery", find_galleries),
    Rule("debris_patterns", "lines matching a rule pack's patterns: related links, prompts, share widgets, ads, cookie notices, comments, bylines, dates, caption markers", find_pattern_debris),
    Rule("photo_captions", "a short line ending in a photo-agency credit becomes an image placeholder; a bare credit line is removed", find_photo_captions),
    Rule("related_lists", "the headlines listed under a 'Related' / 'More stories' header", find_related_lists),
    Rule("headline", "the headline, when the text sets it apart (a level-1 heading, a line above the byline or date, a repeat of the page title), kept as the title", find_headline),
    Rule("media_label", "a short standalone label naming a video or audio player becomes a media placeholder", find_media_labels),
    Rule("comment_threads", "a reader comment thread after the article: from the first of at least two comment markers ('12 Comments', 'Reply', 'averagejoe says:') to the end", find_comment_threads),
    Rule("author_bio", "an 'About the author' box after the article, or a closing '<Name> is <role> at <organisation>' paragraph, becomes the author bio", find_author_bio),
    Rule("gallery_after_debris", "the gallery rule again once debris, headline, comment thread and author box are gone: a title and numbered items they kept apart stand together", find_galleries_after_debris),
    Rule("edge_debris_again", "bylines and dates at the text's edges once related lists, comment threads and author boxes are gone: where the cleaned text will have its edges", find_edge_debris_again),
    Rule("site_template", "with a site memory (--memory, from 'cleaner learn'): lines that stand in many documents of the article's site; inside the text only a run of them", find_site_template),
    Rule("boilerplate", "menus, labels, teasers and footers no vocabulary names, scored by a small learned model; never prose, lists or tables inside the article", find_boilerplate),
)

RULE_NAMES = tuple(rule.name for rule in RULES)


def active_rules(disable: set[str] | frozenset[str] = frozenset()) -> tuple[Rule, ...]:
    unknown = set(disable) - set(RULE_NAMES)
    if unknown:
        raise UsageError(f"unknown rule(s) {', '.join(sorted(unknown))}; known rules: {', '.join(RULE_NAMES)}")
    return tuple(rule for rule in RULES if rule.name not in disable)


__all__ = ["RULES", "RULE_NAMES", "Decision", "Role", "Rule", "RulePack", "Scan", "active_rules", "load_packs"]
