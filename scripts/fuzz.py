#!/usr/bin/env python3
"""Fuzz cleaner for a fixed wall-clock budget: hypothesis at scale.

    python scripts/fuzz.py                 # 60 s over every target
    python scripts/fuzz.py --seconds 600   # longer
    python scripts/fuzz.py --target bytes --seconds 30

Targets, run in turn until the budget is spent:

- ``document``: news-like text (prose, galleries "k/N caption credit", titles and "N show
  all" headers, media labels, bios, share rows and other debris, XSS and Markdown
  fragments, control characters, long runs), as text and as bytes in several encodings;
- ``idempotence``: the same news-like text, for the plain-text output cleaning to itself;
- ``fidelity``: the same news-like text as UTF-8 with a few bytes that are never UTF-8
  put between its characters (at most one per 1,000 bytes): read as UTF-8, each bad byte
  one U+FFFD, everything else intact;
- ``bytes``: arbitrary bytes; ``unicode``: arbitrary text (``clean`` takes str too);
- ``model``: hand-built articles with arbitrary single-line Unicode in every text field.

Each input goes through ``tests/safety.py``: clean → every line accounted for → the same
article again → md, html, txt and json (no markup from the input, JSON reads back) →
cleaning the txt output gives the same txt. An input that fails or runs past the per-input
time limit is shrunk by hypothesis and written to ``tests/fixtures/crashes/<sha>.txt``
(text), ``.bin`` (bytes) or ``.json`` (a model); ``tests/test_crash_fixtures.py`` replays
them all. The exit code is 1 when something was found, 0 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from safety import check_document, check_fidelity, check_idempotence, check_renders, hang_guard  # noqa: E402

import cleaner  # noqa: E402
from cleaner import Article, Author, Gallery, GalleryAnchor, GalleryItem, Heading, LineSpan, ListItem, Paragraph, Quote  # noqa: E402

CRASHES = ROOT / "tests" / "fixtures" / "crashes"
#: One input taking longer than this is a hang (the slowest realistic article takes < 0.1 s).
PER_INPUT_SECONDS = 10
#: Examples per hypothesis run; runs repeat until the budget is spent.
BATCH = 100


# -- strategies --------------------------------------------------------------------------

_WORDS = (
    "the army city said families Mosul Getty AP Reuters AFP/Getty Images video footage watch show all "
    "In pictures is was head of policy at Oxfam editor for Maya Mailer By Share Tweet Read more Related "
    "Subscribe newsletter Advertisement Photo: Credit: updated 12:30 GMT Jan 2016 min read © copyright "
    "1/22 2/22 22 * # < > & _ ` ~ | \\ [x](y) ![i](j) <b> </p> <script> &amp; &#60; javascript:alert(1) "
    "1. 2) - + > === --- *** ``` \u00a0 \u200b \u2028 \ufeff \x00 \x1b \x85 é ü ß ’ “ ” — … 中文 العربية"
).split(" ")
_word = st.sampled_from(_WORDS) | st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
_sentence = st.lists(_word, min_size=1, max_size=30).map(" ".join)
_prose = st.builds(lambda words, end: " ".join(words) + end, st.lists(st.sampled_from(_WORDS[:40]), min_size=6, max_size=40), st.sampled_from([".", "!", "?", ".”", ""]))
_credit = st.sampled_from(["", " Getty", " AFP/Getty Images", " (Reuters)", " Photograph: Sakib Ali/Hindustan Times", " AP Photo"])
_gallery_item = st.builds(lambda k, n, text, credit: f"{k}/{n} {text}{credit}", st.integers(0, 40), st.integers(0, 40), _sentence, _credit)
_listed_item = st.builds(lambda k, text: f"{k}. {text}", st.integers(0, 40), _sentence)
_special = st.sampled_from(
    [
        "In pictures: Mosul offensive",
        "22 show all In pictures: Mosul offensive",
        "In pictures: Mosul offensive (22 photos)",
        "Isis video purports to show fighting in Mosul",
        "Watch: the moment it happened",
        "Video: <script>alert(1)</script>",
        "Maya Mailer is head of humanitarian policy and campaigns at Oxfam.",
        "About the author: Jo Bloggs is an editor at The Example.",
        "By Jo Bloggs and Sam Smith",
        "Share Tweet Email",
        "Read more: the story so far",
        "Updated 12:30 GMT, 1 January 2016",
        "5 min read",
        "Advertisement",
        "Related",
        "Photo: Getty",
        "Sakib Ali/Hindustan Times/Getty Images",
        "## A heading",
        "> a quote",
        "- an item",
        "1. an item",
        "",
        "",
        "   ",
        "\t",
    ]
)
_run = st.builds(lambda character, count: character * count, st.sampled_from(list(" ([*_<&#\\`>|~!-/0Aa.\x00")), st.integers(1, 3000))
_line = st.one_of(_prose, _sentence, _gallery_item, _listed_item, _special, _run)
_newline = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r", "\n\n", "\n\n\n\n\n", "\u2028"])
document_text = st.lists(st.tuples(_line, _newline), max_size=60).map(lambda pairs: "".join(line + end for line, end in pairs))


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "replace")
    return text.encode(encoding, "replace")


document_bytes = st.builds(_encode, document_text, st.sampled_from(["utf-8", "utf-8-bom", "utf-16", "cp1252", "latin-1"]))
_never_utf8 = st.sampled_from([bytes([byte]) for byte in (0xC0, 0xC1, *range(0xF5, 0x100))])


@st.composite
def damaged_utf8(draw) -> bytes:
    """News-like UTF-8 with a few bytes that are never UTF-8 between its characters."""
    text = draw(document_text)
    count = draw(st.integers(1, max(1, len(text.encode("utf-8")) // 1000)))
    positions = sorted(draw(st.lists(st.integers(0, len(text)), min_size=count, max_size=count)))
    pieces = [text[start:end].encode("utf-8") for start, end in zip([0, *positions], [*positions, len(text)])]
    return pieces[0] + b"".join(draw(_never_utf8) + piece for piece in pieces[1:])
arbitrary_bytes = st.binary(max_size=4000)
# Any str a library user can pass: control characters, odd line breaks, lone surrogates.
arbitrary_text = st.text(max_size=2000)

# Model texts as cleaner makes them: one line, no control characters (CommonMark itself turns
# NUL into U+FFFD, so such text could not read back).
_field = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=60).map(lambda text: " ".join(text.split()))
_nonempty = _field.filter(bool)
_span = LineSpan(1, 1)
_block = st.one_of(
    st.builds(lambda text: Paragraph(text=text, lines=_span), _nonempty),
    st.builds(lambda text, level: Heading(text=text, lines=_span, level=level), _nonempty, st.integers(1, 6)),
    st.builds(lambda text: Quote(text=text, lines=_span), _nonempty),
    st.builds(lambda text, ordered: ListItem(text=text, lines=_span, ordered=ordered), _nonempty, st.booleans()),
)


@st.composite
def articles(draw) -> Article:
    body = draw(st.lists(_block, max_size=8))
    galleries = []
    for number in range(draw(st.integers(0, 2))):
        items = tuple(GalleryItem(index, draw(_nonempty), draw(st.none() | _nonempty), _span) for index in range(1, draw(st.integers(1, 4)) + 1))
        galleries.append(Gallery(draw(st.none() | _nonempty), draw(st.none() | st.integers(1, 30)), items, _span))
        body.insert(draw(st.integers(0, len(body))), GalleryAnchor(gallery=number))
    author = None
    if draw(st.booleans()):
        bio = draw(st.none() | st.lists(_nonempty, min_size=1, max_size=3).map("\n\n".join))
        author = Author(draw(st.none() | _nonempty), bio)
    return Article(title=draw(st.none() | _nonempty), body=tuple(body), galleries=tuple(galleries), author=author)


# -- running -----------------------------------------------------------------------------


def _guarded(check, value) -> None:
    with hang_guard(PER_INPUT_SECONDS, "one input still running"):
        check(value)


def check_article(article: Article) -> None:
    check_renders(article)


def _without_idempotence(data: bytes | str) -> None:
    check_document(data, idempotence=False)  # the "idempotence" target checks that alone


@dataclass
class Target:
    name: str
    strategy: st.SearchStrategy
    check: object
    examples: int = 0
    spent: float = 0.0
    failure: object = field(default=None)


def targets() -> dict[str, Target]:
    return {
        "document": Target("document", document_text | document_bytes, _without_idempotence),
        "idempotence": Target("idempotence", document_text, check_idempotence),
        "fidelity": Target("fidelity", damaged_utf8(), check_fidelity),
        "bytes": Target("bytes", arbitrary_bytes, check_document),
        "unicode": Target("unicode", arbitrary_text, check_document),
        "model": Target("model", articles(), check_article),
    }


def run_target(target: Target, budget: float, *, seed_value: int | None = None) -> bool:
    """Fuzz one target for ``budget`` seconds; True when a failing input was found (and
    ``target.failure`` holds the minimal one)."""
    deadline = time.monotonic() + budget
    # Shrinking a failure may take longer than the budget; past this, the smallest failing
    # input so far is kept: every further candidate "passes" at once, so shrinking ends.
    hard_deadline = deadline + max(10.0, budget)
    runs = 0
    while time.monotonic() < deadline:
        last: list = []

        @settings(
            max_examples=BATCH,
            deadline=None,
            database=None,
            derandomize=False,
            phases=(Phase.generate, Phase.shrink),
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        @given(target.strategy)
        def fuzz(value):
            if last and time.monotonic() > hard_deadline:
                return
            target.examples += 1
            try:
                _guarded(target.check, value)
            except BaseException:
                last[:] = [value]  # the last failing input hypothesis tries is its minimal one
                raise

        if seed_value is not None:
            fuzz = seed(seed_value + runs)(fuzz)
        runs += 1
        try:
            fuzz()
        except KeyboardInterrupt:
            raise
        except BaseException:
            target.failure = last[0] if last else None
            traceback.print_exc(limit=-3)
            return True
    return False


def save_crash(value, directory: Path = CRASHES) -> Path:
    """Write a failing input as a regression fixture; the name is its content's hash."""
    directory.mkdir(parents=True, exist_ok=True)
    if isinstance(value, Article):
        data, suffix = cleaner.render(value, "json").encode("utf-8"), ".json"
    elif isinstance(value, bytes):
        data, suffix = value, ".bin"
    else:
        data, suffix = value.encode("utf-8"), ".txt"
    path = directory / f"{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    path.write_bytes(data)
    return path


