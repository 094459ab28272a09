"""What every republishing renderer says about an article besides its blocks, computed in
one place so that the HTML page, the EPUB chapter, the site's index and feed and the
Markdown front matter agree: its language, a title to show, its date for people, where
it came from, and a short summary.

Everything here reads scraped values, so everything is checked: a language tag that is
not BCP 47 becomes "und", a URL that is not http(s) is not linked, a date that does not
parse is shown as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

from markupsafe import Markup

from ..errors import UsageError
from ..model import Article
from .inline import safe_url

#: BCP 47 for "undetermined": the language of an article that does not say.
UNDETERMINED = "und"
# A well-formed BCP 47 tag (language, then subtags): what EPUB readers and EPUBCheck accept.
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")


def language(article: Article) -> str:
    """The article's BCP 47 language tag, or "und" when it is unknown or not a tag."""
    tag = (article.metadata.language or "").strip().replace("_", "-")
    return tag if _LANGUAGE_TAG.match(tag) else UNDETERMINED


def display_title(article: Article) -> str:
    """A title to show: the article's own, else its opening words (what tells articles
    apart in an index or a table of contents), else whose it is."""
    if article.title:
        return article.title
    opening = next((block.text for block in article.paragraphs() if getattr(block, "type", "") in ("paragraph", "quote")), "")
    if opening:
        return _shorten(" ".join(opening.split()), 72)
    if article.author and article.author.name:
        return f"Article by {article.author.name}"
    return "Untitled article"


@dataclass(frozen=True, slots=True)
class When:
    """A date as written for machines (``datetime`` attribute, feeds) and for people."""

    #: ISO 8601, normalised ("2016-10-17", or "2016-10-17T09:30:00+01:00" with a time):
    #: valid in HTML's ``datetime``; None when the source's date does not parse
    iso: str | None
    #: "17 October 2016" (English, or an article of unknown language), else "2016-10-17"
    text: str
    #: the moment, for sorting and feeds (midnight UTC for a bare date)
    moment: datetime | None


def when(value: str | None, language_tag: str = UNDETERMINED) -> When | None:
    """``value`` (``Metadata.published``…) for people; None when there is no date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    moment = _parse(value)
    if moment is None:
        return When(None, value, None)
    day = moment.date()
    english = language_tag == UNDETERMINED or language_tag.lower().split("-")[0] == "en"
    # Month names in English only: an ISO date reads the same in every language.
    text = f"{day.day} {_MONTHS[day.month - 1]} {day.year}" if english else day.isoformat()
    iso = day.isoformat() if _bare_date(value) else moment.isoformat()
    return When(iso, text, moment)


def _bare_date(value: str) -> bool:
    return len(value) <= 10 and "T" not in value and ":" not in value


def _parse(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def published(article: Article) -> When | None:
    return when(article.metadata.published or article.metadata.modified, language(article))


@dataclass(frozen=True, slots=True)
class SourceLink:
    """Where the article was first published: a name to show, and its address when safe."""

    label: str
    url: str | None


def source_link(article: Article) -> SourceLink | None:
    """The site's name (or the host of the article's URL), linked to the article's URL
    when it is an absolute http(s) address; None when the model knows neither."""
    url = safe_url(article.metadata.url)
    if url is not None and urlsplit(url).scheme.lower() not in ("http", "https"):
        url = None  # a relative or mailto address says nothing about where it came from
    label = (article.metadata.site or "").strip() or (urlsplit(url).hostname or "" if url else "")
    if not label:
        return None
    return SourceLink(label.removeprefix("www."), url)


def summary(article: Article, *, limit: int = 280) -> str:
    """The first sentences of the body, up to about ``limit`` characters: the
    description when the source gives one, else the opening of the first paragraphs.
    For an article without a title, whose shown title is its opening words, the summary
    goes on from there instead of saying them twice."""
    if article.metadata.description and article.metadata.description.strip():
        return _shorten(" ".join(article.metadata.description.split()), limit)
    text = ""
    for block in article.paragraphs():
        if getattr(block, "type", "") not in ("paragraph", "quote"):
            continue
        text = f"{text} {block.text}".strip()
        if len(text) >= limit * 2:
            break
    text = " ".join(text.split())
    if not article.title:
        opening = display_title(article)
        cut = opening.removesuffix("…")
        if text.startswith(cut):
            rest = text[len(cut) :].strip()
            if not rest:
                return ""
            # A title cut mid-sentence ends in "…"; the summary takes the sentence up again.
            return ("…" if opening.endswith("…") else "") + _shorten(rest, limit)
    return _shorten(text, limit)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    # Whole sentences when the first one fits, else whole words and an ellipsis.
    ends = [match.start() for match in _SENTENCE_END.finditer(text) if match.start() <= limit]
    if ends and ends[-1] >= limit // 3:
        return text[: ends[-1]].rstrip()
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:–—-") + "…"


@dataclass(frozen=True, slots=True)
class Page:
    """What a page says around the article (the templates' ``page``)."""

    #: BCP 47 tag for ``<html lang>`` ("und" when unknown)
    language: str
    #: the title to show (``display_title``); ``has_title`` says whether the article has one
    title: str
    has_title: bool
    author: str | None
    published: When | None
    source: SourceLink | None
    #: the original's address, for ``<link rel="canonical">``, and to resolve relative links
    canonical: str | None
    description: str | None
    #: the user's stylesheet (``--css``), already checked to stay inside its ``<style>``
    stylesheet: Markup | None = None
    #: on a site's page, the relative link back to the index
    home: str | None = None

    @property
    def base(self) -> str | None:
        """The address relative links in the article are read against."""
        return self.canonical


def page_context(article: Article, options) -> Page:
    source = source_link(article)
    return Page(
        language=language(article),
        title=display_title(article),
        has_title=bool(article.title),
        author=article.author.name if article.author and article.author.name else None,
        published=published(article),
        source=source,
        canonical=source.url if source else None,
        description=" ".join(article.metadata.description.split()) or None if article.metadata.description else None,
        stylesheet=stylesheet_markup(options.stylesheet),
        home=options.home,
    )


def stylesheet_markup(css: str | None) -> Markup | None:
    """The user's CSS, to go inside ``<style>`` as it is (entities mean nothing there, so
    it cannot be escaped): refused if it would close the element."""
    if not css:
        return None
    check_stylesheet(css)
    return Markup(css)


def check_stylesheet(css: str, name: str = "the stylesheet") -> str:
    if "</style" in css.lower():
        raise UsageError(f"{name} contains '</style', which would end the page's <style> element; remove it")
    return css
