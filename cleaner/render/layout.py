"""The body as renderers lay it out: consecutive list items grouped into lists, once,
for every renderer (Markdown, text, HTML), so that they all agree on where a list starts
and ends, what kind it is and what number it starts from; and the article's images put
back where they stood, as figures.

Only images are figures: a video or audio label names a player that is not there, so it
stays out of the body (in ``Article.media``, and in the JSON)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Block, ListItem, Media, MediaType

#: Media shown in the body, where they stood.
FIGURE_TYPES = frozenset({MediaType.IMAGE})


@dataclass(frozen=True, slots=True)
class ListEntry:
    item: ListItem
    #: the numbers the item shows ("3."): the source's own, else counted on from the previous
    number: int
    #: lists nested in this item (items of a greater depth that follow it)
    children: tuple[ListGroup, ...] = ()


@dataclass(frozen=True, slots=True)
class ListGroup:
    """One list: items of the same kind (ordered or not) at the same depth, in a row."""

    ordered: bool
    entries: tuple[ListEntry, ...]
    type: str = "list"

    @property
    def start(self) -> int:
        return self.entries[0].number

    @property
    def numbers_follow(self) -> bool:
        """True when the numbers count up by one from ``start`` (HTML needs no ``value``)."""
        return all(entry.number == self.start + offset for offset, entry in enumerate(self.entries))


def layout(body: Sequence[Block], media: Sequence[Media] = ()) -> list[Block | ListGroup | Media]:
    """The body with each run of list items replaced by the lists it forms, and with the
    figures among ``media`` (images) before the block they preceded (``Media.position``
    counts the body's blocks before it; one past the end, or more, puts it last)."""
    figures = sorted((item for item in media if item.type in FIGURE_TYPES), key=lambda item: item.position)
    if figures:
        return _with_figures(body, figures)
    laid: list[Block | ListGroup | Media] = []
    position = 0
    while position < len(body):
        block = body[position]
        if not isinstance(block, ListItem):
            laid.append(block)
            position += 1
            continue
        end = position
        while end < len(body) and isinstance(body[end], ListItem):
            end += 1
        laid.extend(_lists(list(body[position:end]), min(item.depth for item in body[position:end])))
        position = end
    return laid


def _lists(items: list[ListItem], depth: int) -> list[ListGroup]:
    """The lists a run of items forms at ``depth``; deeper items nest in the item above
    them (or, with no item above, form a list of their own at this level)."""
    groups: list[ListGroup] = []
    entries: list[ListEntry] = []
    ordered: bool | None = None
    position = 0

    def close() -> None:
        if entries:
            groups.append(ListGroup(bool(ordered), tuple(entries)))

    while position < len(items):
        item = items[position]
        end = position + 1
        while end < len(items) and items[end].depth > depth:
            end += 1  # the nested items belong to this one
        children = tuple(_lists(items[position + 1 : end], depth + 1)) if end > position + 1 else ()
        if item.depth > depth:
            # Deeper items with no item above them at this depth: a list of their own.
            close()
            entries, ordered = [], None
            groups.extend(_lists(items[position:end], min(deeper.depth for deeper in items[position:end])))
            position = end
            continue
        if ordered is not None and item.ordered != ordered:
            close()
            entries = []
        if not entries:
            ordered = item.ordered
        previous = entries[-1].number if entries else 0
        number = item.number if item.ordered and item.number is not None else previous + 1
        entries.append(ListEntry(item, number, children))
        position = end
    close()
    return groups


def _with_figures(body: Sequence[Block], figures: list[Media]) -> list[Block | ListGroup | Media]:
    """Lay out the stretches of body between figures one by one: a figure between two list
    items ends the list, as it does on the page."""
    laid: list[Block | ListGroup | Media] = []
    start = 0
    for figure in figures:
        cut = min(max(figure.position, start), len(body))
        laid.extend(layout(body[start:cut]))
        laid.append(figure)
        start = cut
    laid.extend(layout(body[start:]))
    return laid
