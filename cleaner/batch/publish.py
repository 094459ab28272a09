"""The outputs made of the whole batch, built once every record is done: the site
(``--site``: index pages, Atom feed, and the pages of JSONL records) and the book
(``--book FILE.epub``). Both stream ``DIR/.collected.jsonl``; a record listed twice (a
kill between its line there and its manifest line, then ``--resume``) counts once."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from ..errors import OutputError
from ..io import write_atomic
from ..render.epub import BookWriter, Chapter
from ..render.site import FEED_NAME, SiteEntry, newest_first, render_feed, render_index, reserved
from .collect import COLLECTED_NAME
from .job import BatchJob

DEFAULT_SITE_TITLE = "Articles"


def publish(job: BatchJob) -> list[str]:
    """Build the site and the book; returns a line on each for the summary."""
    path = job.out / COLLECTED_NAME
    done: list[str] = []
    if job.site:
        done.append(build_site(job, path))
    if job.book is not None:
        done.append(build_book(job, path))
    return done


def records(path: Path) -> Iterator[dict]:
    """Each record's collected data, in input order, once (its last line wins)."""
    last: dict[tuple, int] = {}
    with open(path, "rb") as stream:
        for number, line in enumerate(stream):
            last[_key(line)] = number
    with open(path, "rb") as stream:
        for number, line in enumerate(stream):
            data = json.loads(line)
            if last.get((data["input"], data["line"])) == number:
                yield data


def _key(line: bytes) -> tuple:
    data = json.loads(line)
    return (data["input"], data["line"])


def build_site(job: BatchJob, path: Path) -> str:
    entries: list[SiteEntry] = []
    pages_to_write = 0
    for data in records(path):
        if reserved(data["page"]):
            raise OutputError(f"cannot build the site: the page of {data['id']} would be {job.out / data['page']}, one of the site's own files; rename that input")
        entries.append(SiteEntry(page=data["page"], **data["entry"]))
        pages_to_write += "html" in data
    if pages_to_write:
        # Records of JSONL dumps: their pages are written now (files' pages are their outputs).
        for data in records(path):
            if "html" in data:
                write_atomic(job.out / data["page"], data["html"])
    title = job.collection_title or DEFAULT_SITE_TITLE
    ordered = newest_first(entries)
    index_pages = render_index(ordered, title=title, options=job.render)
    for name, html in index_pages:
        write_atomic(job.out / name, html)
    write_atomic(job.out / FEED_NAME, render_feed(ordered, title=title, updated=_now(), options=job.render))
    return f"site: {job.out / 'index.html'} ({len(entries)} articles, {len(index_pages)} index page{'s' if len(index_pages) != 1 else ''}, {FEED_NAME})"


def build_book(job: BatchJob, path: Path) -> str:
    book_path = job.book
    title = job.collection_title or book_path.stem
    directory = book_path.parent if str(book_path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{book_path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise OutputError(f"cannot write {book_path}: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            book = BookWriter(stream, title=title, template_dir=job.render.template_dir, stylesheet=job.render.stylesheet)
            for data in records(path):
                chapter = data["chapter"]
                book.add(Chapter(chapter["title"], chapter["language"], chapter["xhtml"]))
            book.finish(contents_page=True)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, book_path)
    except OSError as error:
        raise OutputError(f"cannot write {book_path}: {error.strerror or error}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    count = len(book.chapters)
    return f"book: {book_path} ({count} chapter{'s' if count != 1 else ''})"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch) if epoch.isdigit() else time.time(), timezone.utc)
