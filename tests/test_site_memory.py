"""The site memory: ``cleaner learn`` finds the lines a site repeats on its pages, and the
``site_template`` rule removes them (``--memory``) where they are furniture, never the
article."""

from __future__ import annotations

import json
import pickle

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, Learner, Metadata, SiteMemory
from cleaner.cli import app
from cleaner.errors import UsageError
from cleaner.sites import site_of

NAV = ["Home", "World", "Sport", "Business", "Culture"]
FOOTER = ["About us", "Contact the newsroom", "Careers at Example News", "© Example News Ltd"]


def page(number: int, *, inside: str = "Key takeaways") -> str:
    """A page of a news site: its menu, a story of its own, a section heading every story
    of the site has, and its footer."""
    story = [
        f"Story number {number} tells what happened in the town of Exampleton {number} on Tuesday, and why it matters.",
        inside,
        f"The council met on day {number} and voted on the plan, which residents had opposed for years, by a narrow margin.",
        f"In the end the mayor of town {number} said the vote was the start of the work, not the end of it.",
    ]
    return "\n\n".join(["\n".join(NAV), *story, "\n".join(FOOTER)]) + "\n"


def learned(pages: list[str], url: str = "https://www.example.com/{}") -> SiteMemory:
    learner = Learner()
    reader = Cleaner()
    for number, text in enumerate(pages):
        learner.add(reader.read(text).lines.texts, url=url.format(number))
    return learner.memory()


def body(article) -> str:
    return "\n".join(getattr(block, "text", "") for block in article.body)


def test_learns_the_lines_in_many_documents_of_a_site():
    memory = learned([page(number) for number in range(5)])
    site = memory.sites["example.com"]
    assert site.documents == 5
    assert site.documents_with("home") == 5  # case and spacing do not matter
    assert site.documents_with("  ©   Example News Ltd ") == 5
    assert site.documents_with("Key takeaways") == 5
    assert not any("story number" in line for line in site.lines)  # each story's own lines are not template


def test_a_line_needs_enough_documents_and_a_share_of_them():
    learner = Learner(min_documents=3, min_share=0.5)
    for number in range(10):
        lines = [f"Unique line {number}", "In every document"] + (["In three documents"] if number < 3 else [])
        lines += ["In every document"]  # repeated inside one document: counted once
        learner.add(lines, url=f"https://example.com/{number}")
    lines = learner.memory().sites["example.com"].lines
    assert lines == {"in every document": 10}  # three of ten is under half


def test_sites_are_told_apart_by_host_then_site_field():
    assert site_of("https://www.Example.com/a?b=1") == "example.com"
    assert site_of(None, "Example News") == "example news"
    assert site_of("not a url", None) == ""
    learner = Learner(min_documents=2)
    for number in range(2):
        learner.add(["Shared line"], url=f"https://a.example/{number}")
        learner.add(["Shared line"], url=f"https://b.example/{number}")
    assert set(learner.memory().sites) == {"a.example", "b.example"}
    assert learned([page(0), page(1), page(2)], url="").sites[""].documents == 3  # no address: one group


def test_counting_in_bounded_memory_never_invents_a_count():
    learner = Learner(min_documents=2, max_lines=8)
    for number in range(20):
        learner.add([f"only here {number}a", f"only here {number}b", "everywhere"], url="https://example.com/")
    memory = learner.memory()
    assert learner.forgotten > 0
    assert memory.forgotten == learner.forgotten
    count = memory.sites["example.com"].lines["everywhere"]
    assert 2 <= count <= 20
    assert not any(line.startswith("only here") for line in memory.sites["example.com"].lines)


def test_the_memory_file_round_trips_and_a_damaged_one_is_refused():
    memory = learned([page(number) for number in range(4)])
    again = SiteMemory.from_json(memory.to_json())
    assert dict(again.sites["example.com"].lines) == dict(memory.sites["example.com"].lines)
    for text, message in [("{", "not JSON"), ("[]", "not a site memory"), (json.dumps({"format": "cleaner site memory", "version": 99}), "version"), (json.dumps({"format": "cleaner site memory", "version": 1, "sites": {"x": {}}}), "damaged")]:
        with pytest.raises(UsageError, match=message):
            SiteMemory.from_json(text)


