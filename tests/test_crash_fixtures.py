"""Replay every input the fuzz harness ever found failing (``fixtures/crashes``) through
the checks it failed: see ``fixtures/crashes/README.md``."""

from __future__ import annotations

from pathlib import Path

import signal

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
    "1312dc01af972207.txt": (
        "hang: lines of one long word ('_' x 891, 'a' x 2999) make the news pack's labelled-link pattern "
        "'(?:[\\w’'-]+\\s?){1,3}:\\s*https?://\\S+$' backtrack cubically: 3 s per clean (see test_pathological.py)"
    ),
    "f34ec157b843f1da.txt": (
        "idempotence: a gallery title line, a prompt line and one '1/1 the' item: the gallery rule runs before "
        "debris_patterns, so the prompt (still open, and prose) ends its look-back and a lone item without a title is no "
        "gallery; debris_patterns then removes the prompt, and in the txt output title and item stand together and "
        "make a gallery (rules/gallery.py, _counter_gallery)"
    ),
}


#: A fixture that runs longer than this hangs (every fixed one replays in well under 1 s).
GUARD_SECONDS = 5


class Hang(Exception):
    pass


def replay(path: Path) -> None:
    if not hasattr(signal, "SIGALRM"):
        return _replay(path)

    def expire(signum, frame):
        raise Hang(f"{path.name}: still running after {GUARD_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(GUARD_SECONDS)
    try:
        _replay(path)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


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


def test_known_failures_are_fixtures():
    assert set(KNOWN_FAILURES) <= {path.name for path in FIXTURES}
