"""Golden outputs of the seed in all four formats, plus must-contain / must-not-contain
lists that survive cosmetic changes. Regenerate after an intended change with
CLEANER_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py, and review the diff."""

from __future__ import annotations

import os

import pytest
from conftest import GOLDEN, SEED

import cleaner

FORMATS = ["md", "html", "txt", "json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_golden(fmt):
    output = cleaner.render(cleaner.clean(SEED.read_bytes()), fmt)
    golden = GOLDEN / f"seed.{fmt}"
    if os.environ.get("CLEANER_UPDATE_GOLDEN"):
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")


MUST = {
    "md": ["## Gallery: Mosul offensive", "10. Iraqi families who were displaced", "*(Getty)*", "\n---\n\nMaya Mailer is head"],
    "html": ["<article", "<figure", "<figcaption>", '<small class="credit">Getty</small>', '<footer class="author-bio">', "<!DOCTYPE html>", "<style>"],
    "txt": ["In pictures: Mosul offensive (22 photos)\n1. Iraqi army", "\n\nMaya Mailer is head"],
    "json": ['"declared_count": 22', '"name": "Maya Mailer"'],
}
MUST_NOT = ["show all", "1/22", "Isis video purports", "\n\n\n"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_output_contains(fmt):
    output = cleaner.render(cleaner.clean(SEED.read_bytes()), fmt)
    for needle in MUST[fmt]:
        assert needle in output
    if fmt != "json":  # the JSON keeps the removal log and media, by design
        for needle in MUST_NOT:
            assert needle not in output