def test_the_menu_and_footer_go_and_the_article_stays():
    pages = [page(number) for number in range(5)]
    cleaner = Cleaner(memory=learned(pages))
    article = cleaner.clean(pages[0], metadata=Metadata(url="https://www.example.com/0"))
    text = body(article)
    assert "Story number 0" in text and "mayor of town 0" in text
    assert "Key takeaways" in text  # a section heading every story shares, alone inside the text: kept
    for line in NAV[1:] + FOOTER[1:]:
        assert line not in text
    reasons = [removal.reason for removal in article.removed if removal.rule == "site_template"]
    assert reasons and all("in 5 of 5 documents of example.com" in reason for reason in reasons)
    # The same page with no memory, or from another site, keeps what the memory would take.
    for other in (Cleaner().clean(pages[0]), cleaner.clean(pages[0], metadata=Metadata(url="https://elsewhere.example/0"))):
        assert not any(removal.rule == "site_template" for removal in other.removed)


def test_repeated_prose_inside_the_article_is_never_template():
    standard = "The council publishes its minutes every week, and residents may read them at the town hall or online."
    pages = [page(number, inside=standard) for number in range(5)]
    article = Cleaner(memory=learned(pages)).clean(pages[2], metadata=Metadata(url="https://example.com/2"))
    assert standard in body(article)


def test_a_copy_of_another_document_is_left_whole():
    pages = [page(7)] * 4  # the same article scraped four times
    article = Cleaner(memory=learned(pages)).clean(pages[0], metadata=Metadata(url="https://example.com/0"))
    assert not any(removal.rule == "site_template" for removal in article.removed)
    assert any("copy of another" in note for note in article.notes)


def test_a_cleaner_with_a_memory_travels_to_workers():
    pages = [page(number) for number in range(4)]
    cleaner = Cleaner(memory=learned(pages))
    copy = pickle.loads(pickle.dumps(cleaner))
    metadata = Metadata(url="https://example.com/1")
    assert body(copy.clean(pages[1], metadata=metadata)) == body(cleaner.clean(pages[1], metadata=metadata))


