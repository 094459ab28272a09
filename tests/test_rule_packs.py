"""How a rule pack's patterns are chosen for a line: pack order, length limits, places."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cleaner

PROSE = "Officials said the talks would resume next month in Geneva, after a week of delays."

PACK = '''
[pack]
name = "site"
description = "overlapping patterns"

[[pattern]]
kind = "prompt"
regex = \'\'\'watch (?:this|the)\\b.*\'\'\'
reason = "short watch prompt"
max_words = 4

[[pattern]]
kind = "prompt"
regex = \'\'\'watch\\b.*\'\'\'
reason = "any watch prompt"
max_words = 12

[[pattern]]
kind = "prompt"
regex = \'\'\'.*\\bcontinues after the break\\b.*\'\'\'
reason = "break notice"
requires = ["the break"]
max_words = 12
'''


@pytest.fixture
def pack(tmp_path) -> Path:
    path = tmp_path / "site.toml"
    path.write_text(PACK, encoding="utf-8")
    return path


def _clean(pack: Path, *lines: str) -> cleaner.Article:
    return cleaner.clean("\n\n".join([PROSE, *lines, PROSE]), rules=[pack])


def _reasons(pack: Path, *lines: str) -> dict[str, str]:
    return {removal.text: removal.reason for removal in _clean(pack, *lines).removed if removal.kind.value == "prompt"}


def test_first_pattern_in_pack_order_wins_within_its_length_limit(pack):
    reasons = _reasons(pack, "Watch this video", "Watch this clip of the debate today")
    assert reasons["Watch this video"].startswith("short watch prompt")
    # Seven words: over the first pattern's limit, so the next pattern that fits takes it.
    assert reasons["Watch this clip of the debate today"].startswith("any watch prompt")


def test_a_line_over_every_limit_is_body(pack):
    long_line = "Watch this space, the minister said, because the talks continues after the break in the coming weeks."
    article = _clean(pack, long_line)
    assert long_line in [block.text for block in article.body]


def test_patterns_that_look_anywhere_need_their_words(pack):
    assert _reasons(pack, "The story continues after the break")["The story continues after the break"].startswith("break notice")
    assert _reasons(pack, "The story continues after a break") == {}


# Lines some sites' articles keep as text (docs/quality.md): the default packs leave them,
# the opt-in strict pack takes them out.
@pytest.mark.parametrize("line", ["Story continues below gallery", "Continue reading below"])
def test_widget_prompts_only_with_the_strict_pack(line):
    text = f"{PROSE}\n\n{line}\n\n{PROSE}\n"
    kept = [block.text for block in cleaner.clean(text).body]
    assert line in kept
    strict = [block.text for block in cleaner.clean(text, rules=["strict"]).body]
    assert line not in strict


_WORDS = st.text(alphabet="abcé ", min_size=1, max_size=6)


@given(words=st.sets(_WORDS, min_size=1, max_size=12), text=st.text(alphabet="abcé .", max_size=40))
def test_the_required_words_are_found_exactly_where_any_one_of_them_stands(words, text):
    # The words a triggered pattern requires are searched as one trie-shaped regex; it
    # must find a line exactly when a plain alternation of the words (or `in`) would.
    from cleaner.rules.debris import _any_of

    assert (re.search(_any_of(words), text) is not None) == any(word in text for word in words)


def test_a_long_required_phrase_is_found_too():
    from cleaner.rules.debris import _any_of

    phrase = "please read our long and careful statement on " * 4
    assert re.search(_any_of({phrase, "tip"}), "x " + phrase + " y")
    assert re.search(_any_of({phrase, "tip"}), "a tip") and not re.search(_any_of({phrase, "tip"}), "a top")
