"""Replay every input the fuzz harness ever found failing (``fixtures/crashes``) through
the checks it failed: see ``fixtures/crashes/README.md``."""

from __future__ import annotations

from pathlib import Path

import pytest
from safety import Hang, check_document, check_renders, hang_guard

import cleaner

CRASHES = Path(__file__).parent / "fixtures" / "crashes"
FIXTURES = sorted(path for path in CRASHES.iterdir() if path.suffix in (".txt", ".bin", ".json")) if CRASHES.is_dir() else []

#: Fixtures whose bug is known and not fixed yet: name -> where it lies.
KNOWN_FAILURES: dict[str, str] = {
    # They clean correctly; cleaning the plain-text output again changes it. Rules measure
    # the text as it came, and a later rule takes or moves lines: what the cleaned text
    # still holds stands elsewhere relative to its prose.
    "c8dff3251dea7b2d.txt": "idempotence: a gallery's title and its lone item stand apart, a heading between them; the plain-text output writes the gallery where its title stood, above the heading, so the line of brackets that ends the text stands otherwise placed and the scorer takes it at the edge the second time (found by the fuzzer in stop 21; there at the start of the stop)",
    "7c3901246ea6cfe2.txt": "idempotence: a gallery's title and its lone item stand apart, short lines between them; the plain-text output writes the gallery where its title stood, so the short lines after it end the text otherwise placed and the scorer takes one at the edge the second time (found by the property test in a fresh environment in stop 21; there at the start of the stop)",
    "c3b9d5f4a161721c.txt": "idempotence: a gallery's title and its one item stand apart with short lines between them; the plain-text output writes the gallery where its title stood, so the last short line, cleaned again, stands alone after the gallery and the scorer takes it at the edge (found by the property test; there since before stop 20)",
    "beb6cf672f9c7e86.txt": "idempotence: two caption lines that read as prose count as prose for the boilerplate scorer though photo_captions moved them to media; without them (the cleaned text) a line of punctuation after the gallery scores as furniture",
}


#: A fixture that runs longer than this hangs (every fixed one replays in well under 1 s).
GUARD_SECONDS = 5


def replay(path: Path) -> None:
    with hang_guard(GUARD_SECONDS, f"{path.name}: still running"):
        _replay(path)


def _replay(path: Path) -> None:
    if path.suffix == ".json":
        check_renders(cleaner.from_json(path.read_bytes()))
    elif path.suffix == ".bin":
        check_document(path.read_bytes())
    else:
        check_document(path.read_bytes().decode("utf-8"))  # not read_text: keep \r and \r\n


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, id=path.name, marks=[pytest.mark.xfail(strict=True, raises=(AssertionError, Hang), reason=KNOWN_FAILURES[path.name])] if path.name in KNOWN_FAILURES else [])
        for path in FIXTURES
    ],
)
def test_crash_fixture(path):
    replay(path)


def stale_known_failures(known: dict[str, str], fixtures: list[Path]) -> list[str]:
    """Entries of ``known`` that name no fixture (renamed or deleted), or give no reason."""
    names = {path.name for path in fixtures}
    return sorted(name for name, reason in known.items() if name not in names or not reason.strip())


def test_known_failures_are_fixtures():
    assert FIXTURES, f"no crash fixtures in {CRASHES}: the replay tests above ran nothing"
    assert stale_known_failures(KNOWN_FAILURES, FIXTURES) == []


def test_a_stale_known_failure_is_reported():
    # The check above has nothing to catch while KNOWN_FAILURES is empty: show it can fail.
    assert stale_known_failures({"gone.txt": "fixed long ago", FIXTURES[0].name: " "}, FIXTURES) == sorted(["gone.txt", FIXTURES[0].name])
