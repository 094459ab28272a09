"""The safety net: whatever the rules decide, the article is never lost."""

from __future__ import annotations

from pathlib import Path

import cleaner
from cleaner import Cleaner
from cleaner.model import RemovalKind
from cleaner.rules.base import drop
from cleaner.rules.safety import hold_back

ARTICLE = [
    "The council voted on Tuesday to close the old bridge for six months, after engineers found cracks.",
    "Drivers will be sent through the town centre, where the council expects queues at the peaks.",
    "The bridge, which opened in 1932, carries about 18,000 vehicles a day, according to the council.",
    "Repairs are expected to cost £4.2 million, which the council hopes to recover from a fund.",
]


def test_judgement_rules_cannot_take_most_of_the_article():
    scan, _ = Cleaner().scan("\n".join(["Home", *ARTICLE, "Contact us"]))
    for index in (1, 2, 3):  # as if the scorer had wrongly taken three paragraphs of four
        scan.decisions[index] = drop("boilerplate", RemovalKind.BOILERPLATE, "test")
    hold_back(scan)
    assert [scan.decisions[index] for index in (1, 2, 3)] == [None, None, None]
    assert len(scan.notes) == 1 and "safety net" in scan.notes[0] and "boilerplate" in scan.notes[0]


def test_vocabulary_removals_inside_the_core_stand_when_the_core_survives():
    scan, _ = Cleaner().scan("\n".join(ARTICLE))
    scan.decisions[1] = drop("boilerplate", RemovalKind.BOILERPLATE, "test")
    hold_back(scan)
    assert scan.decisions[1] is not None and scan.notes == []


def test_no_rule_turns_an_article_into_an_empty_body(tmp_path):
    greedy = tmp_path / "greedy.toml"
    greedy.write_text('[[pattern]]\nkind = "prompt"\nregex = ".*"\nreason = "everything"\nmax_words = 80\n', encoding="utf-8")
    article = cleaner.clean("\n\n".join(ARTICLE), rules=[greedy])
    assert [block.text for block in article.paragraphs()] == ARTICLE
    assert article.notes and "no body text" in article.notes[0]
    assert cleaner.render(article, "json").count("safety net") == 1


def test_a_text_that_is_all_debris_may_end_empty():
    article = cleaner.clean("Share this article\nSign up for our newsletter\n")
    assert article.paragraphs() == [] and article.notes == ()


def test_a_text_of_more_lines_than_an_article_is_not_scored_and_says_so(monkeypatch):
    from cleaner.rules import boilerplate

    # The whole page of the scorer's fixture: its menus and footer go when it is scored.
    fixture = (Path(__file__).parent / "fixtures" / "rules" / "boilerplate.txt").read_text(encoding="utf-8")
    text = fixture.split("\n.\n")[1]
    scored = cleaner.Cleaner().clean(text)
    monkeypatch.setattr(boilerplate, "MAX_LINES", 10)
    skipped = cleaner.Cleaner().clean(text)
    assert len(skipped.body) > len(scored.body)
    assert any("boilerplate scorer skipped" in note for note in skipped.notes)


SHOP = [
    "Home", "Tents", "Sleeping bags", "Backpacks", "Sale", "Sign in",
    "Tents for every trip",
    *ARTICLE,
    "Ridge Two lightweight tent", "£149.00", "In stock",
    "Valley Four family tent", "£329.00", "In stock",
    "Summit One bivvy shelter", "1.299,00 €", "Two left",
    "Meadow Six tunnel tent", "49 zł", "In stock",
    "Contact us", "Delivery", "Returns",
]  # fmt: skip


def test_a_price_list_stays_whatever_the_scorer_thinks(monkeypatch):
    from cleaner.rules import boilerplate

    monkeypatch.setattr(boilerplate.Model, "probability", lambda self, row: 0.999)
    scan, _ = Cleaner().scan("\n".join(SHOP))
    kept = [line for line, decision in zip(scan.lines, scan.decisions) if decision is None]
    grid = SHOP[SHOP.index("Ridge Two lightweight tent") : SHOP.index("Contact us")]
    assert kept == ARTICLE + grid  # the menus around the grid go, every product stays


def test_a_price_list_is_prices_that_recur_not_the_menus_around_them():
    from cleaner.rules.measure import price_lists

    texts = ["Home", "Deals", "Gibson SG", "£1,299", "Fender Strat", "$649", "Squier Tele", "199 kr", "Contact", "About", "Help"]
    assert price_lists(texts, [False] * len(texts)) == [False, False, True, True, True, True, True, True, True, False, False]
    spread = ["£10", "a", "b", "c", "d", "e", "£20", "f", "g", "h", "i", "j", "£30"]
    assert not any(price_lists(spread, [False] * len(spread)))  # prices too far apart to be one list
    paragraph_between = ["Gibson SG", "£1,299", "A sentence the article's prose stands in.", "£649", "Squier Tele", "£199"]
    prose = [False, False, True, False, False, False]
    assert not any(price_lists(paragraph_between, prose))  # a paragraph ends a list
