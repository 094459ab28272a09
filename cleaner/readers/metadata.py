"""What a page says about its article, apart from its text: title, author and
``Metadata`` (url, site, dates, language, description, tags).

Sources, most trusted first: the page's JSON-LD (schema.org ``NewsArticle`` and its
kin, also inside ``@graph``), then its ``<meta>`` tags (OpenGraph, ``article:*``,
Dublin Core, plain ``author`` / ``description``), then its ``<time>`` elements and
``lang``, then what trafilatura found (its htmldate finds the publication date in URLs
and page text too). Dates become ISO 8601, languages BCP 47. When the page does not say
its language, it is detected from the article's text (py3langid, offline).

A title is given only when the page states it as the article's headline (JSON-LD,
``og:title``, or an ``<h1>`` the page's ``<title>`` repeats): a wrong title is worse
than none.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime
from typing import Any

from ..model import Metadata
from .entries import clean_piece

ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
     "backgroundnewsarticle", "blogposting", "socialmediaposting", "liveblogposting", "techarticle", "scholarlyarticle",
     "report", "medicalwebpage", "webpage", "posting", "discussionforumposting", "howto", "recipe", "review"}
)
# Page-level types: used only when no article type is there (a WebPage's name is often the site's).
_WEAK_TYPES = frozenset({"webpage", "medicalwebpage", "howto", "recipe", "review"})
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:[.,]\d+)?\s*(?P<z>Z|[+-]\d{2}:?\d{2})?)?"
)
_LANGUAGE = re.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?\b")
_SPLIT_TITLE = re.compile(r"\s+[|–—·•:-]\s+|\s+-\s+")
_MIN_WORDS_TO_DETECT = 15


def page_metadata(root, text: str, document, body: list[str]) -> tuple[str | None, str | None, Metadata]:
    """(title, author, metadata) of a page: ``root`` is its lxml tree (or None),
    ``document`` trafilatura's result (or None), ``body`` the article's texts."""
    if root is None:
        return None, None, Metadata(language=detect_language(body))
    meta = _meta_tags(root)
    article = _json_ld_article(root)
    headings = _headings(root)
    page_title = _text(root.find(".//title"))

    site = _first(_name(article.get("publisher")), meta.get("og:site_name"), meta.get("application-name"), _doc(document, "sitename"))
    title = choose_title(_string(article.get("headline")) or (_string(article.get("name")) if article.get("@weak") is None else None), meta.get("og:title") or meta.get("twitter:title"), headings, page_title, site)
    author = _first(
        *(
            _author_meta(value)
            for value in (
                _names(article.get("author")),
                meta.get("author"),
                meta.get("article:author"),
                meta.get("dc.creator"),
                meta.get("parsely-author"),
                _byline_element(root),
                _names(article.get("author"), organisations=True),
                _first_author(_doc(document, "author")),
            )
        )
    )
    published = _first(
        iso_date(_string(article.get("datePublished"))),
        *(iso_date(meta.get(key)) for key in ("article:published_time", "datepublished", "publishdate", "pubdate", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date", "og:published_time")),
        _time_element(root),
        iso_date(_doc(document, "date")),
    )
    modified = _first(
        iso_date(_string(article.get("dateModified"))),
        *(iso_date(meta.get(key)) for key in ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")),
    )
    language = _first(
        bcp47(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")),
        bcp47(meta.get("content-language")),
        bcp47(_string(article.get("inLanguage"))),
        bcp47(meta.get("og:locale")),
    ) or detect_language(body)
    url = _first(_canonical(root), meta.get("og:url"), _string(article.get("url")), _doc(document, "url"))
    description = _first(meta.get("description"), meta.get("og:description"), _string(article.get("description")), _doc(document, "description"))
    tags = _tags(article.get("keywords"), meta.get("article:tag@all"), _doc(document, "tags"))
    metadata = Metadata(url=url, site=site, published=published, modified=modified, language=language, description=description, tags=tags)
    return title, author, metadata


# --- title ------------------------------------------------------------------------------


def _key(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def choose_title(headline: str | None, og_title: str | None, headings: list[str], page_title: str | None, site: str | None) -> str | None:
    """The article's title when the page states it. The ``<h1>`` is the headline as the
    reader sees it, trusted when it is the page's only one or another source (JSON-LD,
    OpenGraph, ``<title>``) contains it, and it is not the site's name (a logo in an
    ``<h1>``); else JSON-LD's headline, else OpenGraph's title without the site's name,
    else the page's ``<title>``. (On the dev pages this order agrees with the truth most
    often; ``scripts/evaluate.py --from html``.)"""
    heading = headings[0] if headings and len(headings[0]) <= 300 else None
    if heading and not _names_site(heading, page_title, site):
        key = _key(heading)
        if len(headings) == 1 or any(key in _key(candidate) for candidate in (headline, og_title, page_title) if candidate):
            return heading
    if headline:
        return headline
    if og_title:
        return _strip_site(og_title, site)
    return page_title


def _names_site(heading: str, page_title: str | None, site: str | None) -> bool:
    """An ``<h1>`` that holds the site's name (its logo), not the article's title."""
    key, site_key = _key(heading), _key(site)
    if site_key and (key == site_key or key in site_key):
        return True
    parts = _SPLIT_TITLE.split(page_title or "")
    return len(parts) > 1 and _key(parts[-1]) == key


def _strip_site(title: str, site: str | None) -> str:
    """"Headline | Site" and "Headline - Site" without the site's name."""
    parts = _SPLIT_TITLE.split(title)
    if len(parts) > 1:
        site_key = _key(site)
        if site_key and _key(parts[-1]) and (_key(parts[-1]) in site_key or site_key in _key(parts[-1])):
            return title[: title.rfind(parts[-1])].rstrip(" |–—·•:-")
    return title


