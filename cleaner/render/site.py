"""A site over many articles (``batch --site``): the pages of its index, newest first,
and its Atom feed. The batch gathers one ``SiteEntry`` per article; these functions only
turn entries into pages, with the templates ``site/index.html.j2`` (HTML, the page
environment) and ``site/feed.xml.j2`` (XML: the EPUB's environment, which drops the
characters XML forbids). Links are relative: the site works from any address, or from
the disk."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote

from . import RenderOptions
from .context import UNDETERMINED, stylesheet_markup
from .epub import xml_environment
from .html import check_template_dir, environment, render_template

INDEX = "site/index.html.j2"
FEED = "site/feed.xml.j2"
FEED_NAME = "feed.xml"
#: Articles per index page.
PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class SiteEntry:
    """What the index and the feed say about one article; ``page`` is its path in the site."""

    page: str
    title: str
    #: False when ``title`` is made up ("Article by …"): the article has none of its own
    has_title: bool = True
    summary: str = ""
    author: str | None = None
    #: ISO 8601 (``datetime`` attribute), and as shown to people
    date: str | None = None
    date_text: str | None = None
    #: seconds since the epoch, for sorting and the feed (None: undated)
    timestamp: float | None = None
    site: str | None = None
    source_url: str | None = None
    language: str = UNDETERMINED

    @property
    def href(self) -> str:
        return quote(self.page, safe="/")


def index_name(number: int) -> str:
    """The file of index page ``number`` (1-based): index.html, index-2.html…"""
    return "index.html" if number == 1 else f"index-{number}.html"


def reserved(name: str) -> bool:
    """Whether a path in the site is one of the site's own files."""
    return name == FEED_NAME or name == "index.html" or (name.startswith("index-") and name.endswith(".html") and name[6:-5].isdigit())


def newest_first(entries: Sequence[SiteEntry]) -> list[SiteEntry]:
    """Dated articles newest first, then the undated ones in the order they came."""
    dated = sorted((entry for entry in entries if entry.timestamp is not None), key=lambda entry: -entry.timestamp)
    return dated + [entry for entry in entries if entry.timestamp is None]


def site_language(entries: Sequence[SiteEntry]) -> str:
    languages = Counter(entry.language for entry in entries if entry.language != UNDETERMINED)
    return languages.most_common(1)[0][0] if languages else UNDETERMINED


def render_index(entries: Sequence[SiteEntry], *, title: str, options: RenderOptions = RenderOptions()) -> list[tuple[str, str]]:
    """The index pages, as (file name, HTML), for ``entries`` already in order."""
    templates = environment(check_template_dir(options.template_dir))
    pages = max(1, -(-len(entries) // PER_PAGE))
    site = {"title": title, "language": site_language(entries), "count": len(entries), "feed": FEED_NAME}
    written = []
    for number in range(1, pages + 1):
        index = {
            "number": number,
            "pages": pages,
            "entries": entries[(number - 1) * PER_PAGE : number * PER_PAGE],
            "newer": index_name(number - 1) if number > 1 else None,
            "older": index_name(number + 1) if number < pages else None,
        }
        html = render_template(templates, INDEX, options.template_dir, site=site, index=index, stylesheet=stylesheet_markup(options.stylesheet))
        written.append((index_name(number), html))
    return written


def render_feed(entries: Sequence[SiteEntry], *, title: str, updated: datetime, options: RenderOptions = RenderOptions()) -> str:
    """The Atom feed of ``entries`` (already in order). Entry ids are stable: the
    article's original address when known, else its page in a site of this title."""
    templates = xml_environment(check_template_dir(options.template_dir))
    feed_entries = []
    for entry in entries:
        moment = _moment(entry.timestamp) if entry.timestamp is not None else None
        feed_entries.append(
            {
                "title": entry.title,
                "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, entry.source_url or f'cleaner-site:{title}/{entry.page}')}",
                "href": entry.href,
                "updated": moment or _rfc3339(updated),
                "published": moment,
                "author": entry.author,
                "source_url": entry.source_url,
                "summary": entry.summary,
            }
        )
    newest = max((entry.timestamp for entry in entries if entry.timestamp is not None), default=None)
    site = {
        "title": title,
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'cleaner-site:{title}')}",
        "updated": _moment(newest) if newest is not None else _rfc3339(updated),
        "language": site_language(entries),
        "index": index_name(1),
        "feed": FEED_NAME,
    }
    return render_template(templates, FEED, options.template_dir, site=site, entries=feed_entries)


def _moment(timestamp: float) -> str:
    return _rfc3339(datetime.fromtimestamp(timestamp, timezone.utc))


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
