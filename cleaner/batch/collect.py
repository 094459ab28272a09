"""What a record contributes to the outputs made of the whole batch: the site's index and
feed (``--site``), the book (``--book``).

Workers make each record's contribution (its index entry, its page when it comes from a
JSONL dump, its EPUB chapter) in parallel with the rest of its work; the parent appends
them to ``DIR/.collected.jsonl`` in input order, just before the record's manifest line,
so that an interrupted run resumes with what it had. When the run ends, ``publish``
reads the file back to build the index, the feed and the book, streaming.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path, PurePosixPath

from ..io import write_error
from ..model import Article
from ..render import Format, render_with
from ..render.context import display_title, language, published, source_link, summary
from .job import BatchJob
from .manifest import _drop_unfinished_line as drop_unfinished_line
from .outputs import output_path
from .sources import JSONL_SUFFIXES, FileRecord, LineRecord

COLLECTED_NAME = ".collected.jsonl"
_SLUG = re.compile(r"[^a-z0-9]+")


def page_path(job: BatchJob, record: FileRecord | LineRecord, article: Article) -> str:
    """Where a record's page is, relative to ``--out`` (POSIX): a file's HTML output, or
    for a record of a dump ``DUMP/LINE-slug.html`` (line numbers keep them apart)."""
    if isinstance(record, FileRecord):
        return output_path(job.out, record.rel, f".{Format.HTML.value}").relative_to(job.out).as_posix()
    dump = record.rel
    for suffix in JSONL_SUFFIXES:
        if dump.lower().endswith(suffix):
            dump = dump[: -len(suffix)]
            break
    slug = _SLUG.sub("-", (article.title or "").lower()).strip("-")[:60].rstrip("-")
    name = f"{record.number}-{slug}" if slug else str(record.number)
    return output_path(job.out, f"{dump}/{name}", ".html").relative_to(job.out).as_posix()


def home_link(page: str) -> str:
    """The relative link from a page back to the site's index."""
    return "../" * (len(PurePosixPath(page).parts) - 1) + "index.html"


def entry(job: BatchJob, record: FileRecord | LineRecord, record_id: str, article: Article) -> bytes:
    """A record's line in ``.collected.jsonl``."""
    data: dict = {"input": record.key[0], "line": record.key[1], "id": record_id}
    if job.site:
        page = page_path(job, record, article)
        when = published(article)
        source = source_link(article)
        data["page"] = page
        data["entry"] = {
            "title": display_title(article),
            "has_title": bool(article.title),
            "author": article.author.name if article.author and article.author.name else None,
            "date": when.iso if when else None,
            "date_text": when.text if when else None,
            "timestamp": when.moment.timestamp() if when and when.moment else None,
            "site": source.label if source else None,
            "source_url": source.url if source else None,
            "summary": summary(article),
            "language": language(article),
        }
        if isinstance(record, LineRecord):
            # A dump's records have no page of their own among the outputs: the page is
            # written with the site.
            data["html"] = render_with(article, Format.HTML, _page_options(job, page))
    if job.book is not None:
        from ..render.epub import chapter

        made = chapter(article, job.render)
        data["chapter"] = {"title": made.title, "language": made.language, "xhtml": made.xhtml}
    return json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"


def _page_options(job: BatchJob, page: str):
    from dataclasses import replace

    return replace(job.render, body_only=False, standalone=True, home=home_link(page))


def page_options(job: BatchJob, record: FileRecord | LineRecord, article: Article):
    """The render options of a file record's HTML output: a site's page links home."""
    if not job.site:
        return job.render
    return _page_options(job, page_path(job, record, article))


class Collector:
    """Appends the records' contributions to ``DIR/.collected.jsonl`` (the parent only),
    the way the manifest is appended to: flushed, and a line a kill cut short dropped."""

    def __init__(self, out: Path, *, resuming: bool) -> None:
        self.path = out / COLLECTED_NAME
        try:
            if not resuming:
                self.path.unlink(missing_ok=True)  # left by a run that never wrote a manifest line
            drop_unfinished_line(self.path)
            self._stream = open(self.path, "ab")
        except OSError as error:
            raise write_error(self.path, error) from None

    def write(self, lines: bytes, *, fsync: bool = False) -> None:
        if not lines:
            return
        try:
            self._stream.write(lines)
            self._stream.flush()
            if fsync:
                os.fsync(self._stream.fileno())
        except OSError as error:
            raise write_error(self.path, error) from None

    def close(self) -> None:
        self._stream.close()
