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


# -- never garble valid text: bad bytes in UTF-8 are replaced, counted, and nothing else changes


def _with_bad_bytes(text: str, positions: list[int], bad: bytes = b"\xff") -> tuple[bytes, str]:
    """``text`` as UTF-8 with ``bad`` inserted before each character position, and the text
    a faithful decoder gives for it (U+FFFD in each place)."""
    data, expected = b"", ""
    last = 0
    for position in sorted(positions):
        data += text[last:position].encode("utf-8") + bad
        expected += text[last:position] + "\ufffd" * len(bad)
        last = position
    return data + text[last:].encode("utf-8"), expected + text[last:]


def test_one_stray_byte_in_utf8_is_replaced_and_counted(seed_bytes):
    # The reproduction: charset-normalizer used to guess mac_iceland for the whole input.
    decoded = decode(seed_bytes + b"\nstray \xff byte\n")
    assert decoded.text == normalise_text(seed_bytes.decode("utf-8") + "\nstray \ufffd byte\n")
    assert (decoded.source.encoding, decoded.source.replaced) == ("utf-8", 1)
    assert "didn’t" in cleaner.render(cleaner.clean(seed_bytes + b"\nstray \xff byte\n"), "txt")


def test_a_file_cut_in_the_middle_of_a_character_keeps_the_rest(seed_bytes):
    cut = seed_bytes.index("’".encode("utf-8")) + 1  # inside the first curly apostrophe
    decoded = decode(seed_bytes[:cut])
    assert decoded.text == normalise_text(seed_bytes[: cut - 1].decode("utf-8") + "\ufffd")
    assert decoded.source.replaced == 1


def test_a_footer_in_another_encoding_leaves_the_utf8_article_intact(seed_bytes):
    footer = "\n\nPublié à Genève, © Éditions Exemple. Réservé.\n".encode("latin-1")
    decoded = decode(seed_bytes + footer)
    assert decoded.source.encoding == "utf-8" and decoded.source.replaced == 7
    assert decoded.text.startswith(normalise_text(seed_bytes.decode("utf-8")))
    assert decoded.text.endswith("Publi\ufffd \ufffd Gen\ufffdve, \ufffd \ufffdditions Exemple. R\ufffdserv\ufffd.")


def test_a_surrogate_encoded_in_the_bytes_is_one_replacement_character():
    # ED A0 80 is U+D800 written by a careless encoder: one U+FFFD, as in a str or JSON.
    decoded = decode(b"Hello \xed\xa0\x80 world, the army said.\n")
    assert (decoded.text, decoded.source.replaced) == ("Hello \ufffd world, the army said.", 1)
    assert decode("Hello \ud800 world\udfff.").source.replaced == 2


def test_a_replacement_character_in_the_input_is_not_counted():
    decoded = decode("Caf\ufffd au lait, \ufffd.\n".encode("utf-8") + b"\xff")
    assert decoded.source.replaced == 1 and decoded.text == "Caf\ufffd au lait, \ufffd.\n\ufffd".strip()


def test_utf8_that_fails_broadly_is_guessed_and_a_guess_on_too_little_is_an_error():
    # Legacy text: an accented letter in every word or two (see also the cp1252 test above).
    legacy = "Überall grüßen Bäcker, Köche und Türsteher früh; später öffnen Läden.".encode("cp1252")
    assert decode(legacy).text == legacy.decode("cp1252")
    # Three bad bytes in a short ASCII text: cp1250, cp1252, mac_iceland… all "fit".
    with pytest.raises(cleaner.DecodeError, match="too little non-ASCII text to tell its encoding"):
        decode(b"The army \xa4said it \xb5would go \xbbon.")


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("utf-32-le", "utf-32-le"), ("utf-32-be", "utf-32-be")])
def test_utf16_and_utf32_without_a_byte_order_mark_are_detected(codec, name):
    text = "The army said on Monday that the offensive would go on — for weeks.\n\nCafé.\n"
    decoded = decode(text.encode(codec))
    assert (decoded.text, decoded.source.encoding, decoded.source.bom) == (normalise_text(text), name, False)


def test_broken_utf16_without_a_byte_order_mark_is_named_not_called_binary():
    data = "The army said on Monday that it would go on.".encode("utf-16-le")[:-1]  # odd length
    with pytest.raises(cleaner.DecodeError, match="looks like UTF-16 without a byte-order mark"):
        decode(data)


def test_one_bad_byte_in_each_benchmark_article_garbles_nothing_else():
    # The issue measured 76 of these 80 articles garbled by one bad byte each.
    import json

    from conftest import require_bench

    truth = json.loads((require_bench() / "ground-truth.json").read_text(encoding="utf-8"))
    texts = [text for text in (record.get("articleBody") or "" for record in truth.values()) if text and not text.isascii()]
    assert len(texts) >= 50
    for text in texts:
        middle = text.index(" ", len(text) // 2)
        data, expected = _with_bad_bytes(text, [middle])
        decoded = decode(data)
        assert decoded.text == normalise_text(expected)
        assert decoded.source.replaced == 1


#: Bytes that never start a valid UTF-8 sequence: each alone is one bad sequence.
_NEVER_UTF8 = st.sampled_from([bytes([b]) for b in [*range(0x80, 0xC2), *range(0xF5, 0x100)]])


@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300), st.data())
def test_valid_utf8_with_a_few_bad_bytes_keeps_everything_else(text, data):
    encoded = text.encode("utf-8")
    allowed = max(1, len(encoded) // 1000)  # the share of bad bytes always read as UTF-8
    positions = data.draw(st.lists(st.integers(0, len(text)), min_size=1, max_size=allowed))
    bad = data.draw(_NEVER_UTF8)
    try:
        original = decode(encoded)
    except cleaner.DecodeError:
        return  # binary-looking text (control characters) stays refused, bad bytes or not
    injected, expected = _with_bad_bytes(text, positions, bad)
    if original.source.encoding != "utf-8":
        return  # NUL-laden text read as UTF-16: another test's business
    decoded = decode(injected)
    assert decoded.text == normalise_text(expected)
    assert (decoded.source.encoding, decoded.source.replaced) == ("utf-8", len(positions))