def test_learn_then_convert_and_batch_from_the_command_line(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(4):
        (corpus / f"{number}.txt").write_text(page(number), encoding="utf-8")
    records = tmp_path / "dump.jsonl"
    records.write_text("".join(json.dumps({"id": str(n), "url": f"https://news.example/{n}", "text": page(n)}) + "\n" for n in range(3)), encoding="utf-8")
    memory = tmp_path / "sites.json"
    runner = CliRunner()
    result = runner.invoke(app, ["learn", str(corpus), str(records), "-o", str(memory)])
    assert result.exit_code == 0, result.output
    assert "7 document(s) of 2 site(s)" in result.output
    data = json.loads(memory.read_text(encoding="utf-8"))
    assert set(data["sites"]) == {"", "news.example"}  # text files have no address; the records do
    result = runner.invoke(app, ["convert", str(corpus / "0.txt"), "--memory", str(memory), "--to", "txt", "--body-only"])
    assert result.exit_code == 0, result.output
    assert "Careers at Example News" not in result.output and "Story number 0" in result.output
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(records), "--out", str(out), "--to", "txt", "--memory", str(memory), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    cleaned = [json.loads(line) for line in (out / "dump.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all("Careers at Example News" not in record["text"] and "Story number" in record["text"] for record in cleaned)
    # Resuming with another memory (or none) would mix outputs cleaned two ways: refused.
    result = runner.invoke(app, ["batch", str(records), "--out", str(out), "--to", "txt", "--jobs", "1", "--resume"])
    assert result.exit_code == 2 and "memory" in result.output


def test_learn_refuses_to_write_over_an_input_and_a_bad_memory_is_one_line(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(page(0), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["learn", str(source), "-o", str(source)])
    assert result.exit_code == 6 and source.read_text(encoding="utf-8") == page(0)
    # ...nor over a file inside an input directory, one the walk would read
    result = runner.invoke(app, ["learn", str(tmp_path), "-o", str(source)])
    assert result.exit_code == 6 and "refusing" in result.output and source.read_text(encoding="utf-8") == page(0)
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["convert", str(source), "--memory", str(bad)])
    assert result.exit_code == 2
    assert "not a site memory" in result.output and "Traceback" not in result.output


def test_a_record_that_cannot_be_read_is_left_out_and_reported(tmp_path):
    dump = tmp_path / "dump.jsonl"
    good = [json.dumps({"url": f"https://news.example/{n}", "text": page(n)}) for n in range(3)]
    dump.write_text("\n".join([good[0], "not json", json.dumps({"body": "no text field"}), *good[1:]]) + "\n", encoding="utf-8")
    memory = tmp_path / "sites.json"
    result = CliRunner().invoke(app, ["learn", str(dump), "-o", str(memory)])
    assert result.exit_code == 1
    assert f"{dump}:2: not a JSON record" in result.output and f"{dump}:3: no field 'text'" in result.output
    assert "learned from 3 document(s)" in result.output
    assert json.loads(memory.read_text(encoding="utf-8"))["sites"]["news.example"]["documents"] == 3


def test_the_memory_is_the_same_whatever_the_number_of_workers(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(6):
        (corpus / f"{number}.txt").write_text(page(number), encoding="utf-8")
    (tmp_path / "dump.jsonl").write_text("".join(json.dumps({"url": f"https://news.example/{n}", "text": page(n)}) + "\n" for n in range(5)), encoding="utf-8")
    written = []
    for jobs in ("1", "2"):
        memory = tmp_path / f"sites-{jobs}.json"
        result = CliRunner().invoke(app, ["learn", str(corpus), str(tmp_path / "dump.jsonl"), "-o", str(memory), "--jobs", jobs])
        assert result.exit_code == 0, result.output
        written.append(memory.read_bytes())
    assert written[0] == written[1]
    assert json.loads(written[0])["sites"]["news.example"]["documents"] == 5


def test_the_command_line_defaults_are_the_learners():
    from cleaner import cli_learn, sites

    assert (cli_learn.DEFAULT_MIN_DOCUMENTS, cli_learn.DEFAULT_MIN_SHARE) == (sites.DEFAULT_MIN_DOCUMENTS, sites.DEFAULT_MIN_SHARE)
    assert tuple(grouping.value for grouping in cli_learn.Grouping) == sites.GROUPINGS


def test_a_tree_laid_out_a_site_to_a_directory_can_be_grouped_by_directory(tmp_path):
    corpus = tmp_path / "corpus"
    for site in ("a.example", "b.example"):
        (corpus / site).mkdir(parents=True)
        for number in range(3):
            (corpus / site / f"{number}.txt").write_text(page(number).replace("Careers at Example News", f"Careers at {site}"), encoding="utf-8")
    memory = tmp_path / "sites.json"
    runner = CliRunner()
    result = runner.invoke(app, ["learn", str(corpus), "-o", str(memory), "--group-by", "directory", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    data = json.loads(memory.read_text(encoding="utf-8"))
    assert data["grouped_by"] == "directory" and set(data["sites"]) == {"a.example", "b.example"}
    assert "careers at b.example" not in data["sites"]["a.example"]["lines"]
    result = runner.invoke(app, ["convert", str(corpus / "a.example" / "1.txt"), "--memory", str(memory), "--to", "txt", "--body-only"])
    assert result.exit_code == 0 and "Careers at a.example" not in result.output and "Story number 1" in result.output
    elsewhere = tmp_path / "c.example"
    elsewhere.mkdir()
    (elsewhere / "1.txt").write_text((corpus / "a.example" / "1.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["convert", str(elsewhere / "1.txt"), "--memory", str(memory), "--to", "txt", "--body-only"])
    assert result.exit_code == 0 and "Careers at a.example" in result.output  # another directory: another site, no memory of it
