"""A JSONL dump's output records: the input record, every field as it was written, with
the cleaned outputs under their documented keys.

Keys (``RENDERERS[fmt].jsonl_key``): ``text`` (plain text), ``markdown``, ``html`` (a
fragment), and ``article`` (the model) only with ``--to json`` or ``--with-model``. An
input field with one of these names is replaced in its place (``text`` in, cleaned
``text`` out); every other field passes through byte for byte, numbers, escapes and
order as written. A record that has no id of its own gets ``id`` (``FILE:LINE``), so that
output records can be matched with the manifest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def members(line: str) -> Iterator[tuple[str, str]]:
    """(key, the member exactly as written: ``"key": value``) for each member of the JSON
    object ``line``, in order. Raises ValueError when ``line`` is not one JSON object."""
    position = _SPACE.match(line).end()
    if line[position : position + 1] != "{":
        raise ValueError("not a JSON object")
    position = _SPACE.match(line, position + 1).end()
    if line[position : position + 1] == "}":
        return
    while True:
        if line[position : position + 1] != '"':
            raise ValueError(f"expected a key at character {position}")
        start = position
        key, position = json.decoder.scanstring(line, position + 1)
        position = _SPACE.match(line, position).end()
        if line[position : position + 1] != ":":
            raise ValueError(f"expected ':' at character {position}")
        position = _SPACE.match(line, position + 1).end()
        _, end = _DECODER.raw_decode(line, position)
        yield key, line[start:end]
        position = _SPACE.match(line, end).end()
        separator = line[position : position + 1]
        if separator == "}":
            return
        if separator != ",":
            raise ValueError(f"expected ',' or '}}' at character {position}")
        position = _SPACE.match(line, position + 1).end()


def output_record(raw: bytes, data: dict, outputs: dict[str, str], added_id: str | None) -> bytes:
    """The output line for input line ``raw`` (parsed: ``data``). ``outputs`` maps keys to
    their JSON text, ready to splice in; ``added_id``, when given, goes under ``id``."""
    fields: list[str] = []
    placed: set[str] = set()
    if added_id is not None:
        fields.append(f'"id": {json.dumps(added_id, ensure_ascii=False)}')
        placed.add("id")
    try:
        # surrogateescape: bytes that are not UTF-8 inside a string go back out as they came.
        written = list(members(raw.decode("utf-8", "surrogateescape")))
    except (ValueError, UnicodeDecodeError):
        # Not UTF-8 JSON as written (UTF-16, say): the parsed values, written again.
        written = [(key, f"{json.dumps(key)}: {json.dumps(value)}") for key, value in data.items()]
    for key, member in written:
        if key in outputs:
            if key not in placed:  # the cleaned output takes the place of the input field
                fields.append(f"{json.dumps(key)}: {outputs[key]}")
                placed.add(key)
        elif key not in placed:
            fields.append(member)
    fields.extend(f"{json.dumps(key)}: {value}" for key, value in outputs.items() if key not in placed)
    return ("{" + ", ".join(fields) + "}\n").encode("utf-8", "surrogateescape")
