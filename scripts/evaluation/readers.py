"""The readers on the benchmarks: saved pages through the HTML reader, whole-page Markdown
scrapes through the Markdown reader, and the metadata the HTML reader finds.

- ``--from html``: each saved page (``Benchmark.html``) cleaned with ``Cleaner(from_="html")``,
  body only, against the truth; beside it trafilatura's own text as the benchmark stored it.
- ``--from md``: each whole-page Markdown output (fast_html2md, mdka…) read as Markdown
  and as text (today's reading), before and after cleaning.
- Metadata: title (case and punctuation aside), author and publication date (YYYY-MM-DD)
  against ``ground-truth.json``, beside trafilatura's own metadata of the same page.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from cleaner import Cleaner, render
from cleaner.errors import CleanerError

from .benchmark import MARKDOWN_OUTPUTS, Benchmark
from .metric import Match, Score, match, score
from .run import CACHE

#: The whole-page Markdown converters among the benchmark's extractors.
_CACHE_VERSION = 1


@dataclass
class HtmlPage:
    page: str
    cleaned: Match
    extractor: Match  # trafilatura alone, as the benchmark stored its output
    seconds: float
    title: str | None = None
    author: str | None = None
    published: str | None = None
    error: str | None = None


@dataclass
class HtmlRun:
    bench: str
    pages: list[HtmlPage] = field(default_factory=list)

    def only(self, pages: Iterable[str]) -> HtmlRun:
        wanted = set(pages)
        return HtmlRun(self.bench, [page for page in self.pages if page.page in wanted])

    @property
    def cleaned(self) -> Score:
        return score(page.cleaned for page in self.pages)

    @property
    def extractor(self) -> Score:
        return score(page.extractor for page in self.pages)

    @property
    def seconds_per_page(self) -> float:
        return sum(page.seconds for page in self.pages) / len(self.pages) if self.pages else 0.0


def run_html(bench: Benchmark, cleaner: Cleaner, pages: Iterable[str] | None = None, extractor: str = "trafilatura") -> HtmlRun:
    """Clean every saved page (or ``pages``) with the HTML reader."""
    stored = bench.outputs.get(extractor, {})
    run = HtmlRun(bench.name)
    for page in pages if pages is not None else bench.truth:
        data = bench.html(page)
        truth = bench.truth[page]
        if data is None:
            continue
        start = time.perf_counter()
        error = None
        try:
            article = cleaner.clean(data)
            body = render(article, "txt", body_only=True)
        except CleanerError as failure:
            article, body, error = None, "", str(failure)
        seconds = time.perf_counter() - start
        result = HtmlPage(page, match(truth, body), match(truth, stored.get(page, "")), seconds, error=error)
        if article is not None:
            result.title = article.title
            result.author = article.author.name if article.author else None
            result.published = article.metadata.published
        run.pages.append(result)
    return run


# --- metadata ---------------------------------------------------------------------------


def title_key(text: str | None) -> str:
    """A title with case and punctuation aside."""
    return " ".join(re.findall(r"\w+", (text or "").casefold()))


def author_matches(found: str | None, truth: str) -> bool:
    """The same name, case and punctuation aside; a found name that adds or drops the
    truth's credentials ("Jane Doe" for "Jane Doe, MD") or lists co-authors counts."""
    found_key, true_key = title_key(found), title_key(truth)
    if not found_key:
        return False
    return found_key == true_key or true_key.startswith(found_key + " ") or found_key.startswith(true_key + " ")


def date_matches(found: str | None, truth: str) -> bool:
    return bool(found) and found[:10] == truth[:10]


@dataclass
class MetadataScore:
    field: str
    pages: int = 0  # pages whose truth states the field
    cleaner: int = 0
    extractor: int = 0

    def share(self, count: int) -> float | None:
        return count / self.pages if self.pages else None


def metadata_scores(bench: Benchmark, run: HtmlRun) -> list[MetadataScore]:
    """Per field, how many pages (whose truth states it) cleaner and trafilatura get right."""
    theirs = trafilatura_metadata(bench, [page.page for page in run.pages])
    scores = {name: MetadataScore(name) for name in ("title", "author", "published")}
    checks = {"title": lambda found, true: bool(title_key(found)) and title_key(found) == title_key(true), "author": author_matches, "published": date_matches}
    for page in run.pages:
        truth = bench.metadata.get(page.page, {})
        for name, tally in scores.items():
            true = truth.get(name)
            if not true:
                continue
            tally.pages += 1
            tally.cleaner += checks[name](getattr(page, name), true)
            tally.extractor += checks[name]((theirs.get(page.page) or {}).get(name), true)
    return list(scores.values())


def trafilatura_metadata(bench: Benchmark, pages: list[str]) -> dict[str, dict[str, str | None]]:
    """trafilatura's own title, author and date of each page (cached on disk)."""
    import trafilatura

    key = f"{_CACHE_VERSION}:{bench.root.resolve()}:{trafilatura.__version__}:{len(pages)}:{hashlib.sha256(' '.join(pages).encode()).hexdigest()}"
    path = CACHE / f"{bench.name}-trafilatura-metadata-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.PickleError, EOFError):
        pass
    found = {}
    for page in pages:
        data = bench.html(page)
        meta = trafilatura.extract_metadata(data.decode("utf-8", "replace")) if data else None
        found[page] = {"title": getattr(meta, "title", None), "author": getattr(meta, "author", None), "published": getattr(meta, "date", None)}
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(found))
    except OSError:
        pass
    return found


# --- Markdown ---------------------------------------------------------------------------


@dataclass
class MarkdownRun:
    extractor: str
    before: Score
    as_text: Score
    as_markdown: Score
    seconds_per_page: float


def run_markdown(bench: Benchmark, extractor: str, text_cleaner: Cleaner, markdown_cleaner: Cleaner) -> MarkdownRun:
    """One Markdown converter's outputs: as they are, cleaned as text, cleaned as Markdown."""
    before, as_text, as_markdown = [], [], []
    seconds = 0.0
    for page, truth in bench.truth.items():
        output = bench.outputs[extractor][page]
        before.append(match(truth, output))
        as_text.append(match(truth, _body(text_cleaner, output)))
        start = time.perf_counter()
        as_markdown.append(match(truth, _body(markdown_cleaner, output)))
        seconds += time.perf_counter() - start
    return MarkdownRun(extractor, score(before), score(as_text), score(as_markdown), seconds / max(1, len(bench.truth)))


def _body(cleaner: Cleaner, text: str) -> str:
    if not text:
        return ""
    try:
        return render(cleaner.clean(text), "txt", body_only=True)
    except CleanerError:
        return ""


# --- leaving sites out ------------------------------------------------------------------


def by_site(bench: Benchmark, run: HtmlRun) -> dict[str, Score]:
    """The score of each site's pages: a figure that holds on every site is not one site's."""
    sites: dict[str, list[HtmlPage]] = {}
    for page in run.pages:
        sites.setdefault(bench.pages[page.page].site, []).append(page)
    return {site: score(page.cleaned for page in pages) for site, pages in sites.items()}


def cache_dir() -> str:
    return os.fspath(CACHE)
