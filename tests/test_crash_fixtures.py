"""Replay every input the fuzz harness ever found failing (``fixtures/crashes``) through
the checks it failed: see ``fixtures/crashes/README.md``."""

from __future__ import annotations

from pathlib import Path

import pytest
from safety import check_document, check_renders

import cleaner

CRASHES = Path(__file__).parent / "fixtures" / "crashes"
FIXTURES = sorted(path for path in CRASHES.iterdir() if path.suffix in (".txt", ".bin", ".json")) if CRASHES.is_dir() else []

#: Fixtures whose bug is known and not fixed yet: name -> where it lies.
KNOWN_FAILURES = {
    "6d37321c1fd2ebf4.txt": (
        "idempotence: 'In pictures: Mosul offensive (22 photos)' then '0. the' is body text (index 0 is no gallery item), "
        "but render/text.py renumbers the ordered list item from 1 ('1. the'), which the gallery rule "
        "(rules/gallery.py, _listed_gallery) then reads as a gallery; ListItem keeps no source number"
    ),
    "f34ec157b843f1da.txt": (
        "idempotence: a gallery title line, a prompt line and one '1/1 the' item: the gallery rule runs before "
        "debris_patterns, so the prompt (still open, and prose) ends its look-back and a lone item without a title is no "
        "gallery; debris_patterns then removes the prompt, and in the txt output title and item stand together and "
        "make a gallery (rules/gallery.py, _counter_gallery)"
    ),
}


def replay(path: Path) -> None:
    if path.suffix == ".json":
        check_renders(cleaner.from_json(path.read_bytes()))
    elif path.suffix == ".bin":
        check_document(path.read_bytes())
    else:
        check_document(path.read_bytes().decode("utf-8"))  # not read_text: keep \r and \r\n


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, id=path.name, marks=[pytest.mark.xfail(strict=True, raises=AssertionError, reason=KNOWN_FAILURES[path.name])] if path.name in KNOWN_FAILURES else [])
        for path in FIXTURES
    ],
)
def test_crash_fixture(path):
    replay(path)


def test_known_failures_are_fixtures():
    assert set(KNOWN_FAILURES) <= {path.name for path in FIXTURES}
