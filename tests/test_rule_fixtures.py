"""Runs every case in tests/fixtures/rules/*.txt through the rule chain (format: README there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.rules import RULE_NAMES, Role
from cleaner.sites import SiteLines, SiteMemory, normalise

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def _cases():
    for path in sorted(FIXTURES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for chunk in text.split("\n## ")[0:]:
            chunk = chunk.removeprefix("## ")
            if not chunk.strip():
                continue
            title, _, rest = chunk.partition("\n.\n")
            source, _, rest = rest.partition("\n.\n")
            expected, _, after = rest.partition("\n.")
            rules = [line.removeprefix("rule:") for line in after.splitlines() if line.startswith("rule:")]
            template = [line.removeprefix("template:") for line in after.splitlines() if line.startswith("template:")]
            yield pytest.param(path.stem, source, expected.split("\n"), rules, template, id=f"{path.stem}: {title.strip()}")


def _label(decision) -> str:
    if decision is None:
        return "body"
    if decision.role is Role.REMOVED:
        return f"removed:{decision.kind.value}"
    return {Role.GALLERY_ITEM: "gallery", Role.MEDIA: "media", Role.AUTHOR_BIO: "author"}[decision.role]


def test_every_rule_has_a_fixture_file():
    assert {path.stem for path in FIXTURES.glob("*.txt")} >= set(RULE_NAMES)


@pytest.mark.parametrize(("rule", "source", "expected", "deciders", "template"), list(_cases()))
def test_fixture(rule, source, expected, deciders, template):
    document, _ = Cleaner(memory=_memory(template) if template else None).scan(source)
    got = [_label(decision) for decision in document.decisions]
    assert len(expected) == len(document.lines), "fixture must give one decision per input line"
    assert got == expected
    assert rule in RULE_NAMES
    if deciders:  # optional: the rule behind each non-body line, in order
        assert [decision.rule for decision in document.decisions if decision is not None] == deciders


def _memory(template: list[str]) -> SiteMemory:
    """A site memory in which each ``template:`` line stood in 9 of 10 documents of the
    documents without an address (those of the fixture)."""
    return SiteMemory({"": SiteLines("", 10, {normalise(line): 9 for line in template})}, min_documents=3, min_share=0.1)