def _headings(root) -> list[str]:
    """The page's ``<h1>`` texts (visible ones), in order."""
    from .html_blocks import is_hidden

    return [text for element in root.iter("h1") if not is_hidden(element) and (text := _text(element))]


# --- sources ----------------------------------------------------------------------------


def _meta_tags(root) -> dict[str, str]:
    """``<meta>`` contents by lowercased name or property (the first of each wins);
    every ``article:tag`` under ``article:tag@all``, joined by commas."""
    found: dict[str, str] = {}
    tags: list[str] = []
    for element in root.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or element.get("http-equiv") or "").strip().lower()
        content = _unescaped(element.get("content") or "")
        if not key or not content:
            continue
        if key == "article:tag":
            tags.append(content)
        found.setdefault(key, content)
    if tags:
        found["article:tag@all"] = ",".join(tags)
    return found


def _json_ld_article(root) -> dict[str, Any]:
    """The first schema.org article object in the page's JSON-LD ({} when none); a
    page-level type (``WebPage``) only when there is no article, marked ``@weak``."""
    weak: dict[str, Any] = {}
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"))
        except ValueError:
            continue
        for item in _objects(data):
            types = item.get("@type")
            names = {str(name).lower() for name in (types if isinstance(types, list) else [types])}
            if names & (ARTICLE_TYPES - _WEAK_TYPES):
                return item
            if names & _WEAK_TYPES and not weak:
                weak = dict(item, **{"@weak": True})
    return weak


def _objects(data: Any, depth: int = 0):
    """Every JSON object in a JSON-LD document, ``@graph`` and nested lists included."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _objects(graph, depth + 1)
        entity = data.get("mainEntity")
        if isinstance(entity, (dict, list)):
            yield from _objects(entity, depth + 1)


def _time_element(root) -> str | None:
    """The publication date a ``<time>`` states: one marked ``pubdate`` or
    ``itemprop=datePublished`` first, else the first with a ``datetime``."""
    first = None
    for element in root.iter("time"):
        value = iso_date(element.get("datetime"))
        if value is None:
            continue
        if element.get("pubdate") is not None or (element.get("itemprop") or "").lower() == "datepublished":
            return value
        first = first or value
    return first


def _canonical(root) -> str | None:
    for element in root.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split():
            href = (element.get("href") or "").strip()
            if href.startswith(("http://", "https://")):
                return href
    return None


def _doc(document, name: str):
    value = getattr(document, name, None) if document is not None else None
    if isinstance(value, list):
        return value or None
    return clean_piece(value).strip() or None if isinstance(value, str) else None


# --- values -----------------------------------------------------------------------------


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 date (``2016-10-17``) or date and time (``2016-10-17T08:30:00+01:00``)
    from what pages write in ``datetime`` attributes and meta tags, or None."""
    if not value:
        return None
    match = _ISO.search(value)
    if not match:
        return None
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    if not 1990 <= day.year <= 2100:
        return None
    if match["H"] is None:
        return day.isoformat()
    try:
        moment = datetime(day.year, day.month, day.day, int(match["H"]), int(match["M"]), int(match["S"] or 0))
    except ValueError:
        return day.isoformat()
    zone = match["z"]
    stamp = moment.isoformat()
    if zone:
        stamp += "+00:00" if zone == "Z" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
    return stamp


