from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cleaner
from cleaner.decode import decode, normalise_text


@pytest.mark.parametrize(
    ("data", "encoding", "bom", "endings"),
    [
        (b"One.\n\nTwo.\n", "utf-8", False, "lf"),
        (b"\xef\xbb\xbfOne.\r\n\r\nTwo.\r\n", "utf-8", True, "crlf"),
        (b"One.\r\rTwo.\r", "utf-8", False, "cr"),
        ("One.\n\nTwo.\n".encode("utf-16"), "utf-16", True, "lf"),
    ],
)
def test_encodings_and_line_endings_give_the_same_text(data, encoding, bom, endings):
    decoded = decode(data)
    assert decoded.text == "One.\n\nTwo."
    assert (decoded.source.encoding, decoded.source.bom, decoded.source.line_endings) == (encoding, bom, endings)


def test_whitespace_is_normalised_and_nothing_else():
    decoded = decode("  Caf\u00e9\u00a0au\u2009lait   costs \t £3.  \n".encode())
    assert decoded.text == "Café au lait costs £3."


def test_legacy_single_byte_encoding_is_detected():
    text = "Le café coûte trois euros, dit-il. « C’est cher », répond-elle à l’été."
    decoded = decode(text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.source.encoding not in ("utf-8", "utf_8")


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary\x00\xff" * 50, bytes(range(256)) * 4])
def test_binary_input_is_refused_with_a_clear_error(data):
    with pytest.raises(cleaner.DecodeError, match="binary"):
        cleaner.clean(data)


def test_size_limit():
    with pytest.raises(cleaner.InputTooLargeError, match="--max-bytes"):
        cleaner.clean(b"x" * 101, max_bytes=100)


def test_empty_input_is_an_empty_article():
    article = cleaner.clean(b"")
    assert article.body == () and article.removed == () and article.galleries == ()


def test_mojibake_repair_is_opt_in():
    broken = "It didnâ€™t just come from nowhere."
    assert cleaner.clean(broken).paragraphs()[0].text == broken
    repaired = cleaner.clean(broken, fix_mojibake=True)
    assert repaired.paragraphs()[0].text == "It didn’t just come from nowhere."
    assert repaired.source.repaired_mojibake


def test_lone_surrogates_in_text_become_replacement_characters():
    # A str from JSON ("\ud800") can hold them; no UTF-8 output (JSON, files) could.
    article = cleaner.clean("Hello \ud800 world, the army said.\n")
    assert article.paragraphs()[0].text == "Hello \ufffd world, the army said."
    for fmt in ("md", "html", "txt", "json"):
        cleaner.render(article, fmt).encode("utf-8")


_SPACES_AND_BREAKS = st.sampled_from(list("ab .\u00e9e\u0301 \t\n\r\x0b\x0c\x85\u2028\u00a0\u2003\x00\x1b\x7f"))


@given(st.text(alphabet=_SPACES_AND_BREAKS, max_size=40), st.integers(min_value=0, max_value=40))
def test_plain_and_unusual_text_are_normalised_alike(text, position):
    # A zero-width space sends the text down the path for unusual characters, and is
    # itself removed: the result must be what the plain path gives.
    position = min(position, len(text))
    assert normalise_text(text[:position] + "\u200b" + text[position:]) == normalise_text(text)


def test_vertical_tab_and_next_line_break_lines():
    assert normalise_text("one\x0btwo\x85three\u2028four\r\nfive\rsix") == "one\ntwo\nthree\nfour\nfive\nsix"
