"""Pathological inputs: each must be cleaned and rendered in seconds, never hang.

There are no timing asserts (a busy machine is not a bug). A hang guard (``SIGALRM``,
``GUARD_SECONDS``) fails a test that runs far longer than it should: a rule that is
super-linear in its input, or a regular expression that backtracks catastrophically.
Timings measured on the development machine are in the module's cases as comments.

A case too slow to fix at once is marked ``xfail`` with the place it comes from; the
slowest cases run only with ``CLEANER_SLOW_CASES=1``.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

import pytest

from safety import Hang

import cleaner
from cleaner.decode import normalise_text

pytestmark = pytest.mark.slow  # inputs built to be slow: seconds each

GUARD_SECONDS = 60
HUGE = 1 << 30  # the size limit is not what these tests are about
RUN_SLOW = bool(os.environ.get("CLEANER_SLOW_CASES"))


@pytest.fixture
def guard():
    """Fail (not hang) when the body of the test runs past ``seconds``: ``hang_guard``
    (tests/safety.py) armed from inside the test, after its input is built."""
    if not hasattr(signal, "SIGALRM"):
        pytest.skip("the hang guard needs SIGALRM")

    def expire(signum, frame):
        raise Hang("hang guard: still running after the time limit (super-linear rule or regex?)")

    def arm(seconds: int = GUARD_SECONDS) -> None:
        signal.alarm(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    yield arm
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def accounted(article: cleaner.Article) -> None:
    """Every input line is in exactly one place, and body blocks keep input order."""
    owners = article.line_owners()
    assert len(owners) == article.source.lines
    assert not owners or (min(owners), max(owners)) == (1, article.source.lines)
    firsts = [block.lines.first for block in article.paragraphs()]
    assert firsts == sorted(firsts)


def clean_and_render(text: str | bytes, formats=("md", "html", "txt", "json")) -> cleaner.Article:
    article = cleaner.clean(text, max_bytes=HUGE)
    accounted(article)
    for fmt in formats:
        cleaner.render(article, fmt)
    return article


# (id, input, formats to render). Times: clean + renders on the 2-core development machine.
CASES: list[tuple[str, Callable[[], str], tuple[str, ...]]] = [
    ("5MB single line", lambda: "word " * 1_000_000, ("md", "html", "txt", "json")),  # 0.6 s
    ("1MB of spaces", lambda: " " * 1_000_000, ("md", "html", "txt", "json")),  # 0.1 s
    ("1MB of spaces inside a line", lambda: "a" + " " * 1_000_000 + "b.", ("md", "html", "txt", "json")),
    ("a million blank lines", lambda: "\n" * 1_000_000, ("md", "txt")),  # 1.3 s
    ("1/22 x200k on one line", lambda: "1/22 " * 200_000, ("md", "html", "txt", "json")),  # 0.1 s
    ("22 show all x100k on one line", lambda: "22 show all " * 100_000, ("md", "html", "txt", "json")),  # 0.1 s
    ("22 show all on 50k lines", lambda: "22 show all In pictures: Mosul\n" * 50_000, ("md", "txt")),
    ("gallery k/22 on 50k lines", lambda: "".join(f"{i % 22 + 1}/22 Soldiers on a truck Getty\n" for i in range(50_000)), ("md", "txt")),
    ("hard-wrapped paragraph of 300k lines", lambda: "".join(f"This is sentence number {i} of the long article here.\n" for i in range(300_000)), ("md", "txt")),  # was 79 s (quadratic join in lines.py), now 1.3 s
    ("10,000 capitalised words", lambda: " ".join(["Maya"] * 10_000), ("md", "html", "txt", "json")),
    ("100 lines of 10,000 capitalised words", lambda: "\n".join([" ".join(["Maya", "Mailer"] * 5_000)] * 100), ("txt",)),
    ("capitalised words then a bio verb", lambda: " ".join(["Maya"] * 10_000) + " is head of policy at Oxfam.", ("md", "txt")),
    ("credit-like capitalised words", lambda: "Caption " + "Sakib Ali/ " * 20_000 + "Getty", ("md", "txt")),
    ("NUL and control characters, a small share", lambda: "Hello\x00 world\x01, this is\x1b text.\n" * 20_000, ("md", "html", "txt", "json")),
]
# Runs for the Markdown escaper (and every rule): a quadratic regex would take minutes here.
for character in "([*_<&#\\`>|~!-":
    CASES.append((f"200k of {character!r}", lambda character=character: character * 200_000, ("md", "html", "txt")))
    CASES.append((f"words between {character!r}", lambda character=character: f"a{character}" * 100_000 + "\n", ("md",)))


@pytest.mark.parametrize(("text", "formats"), [pytest.param(make, formats, id=name) for name, make, formats in CASES])
def test_pathological_input_finishes(text, formats, guard):
    text = text()
    guard()
    clean_and_render(text, formats)


@pytest.mark.parametrize("count", [250_000, pytest.param(1_000_000, marks=pytest.mark.skipif(not RUN_SLOW, reason="12-21 s: run with CLEANER_SLOW_CASES=1"))])
def test_many_short_lines(count, guard):
    # A million lines: 11-13 s for clean on an idle machine, 0.1 s for txt (md, html and
    # json of a million paragraphs: 0.5-1.5 s each). A quarter of that runs by default.
    text = "".join(f"Line {number} text.\n" for number in range(count))
    guard()
    article = clean_and_render(text, ("txt",))
    assert article.source.lines == count


def test_nul_and_control_characters_are_removed_not_refused(guard):
    guard()
    line = b"Hello\x00 world, the army said on Monday that the \x1b[31moffensive\x07 would go on.\n\n"
    article = clean_and_render(line * 50 + b"Second\x7f paragraph here.\n")
    assert len(article.paragraphs()) == 51
    assert article.paragraphs()[0].text == "Hello world, the army said on Monday that the [31moffensive would go on."
    assert article.paragraphs()[-1].text == "Second paragraph here."


# Was 79 s (the gallery rule scanned up to 200 lines around each lone '1/22' line); 1.9 s
# since 1d809cf made the gallery scan linear.
@pytest.mark.parametrize("lines", [100_000])
def test_repeated_counter_lines(lines, guard):
    guard()
    clean_and_render("1/22 caption Getty\n" * lines, ("md", "txt"))


# -- regular expressions against catastrophic backtracking --------------------------------
# Every rule's regexes run on every line, so a document of pumped lines drives them all, the
# way the rules call them: a prefix that gets a pattern started, a pumped middle that can be
# split many ways, and an ending that makes the match fail and forces backtracking.

PREFIXES = ["", "By ", "by ", "BY ", "In pictures: ", "22 show all ", "1/22 ", "Photo: ", "Photograph: ", "Video: ", "Watch ", "share ", "updated ", "Maya Mailer is ",
            "About the author: ", "# ", "> ", "- ", "1. ", "read more ", "subscribe to ", "(", "[", "&", "Mon, 12 ", "12:30 ", "5 min ", "© "]
PUMPS = ["Aand", "A ", "a ", "A. ", "1 ", "x", "share ", ", ", "and ", "/ ", "A/", "& ", "#", "_", "*", "[", "(", "<", "1/22 ", "Getty ", "AFP/", "Ab-", "'", "’", ". ",
         "a1", "0", "A, ", "Ab Cd/", "de ", "via ", "min ", "1:", "12 ", "Jan ", "you may ", "get ", "newsletter "]
ENDINGS = ["!", ";", " 1/", "\u2026x"]


def pumped_document(repeat: int) -> str:
    lines = [f"{prefix}{pump * repeat}{ending}" for prefix in PREFIXES for pump in PUMPS for ending in ENDINGS]
    prose = "The army said on Monday that the offensive would continue for several weeks."
    return "\n\n".join([prose] + lines + [prose]) + "\n"


def test_no_catastrophic_backtracking_in_short_lines(guard):
    # Found here: the byline pattern of news.toml backtracked exponentially on
    # 'By AandAandAand…!' (20 repeats: 0.8 s, 40: hours); linear since 1d809cf.
    text = pumped_document(40)
    guard(20)
    clean_and_render(text, ("md", "html"))


def test_no_super_linear_regex_on_long_pumped_lines(guard):
    # One pumped line of ~40,000 characters per (prefix, pump): a quadratic regex shows here.
    lines = [f"{prefix}{pump * (40_000 // len(pump))}!" for prefix in PREFIXES[::3] for pump in PUMPS]
    text = "\n\n".join(lines) + "\n"
    guard()
    clean_and_render(text, ("md",))


def test_control_characters_do_not_change_line_accounting(guard):
    guard()
    text = "".join(f"{chr(code)} line {code} of text.\n" for code in range(0x20) if chr(code) not in "\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
    article = clean_and_render(text)
    assert article.source.lines == len(normalise_text(text).split("\n"))


# Found here: the reading-time pattern of news.toml split a run of digits between its two
# \d+ in every way (quadratic: 16,000 digits, 12 s; 1 MB, hours); linear since 1d809cf.
def test_a_long_run_of_digits(guard):
    guard()
    clean_and_render("0" * 100_000 + "!", ("md",))


# Found by scripts/fuzz.py: the labelled-link pattern of news.toml split one long word
# into up to three pieces in every way before failing on ':' (cubic: a line of 1,000 '_',
# 3 s); linear since the words of the label need a space between them.
def test_one_word_lines_at_the_pattern_length_limit(guard):
    # Lines just short of the length up to which debris patterns are tried.
    text = "".join(f"{pump * (990 // len(pump))}\n\n" for pump in ("a", "_", "x1", "Ab-", "’"))
    guard(5)
    clean_and_render(text, ("md",))


# Found by the benchmark: a crawler's Markdown of a page that kept its comments
# ('<!--[if IE 7]>…<![endif]-->', tag-manager markers) at the top, then no '<html'.
# The HTML sniffer's single pattern backtracked over every way to split the comments:
# exponential, hours for one record of aeb-dev (html2md_rs); walked, linear since.
def test_a_head_of_many_comments_that_is_not_html(guard):
    head = "".join(f'<!--[if IE {n}]><link rel="stylesheet" href="/css/ie{n}.css"/><![endif]--><!-- Google Tag Manager -->' for n in range(60))
    guard(10)
    article = clean_and_render(head + "\n\nThe article starts here, with a sentence.\n", ("md",))
    assert article.source.format == "text"
