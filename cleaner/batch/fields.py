"""What a JSONL record says about its article besides the text: its url, date, title,
language and site, under the names dumps commonly use (Common Crawl derivatives, news
crawlers, Hugging Face datasets). They override what the text or page itself says."""

from __future__ import annotations

from ..dates import text_date
from ..model import Metadata
from ..readers.metadata import bcp47, iso_date

#: model field → the record fields that give it, first found wins
FIELDS: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "source_url", "canonical_url"),
    "published": ("published", "date", "date_published", "datePublished", "published_at", "publish_date", "pubdate"),
    "modified": ("modified", "date_modified", "dateModified", "updated_at"),
    "language": ("lang", "language", "inLanguage"),
    "site": ("site", "site_name", "domain", "source_domain"),
    "description": ("description", "summary"),
}
TITLE_FIELDS = ("title", "headline")


def record_metadata(record: dict) -> tuple[str | None, Metadata]:
    """(title, metadata) from a record's fields; values that are not usable are ignored."""
    found: dict[str, str] = {}
    for name, keys in FIELDS.items():
        value = next((record[key] for key in keys if isinstance(record.get(key), str) and record[key].strip()), None)
        if value is None:
            continue
        value = value.strip()
        if name in ("published", "modified"):
            value = iso_date(value) or text_date(value)
        elif name == "language":
            value = bcp47(value)
        if value:
            found[name] = value
    title = next((record[key].strip() for key in TITLE_FIELDS if isinstance(record.get(key), str) and record[key].strip()), None)
    return title, Metadata(**found)
