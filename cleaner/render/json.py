"""JSON of the model itself, and the JSON Schema that describes it (both via pydantic)."""

from __future__ import annotations

import json
from functools import lru_cache

from pydantic import TypeAdapter

from ..model import Article


@lru_cache(maxsize=1)
def _adapter() -> TypeAdapter[Article]:
    return TypeAdapter(Article)


def to_data(article: Article) -> dict:
    """The model as plain JSON-compatible data."""
    return _adapter().dump_python(article, mode="json")


def render_article_json(article: Article, options=None) -> str:
    """The renderer table's entry: the whole model, indented (options do not apply)."""
    return render_json(article)


def render_json(article: Article, *, indent: int | None = 2) -> str:
    return _adapter().dump_json(article, indent=indent).decode("utf-8") + "\n"


def from_json(text: str | bytes) -> Article:
    """Read an article back from its JSON (validated against the model)."""
    return _adapter().validate_json(text)


def json_schema() -> str:
    schema = _adapter().json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "cleaner Article"
    return json.dumps(schema, indent=2) + "\n"
