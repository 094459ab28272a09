"""The configured Cleaner: options checked and packs compiled once, then reused."""

from __future__ import annotations

import gc
import pickle

import pytest
from conftest import SEED
from typer.testing import CliRunner

import cleaner
import cleaner.pipeline
from cleaner import Cleaner, Metadata, UsageError
from cleaner.cli import app

WIRE_STORY = (
    "Officials said on Monday that the bridge would reopen next week after repairs.\n\n"
    "Traffic has been diverted through the town centre since the flood in March.\n\n"
    "Copyright 2016 The Associated Press. All rights reserved.\n"
)


def _body(article) -> str:
    return cleaner.render(article, "txt", body_only=True)


def test_a_shipped_pack_is_named_like_a_file_and_changes_the_result():
    assert "Copyright 2016" in _body(Cleaner().clean(WIRE_STORY))
    assert "Copyright 2016" not in _body(Cleaner(rules=["strict"]).clean(WIRE_STORY))
    assert "Copyright 2016" not in _body(cleaner.clean(WIRE_STORY, rules=["strict"]))


def test_clean_compiles_the_packs_once_per_set_of_options(monkeypatch):
    compiled = []
    original = cleaner.pipeline.compile_packs

    def counting(*args):
        compiled.append(args)
        return original(*args)

    cleaner.pipeline._cached.cache_clear()
    monkeypatch.setattr(cleaner.pipeline, "compile_packs", counting)
    for _ in range(3):
        cleaner.clean(WIRE_STORY, rules=["strict"])
        cleaner.clean(WIRE_STORY)
    assert len(compiled) == 2
    cleaner.pipeline._cached.cache_clear()


def test_an_edited_pack_file_is_read_again(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text('[[pattern]]\nkind = "prompt"\nregex = "traffic has been.*"\n', encoding="utf-8")
    assert "Traffic has been" not in _body(cleaner.clean(WIRE_STORY, rules=[pack]))
    pack.write_text('[[pattern]]\nkind = "prompt"\nregex = "officials said.*"\n', encoding="utf-8")
    body = _body(cleaner.clean(WIRE_STORY, rules=[pack]))
    assert "Traffic has been" in body and "Officials said" not in body


def test_a_cleaner_travels_to_other_processes_as_its_settings():
    strict = Cleaner(rules=["strict"], disable=["author_bio"])
    copy = pickle.loads(pickle.dumps(strict))
    assert copy.settings == strict.settings
    assert copy.clean(SEED.read_bytes()) == strict.clean(SEED.read_bytes())


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"disable": ["no_such_rule"]}, "unknown rule"),
        ({"from_": "pdf"}, "unknown input format 'pdf'"),
        ({"rules": ["no-such-pack.toml"]}, "cannot read rule pack no-such-pack.toml"),
    ],
)
def test_bad_options_are_refused_when_the_cleaner_is_made(options, message):
    with pytest.raises(UsageError, match=message):
        Cleaner(**options)


def test_metadata_given_overrides_what_the_source_says_field_by_field():
    given = Metadata(url="https://example.com/a", published="2016-10-17")
    article = cleaner.clean(WIRE_STORY, metadata=given)
    assert article.metadata.url == "https://example.com/a"
    assert article.metadata.published == "2016-10-17"
    assert article.metadata.language is None


def test_an_update_line_dates_the_change_not_the_publication():
    text = (
        "Council votes on the plan\n\nLast updated: Nov 4, 2025\n\n"
        "The council met on Tuesday and voted on the plan, which residents had opposed for years.\n\n"
        "The mayor said the vote was the start of the work, not the end of it.\n"
    )
    article = cleaner.clean(text)
    assert any(removal.kind.value == "dateline" for removal in article.removed)
    assert (article.metadata.published, article.metadata.modified) == (None, "2025-11-04")
    published = cleaner.clean(text.replace("Last updated:", "Published:"))
    assert (published.metadata.published, published.metadata.modified) == ("2025-11-04", None)


def test_the_source_says_which_reader_read_the_input_and_why():
    assert cleaner.clean(WIRE_STORY).source.format == "text"
    assert cleaner.clean(WIRE_STORY).source.detected_by == "default"
    assert cleaner.clean(WIRE_STORY, path="story.txt").source.detected_by == "suffix"
    assert cleaner.clean(WIRE_STORY, from_="text").source.detected_by == "option"


def test_batch_takes_a_shipped_pack_by_name_like_convert(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "wire.txt").write_text(WIRE_STORY, encoding="utf-8")
    arguments = ["batch", str(corpus), "--out", str(tmp_path / "out"), "--to", "txt", "--rules", "strict", "--jobs", "1"]
    done = CliRunner().invoke(app, arguments)
    assert done.exit_code == 0, done.output
    assert "Copyright 2016" not in (tmp_path / "out" / "wire.txt").read_text(encoding="utf-8")


def test_building_the_model_leaves_the_garbage_collector_as_it_was(seed_bytes):
    """The builder pauses the cyclic collector (the model has no cycles); it must give it
    back on, or leave it off when the caller had turned it off."""
    assert gc.isenabled()
    cleaner.clean(seed_bytes)
    assert gc.isenabled()
    gc.disable()
    try:
        cleaner.clean(seed_bytes)
        assert not gc.isenabled()
    finally:
        gc.enable()
