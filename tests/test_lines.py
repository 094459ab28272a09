"""Hard-wrapped text is joined back into paragraphs; other text keeps its lines."""

from __future__ import annotations

import textwrap

from conftest import SEED

import cleaner
from cleaner.decode import normalise_text
from cleaner.lines import split_lines, wrap_width

PARAGRAPHS = [
    "The Europa Clipper mission will carry a suite of cameras, spectrometers and a radar to investigate the thickness of the moon's icy shell during 45 flybys, and perhaps yield further insights into the water vapour above its surface.",
    "Scientists have long suspected that an ocean of liquid water lies beneath the ice, kept warm by the tidal flexing of the moon as it orbits Jupiter, and that it may hold the ingredients for life.",
    "The spacecraft is due to launch in 2024 and to reach Jupiter six years later, after gravity assists from Mars and Earth.",
    "Engineers at the Jet Propulsion Laboratory in California are now testing the instruments in a chamber that mimics the radiation around Jupiter, which is strong enough to ruin unprotected electronics within hours.",
]


def test_wrapped_paragraphs_are_joined_with_their_line_spans():
    wrapped = "\n\n".join(textwrap.fill(paragraph, 78) for paragraph in PARAGRAPHS)
    article = cleaner.clean(wrapped)
    assert [block.text for block in article.paragraphs()] == PARAGRAPHS
    first = article.paragraphs()[0]
    assert first.lines.first == 1 and first.lines.last == len(textwrap.wrap(PARAGRAPHS[0], 78))
    assert sorted(article.line_owners()) == list(range(1, article.source.lines + 1))


def test_list_items_and_headings_are_not_joined_to_wrapped_text():
    wrapped = textwrap.fill(PARAGRAPHS[0], 78) + "\n  * first item of a list\n# A heading\n" + "\n".join(textwrap.fill(p, 78) for p in PARAGRAPHS[1:])
    lines = split_lines(normalise_text(wrapped))
    entries = [(text, markup.kind if markup else None) for text, markup in zip(lines.texts, lines.markup) if text]
    assert ("first item of a list", "bullet") in entries and ("A heading", "heading") in entries


def test_a_heading_a_converter_wrapped_with_its_marker_again_is_one_heading():
    heading = "Tuesday's college football: Eastern Michigan routs Northern Illinois to become bowl eligible"
    wrapped = "# " + "\n# ".join(textwrap.wrap(heading, 76)) + "\n\n" + "\n\n".join(textwrap.fill(p, 78) for p in PARAGRAPHS) + "\n\n# Another heading\n# And the next one\n"
    lines = split_lines(normalise_text(wrapped))
    headings = [(text, span) for text, markup, span in zip(lines.texts, lines.markup, lines.spans) if markup and markup.kind == "heading"]
    # the full first line continues on the next; two short headings in a row stay two
    assert headings[0] == (heading, (1, 2))
    assert [text for text, _ in headings[1:]] == ["Another heading", "And the next one"]
    assert cleaner.clean(wrapped).title == heading


def test_unwrapped_text_is_left_alone():
    assert wrap_width(SEED.read_text(encoding="utf-8").split("\n")) is None
    short_lines = "\n".join(f"Line number {n} of a list that happens to be of similar length, more or less." for n in range(8))
    assert split_lines(short_lines).texts == short_lines.split("\n")