def fuzz(seconds: float, names: list[str], *, crash_dir: Path = CRASHES, seed_value: int | None = None, out=None) -> int:
    """Share ``seconds`` between the named targets; 1 if any failed, else 0."""
    out = out or sys.stderr
    chosen = [targets()[name] for name in names]
    found = 0
    for position, target in enumerate(chosen):
        # What earlier targets left of the budget, shared by the ones still to run.
        budget = max(0.0, (seconds - sum(t.spent for t in chosen[:position])) / (len(chosen) - position))
        started = time.monotonic()
        failed = run_target(target, budget, seed_value=seed_value)
        target.spent = time.monotonic() - started
        if failed:
            found += 1
            if target.failure is not None:
                path = save_crash(target.failure, crash_dir)
                print(f"fuzz: {target.name}: FAILED on {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} (after {target.examples} inputs)", file=out)
            else:
                print(f"fuzz: {target.name}: FAILED (the failing input could not be recorded)", file=out)
        else:
            print(f"fuzz: {target.name}: {target.examples} inputs in {target.spent:.0f} s, no failure", file=out)
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="wall-clock budget shared by the targets (default 60)")
    parser.add_argument("--target", action="append", choices=sorted(targets()), help="fuzz only this target (repeatable; default all)")
    parser.add_argument("--crash-dir", type=Path, default=CRASHES, help="where failing inputs are written")
    parser.add_argument("--seed", type=int, help="make the run reproducible")
    args = parser.parse_args(argv)
    return fuzz(args.seconds, args.target or list(targets()), crash_dir=args.crash_dir, seed_value=args.seed)


if __name__ == "__main__":
    sys.exit(main())
