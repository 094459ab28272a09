"""Acceptance on the seed and on variants of it: the model, and what the outputs contain."""

from __future__ import annotations

import json
import re

import pytest
from seed_variants import PARAGRAPHS, variants

import cleaner
from cleaner import GalleryAnchor

VARIANTS = variants()


def test_seed_parts_are_what_the_brief_describes():
    assert len(PARAGRAPHS) == 12  # the variant builder must start from the right parts


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_model(variant):
    article = cleaner.clean(variant.data)
    expected = variant.expected
    assert article.title is None
    assert [block.text for block in article.paragraphs()] == expected.paragraphs
    if expected.anchor_after is None:
        assert article.galleries == ()
    else:
        (gallery,) = article.galleries
        anchors = [position for position, block in enumerate(article.body) if isinstance(block, GalleryAnchor)]
        assert anchors == [expected.anchor_after]
        assert gallery.title == expected.gallery_title
        assert gallery.declared_count == expected.declared
        assert [(item.index, item.caption, item.credit) for item in gallery.items] == expected.captions
    assert [media.label for media in article.media] == expected.media
    assert all(media.type is cleaner.MediaType.VIDEO for media in article.media if "video" in media.label.lower())
    if expected.author is None:
        assert article.author is None
    else:
        assert article.author.name == expected.author
        assert article.author.bio == expected.bio
    article.line_owners()  # raises when a line is claimed twice


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_outputs_hold_no_debris(variant, fmt):
    article = cleaner.clean(variant.data)
    output = cleaner.render(article, fmt)
    assert "show all" not in output
    assert not re.search(r"\b\d+/\d+\b", output), "no 'k/N' gallery counters"
    assert "\n\n\n" not in output, "no runs of blank lines"
    for label in variant.expected.media:
        assert label not in output
    if fmt == "txt":
        for paragraph in variant.expected.paragraphs:
            assert f"\n{paragraph}\n" in f"\n{output}"


def test_seed_json_acceptance(seed_bytes):
    data = json.loads(cleaner.render(cleaner.clean(seed_bytes), "json"))
    assert set(data) >= {"title", "body", "galleries", "media", "author", "removed"}
    assert data["title"] is None
    types = [block["type"] for block in data["body"]]
    assert types == ["paragraph"] * 10 + ["gallery"] + ["paragraph"] * 2
    assert data["body"][10]["gallery"] == 0
    gallery = data["galleries"][0]
    assert (gallery["title"], gallery["declared_count"], len(gallery["items"])) == ("Mosul offensive", 22, 22)
    assert gallery["items"][9]["credit"] is None and gallery["items"][9]["index"] == 10
    assert gallery["items"][0]["credit"] == "Getty"
    assert data["media"] == [{"type": "video", "label": "Isis video purports to show fighting in Mosul", "position": 6, "lines": [13, 13], "caption": None, "credit": None, "url": None}]
    assert data["author"]["name"] == "Maya Mailer"
    kinds = {entry["kind"] for entry in data["removed"]}
    assert kinds == {"blank", "gallery_title", "gallery_header"}
    for entry in data["removed"]:
        assert set(entry) >= {"kind", "rule", "lines", "text"}
