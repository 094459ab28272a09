"""Cheap, explainable measurements of one line of text, shared by the rules."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")
# Closing punctuation, possibly followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$|[\"”’»]$")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_count(text: str) -> int:
    # Splitting on spaces is close enough for length tests and far cheaper than a regex.
    return len(text.split())


def ends_sentence(text: str) -> bool:
    """True when the line ends like prose: a full stop, question or exclamation mark…"""
    return _SENTENCE_END.search(text[-8:]) is not None


def stopword_ratio(text: str, stopwords: frozenset[str]) -> float:
    tokens = words(text.lower())
    if not tokens:
        return 0.0
    return sum(token in stopwords for token in tokens) / len(tokens)


def capitalised_ratio(text: str) -> float:
    """Share of words starting with a capital: high for menus, names and headlines."""
    tokens = [token for token in words(text) if not token.isdigit()]
    if not tokens:
        return 0.0
    return sum(token[0].isupper() for token in tokens) / len(tokens)
