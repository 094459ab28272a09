"""Golden outputs of the seed in all four formats, plus must-contain / must-not-contain
lists that survive cosmetic changes. Regenerate after an intended change with
CLEANER_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py, and review the diff."""

from __future__ import annotations

import os
import sys

import pytest
from conftest import GOLDEN, SEED

import cleaner

FORMATS = ["md", "html", "txt", "json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_golden(fmt):
    output = cleaner.render(cleaner.clean(SEED.read_bytes()), fmt)
    golden = GOLDEN / f"seed.{fmt}"
    if os.environ.get("CLEANER_UPDATE_GOLDEN"):
        # Comparing the file just written with itself would pass whatever the output is:
        # an update is reported as a skip, and the diff is for a person to review.
        changed = not golden.is_file() or golden.read_text(encoding="utf-8") != output
        golden.write_text(output, encoding="utf-8")
        pytest.skip(f"{golden.name} {'updated: review the diff' if changed else 'unchanged'} (CLEANER_UPDATE_GOLDEN is set)")
    assert output == golden.read_text(encoding="utf-8")


def test_updating_the_golden_files_is_not_a_pass(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_UPDATE_GOLDEN", "1")
    monkeypatch.setattr(sys.modules[__name__], "GOLDEN", tmp_path)
    (tmp_path / "seed.md").write_text("an outdated golden file", encoding="utf-8")
    with pytest.raises(pytest.skip.Exception, match="seed.md updated: review the diff"):
        test_seed_golden("md")
    assert (tmp_path / "seed.md").read_text(encoding="utf-8") == cleaner.render(cleaner.clean(SEED.read_bytes()), "md")


MUST = {
    "md": ["## Gallery: Mosul offensive", "10. Iraqi families who were displaced", "*(Getty)*", "\n---\n\nMaya Mailer is head"],
    "html": ["<article", "<figure", "<figcaption>", '<small class="credit">Getty</small>', '<footer class="author-bio"', "<!DOCTYPE html>", "<style>", '<html lang="und">'],
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
