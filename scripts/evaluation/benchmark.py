"""The benchmarks on disk: ``ground-truth.json``, ``inputs/<extractor>.json``, the saved
pages ``html/<id>.html.gz`` and, for the modern benchmark, ``pages.json`` (page type,
language, site). Nothing here keeps state between calls; the data never enters the repo.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

#: Outputs that are the whole page as text or Markdown (menus, footers and all), not an
#: extractor's choice of the article: their targets allow more recall loss.
WHOLE_PAGE = frozenset(
    {"august", "beautifulsoup", "fast_html2md", "html-text", "html2md_rs", "html2text", "html2text_rs", "inscriptis", "mdka", "nanohtml2text"}
)


#: Outputs written as Markdown: read with the Markdown reader, as a user would.
MARKDOWN_OUTPUTS = frozenset({"fast_html2md", "mdka", "html2md_rs", "html2text"})


class BenchmarkError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class PageInfo:
    page_type: str  # "article", "forum", "listing"… (the article benchmark has only articles)
    site: str  # the host, without "www."
    lang: str | None
    url: str


@dataclass(frozen=True, slots=True)
class Benchmark:
    name: str
    root: Path
    truth: dict[str, str]  # page id → true article body
    outputs: dict[str, dict[str, str]]  # extractor → page id → extracted text
    versions: dict[str, str]  # extractor → its version, "" when unknown
    pages: dict[str, PageInfo]
    metadata: dict[str, dict]  # page id → the truth's title, author, published (where given)

    def html(self, page: str) -> bytes | None:
        """The saved page, or None when the benchmark has none for it."""
        path = self.root / "html" / f"{page}.html.gz"
        try:
            return gzip.decompress(path.read_bytes())
        except OSError:
            return None

    def reference_title(self, page: str) -> str | None:
        """The page's title: the truth's, else the saved page's own (``og:title``, then
        ``twitter:title``, then ``<title>``), else None."""
        if self.metadata.get(page, {}).get("title"):
            return self.metadata[page]["title"]
        html = self.html(page)
        if html is None:
            return None
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(html, "lxml")
        for attribute, name in (("property", "og:title"), ("name", "og:title"), ("name", "twitter:title")):
            meta = soup.find("meta", attrs={attribute: name})
            if meta is not None and meta.get("content", "").strip():
                return meta["content"].strip()
        return soup.title.get_text(" ", strip=True) if soup.title else None

    def page_ids(self, page_type: str | None = None) -> list[str]:
        """The pages, or those of one type ("article"); "all" or None gives every page."""
        if page_type in (None, "all"):
            return list(self.truth)
        return [page for page in self.truth if self.pages[page].page_type == page_type]


def load_benchmark(root: Path) -> Benchmark:
    """Read a benchmark directory; ``BenchmarkError`` when it is missing or unreadable."""
    truth_path = root / "ground-truth.json"
    if not truth_path.is_file() or not (root / "inputs").is_dir():
        raise BenchmarkError(f"benchmark not found at {root} (expected ground-truth.json and inputs/)")
    try:
        records = _read_json(truth_path)
        truth = {page: record.get("articleBody") or "" for page, record in records.items()}
        outputs, versions = {}, {}
        for path in sorted((root / "inputs").glob("*.json")):
            data = _read_json(path)
            outputs[path.stem] = {page: (data["output"].get(page) or {}).get("articleBody") or "" for page in truth}
            versions[path.stem] = data.get("version") or ""
        described = _read_json(root / "pages.json") if (root / "pages.json").is_file() else {}
    except (OSError, ValueError, KeyError, AttributeError) as error:
        raise BenchmarkError(f"benchmark at {root} cannot be read: {error}") from None
    pages = {}
    for page, record in records.items():
        about = described.get(page, {})
        url = about.get("url") or record.get("url") or ""
        host = urlsplit(url).hostname or ""
        site = about.get("site") or (host[4:] if host.startswith("www.") else host)
        pages[page] = PageInfo(about.get("page_type", "article"), site, about.get("lang") or record.get("lang"), url)
    metadata = {page: {key: record[key] for key in ("title", "author", "published") if record.get(key)} for page, record in records.items()}
    return Benchmark(root.name, root, truth, outputs, versions, pages, metadata)


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