def bcp47(value: str | None) -> str | None:
    """A language tag as BCP 47 writes it (``en``, ``pt-BR``, ``zh-Hant``), or None."""
    if not value:
        return None
    match = _LANGUAGE.match(value.strip().split(",")[0].strip())
    if not match:
        return None
    language, script, region = match.groups()
    tag = language.lower()
    if script:
        tag += "-" + script.title()
    if region:
        tag += "-" + region.upper()
    return tag


def detect_language(texts: list[str]) -> str | None:
    """The language of a text by py3langid (offline, BSD), when there is enough of it."""
    sample = " ".join(texts)[:20000]
    if len(sample.split()) < _MIN_WORDS_TO_DETECT:
        return None
    import py3langid  # imported here: its model loads in a fraction of a second, once

    language, _ = py3langid.classify(sample)
    return language or None


def _string(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, str)), None)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    return _unescaped(value) or None if isinstance(value, str) else None


def _unescaped(value: str) -> str:
    """Text with entities a page escaped twice ("&amp;amp;") undone, spaces folded."""
    if "&" in value:
        value = html.unescape(value)
    return clean_piece(value).strip()


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _string(value.get("name"))
    return _string(value)


_ORGANISATIONS = ("organization", "newsmediaorganization", "corporation", "educationalorganization", "localbusiness")


def _names(value: Any, *, organisations: bool = False) -> str | None:
    """Author names from JSON-LD (a Person, a list of them, or a string), joined as
    English does ("A and B", "A, B, and C"). An Organization is more often the publisher
    than the writer: it is taken (``organisations``) only when no source names a person."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        is_organisation = isinstance(item, dict) and str(item.get("@type") or "").lower() in _ORGANISATIONS
        if is_organisation != organisations:
            continue
        name = _name(item)
        if name and not name.startswith(("http://", "https://")) and name not in names:
            names.append(name)
    if len(names) > 2:
        return ", ".join(names[:-1]) + ", and " + names[-1]
    return " and ".join(names) or None


#: What sites and extractors put where an author's name belongs.
_NOT_NAMES = frozenset(
    ["the author", "by author", "site admin"]
    + "author admin administrator staff editor editors guest anonymous unknown".split()
    + "january february march april may june july august september october november december".split()
    + "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


def _author_meta(value: str | None) -> str | None:
    """A name as a meta tag or byline gives it, or None when it is not one (an address,
    a handle, a month, "admin")."""
    if not value:
        return None
    value = value.strip()
    if value.startswith(("http://", "https://", "@")) or "@" in value or len(value) > 120:
        return None
    key = _key(value)
    if not key or key in _NOT_NAMES or key.replace(" ", "").isdigit() or ";" in value:
        return None
    return value


def _first_author(value: str | None) -> str | None:
    """trafilatura joins the names it finds with "; ": the first is the byline's."""
    return value.split(";")[0].strip() or None if value else None


def _byline_element(root) -> str | None:
    """The name in the page's byline markup: ``itemprop="author"``, ``rel="author"``."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if (element.get("itemprop") or "").lower() == "author" or "author" in (element.get("rel") or "").lower().split():
            named = next((child for child in element.iter() if (child.get("itemprop") or "").lower() == "name"), None)
            text = _text(named if named is not None else element)
            if text and len(text.split()) <= 6:
                return text.removeprefix("By ").removeprefix("by ")
    return None


def _tags(*sources: Any) -> tuple[str, ...]:
    for source in sources:
        if not source:
            continue
        items = source if isinstance(source, list) else str(source).split(",")
        tags = tuple(dict.fromkeys(text for item in items if isinstance(item, str) and (text := clean_piece(item).strip())))
        if tags:
            return tags[:50]
    return ()


def _first(*values):
    return next((value for value in values if value), None)


def _text(element) -> str | None:
    if element is None:
        return None
    return _unescaped(" ".join(element.itertext())) or None
