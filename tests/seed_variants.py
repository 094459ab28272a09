"""Variants of the seed built from its parts, each with what cleaning it must give.

The held-out acceptance variants are of these kinds (other galleries, counts, titles and
credits, CRLF and BOM, a truncated gallery, a gallery first, two video labels, no bio);
the ones here are ours, built the same way, so the tests check the kind, not one file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conftest import SEED

_LINES = SEED.read_text(encoding="utf-8").split("\n")
# Body paragraphs: every non-blank line but the video label (13), gallery (23-115) and bio (121).
PARAGRAPHS = [line for number, line in enumerate(_LINES, 1) if line and number != 13 and not 23 <= number <= 115 and number != 121]
VIDEO_LABEL = "Isis video purports to show fighting in Mosul"
BIO = _LINES[120]
ITEMS = [line for line in _LINES if "/22 " in line[:6]]


@dataclass
class Expected:
    paragraphs: list[str]
    gallery_title: str | None
    declared: int | None
    captions: list[tuple[int, str, str | None]]
    anchor_after: int | None  # number of paragraphs before the gallery anchor
    media: list[str]
    author: str | None
    bio: str | None


@dataclass
class Variant:
    name: str
    data: bytes
    expected: Expected
    notes: list[str] = field(default_factory=list)


def _seed_items() -> list[tuple[int, str, str | None]]:
    items = []
    for line in ITEMS:
        counter, _, rest = line.partition(" ")
        index = int(counter.split("/")[0])
        for credit in ("Reuters", "Getty", "AP"):
            if rest.endswith(" " + credit):
                items.append((index, rest[: -len(credit) - 1], credit))
                break
        else:
            items.append((index, rest, None))
    return items


SEED_ITEMS = _seed_items()


def compose(
    paragraphs: list[str],
    *,
    gallery_at: int | None,
    items: list[tuple[int, str, str | None]],
    count: int,
    title: str | None,
    header: bool = True,
    labels_at: dict[int, str] | None = None,
    bio: str | None = BIO,
    blank_run: int = 7,
) -> str:
    """Lay the parts out the way the seed does: blank-separated, gallery with blank runs."""
    blocks: list[str] = []
    for position in range(len(paragraphs) + 1):
        if gallery_at == position:
            if title:
                blocks.append(f"In pictures: {title}" + "\n" * blank_run)
            if header:
                blocks.append(f"{count} show all In pictures: {title or 'Gallery'}" + "\n" * (blank_run * 5))
            for index, caption, credit in items:
                blocks.append(f"{index}/{count} {caption}" + (f" {credit}" if credit else ""))
        if labels_at and position in labels_at:
            blocks.append(labels_at[position])
        if position < len(paragraphs):
            blocks.append(paragraphs[position])
    if bio:
        blocks.append(bio)
    return "\n\n".join(blocks)


def _expected(paragraphs, *, gallery_at, items, count, title, header=True, labels=(), bio=BIO) -> Expected:
    return Expected(
        paragraphs=list(paragraphs),
        gallery_title=(title if title else None) if gallery_at is not None else None,
        declared=count if gallery_at is not None else None,
        captions=list(items),
        anchor_after=gallery_at,
        media=list(labels),
        author="Maya Mailer" if bio else None,
        bio=bio,
    )


def variants() -> list[Variant]:
    seed_labels = {6: VIDEO_LABEL}
    base = dict(gallery_at=10, items=SEED_ITEMS, count=22, title="Mosul offensive")
    out = [Variant("seed", SEED.read_bytes(), _expected(PARAGRAPHS, labels=[VIDEO_LABEL], **base))]

    text = compose(PARAGRAPHS, labels_at=seed_labels, **base)
    out.append(Variant("crlf_bom", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), _expected(PARAGRAPHS, labels=[VIDEO_LABEL], **base)))
    out.append(Variant("cr_only", text.replace("\n", "\r").encode(), _expected(PARAGRAPHS, labels=[VIDEO_LABEL], **base)))
    spaced = "\n".join(line.replace(" of ", " of\u00a0") + "   " for line in text.split("\n"))
    out.append(Variant("nbsp_trailing_spaces", spaced.encode(), _expected(PARAGRAPHS, labels=[VIDEO_LABEL], **base)))

    truncated = dict(base, items=SEED_ITEMS[:9])
    out.append(Variant("truncated_gallery", compose(PARAGRAPHS, labels_at=seed_labels, **truncated).encode(), _expected(PARAGRAPHS, labels=[VIDEO_LABEL], **truncated)))

    first = dict(base, gallery_at=0)
    out.append(Variant("gallery_first", compose(PARAGRAPHS, labels_at=seed_labels, **first).encode(), _expected(PARAGRAPHS, labels=[VIDEO_LABEL], **first)))

    last = dict(base, gallery_at=len(PARAGRAPHS))
    out.append(Variant("gallery_last", compose(PARAGRAPHS, labels_at=seed_labels, **last).encode(), _expected(PARAGRAPHS, labels=[VIDEO_LABEL], **last)))

    two_labels = {6: VIDEO_LABEL, 3: "Watch: Iraqi forces advance into eastern Mosul"}
    out.append(Variant("two_video_labels", compose(PARAGRAPHS, labels_at=two_labels, **base).encode(), _expected(PARAGRAPHS, labels=[two_labels[3], VIDEO_LABEL], **base)))

    out.append(Variant("no_bio", compose(PARAGRAPHS, labels_at=seed_labels, bio=None, **base).encode(), _expected(PARAGRAPHS, labels=[VIDEO_LABEL], bio=None, **base)))

    other_items = [
        (1, "Villagers wade through floodwater in Sindh province", "AFP/Getty Images"),
        (2, "A family shelters on a raft made of plastic drums", "EPA"),
        (3, "Soldiers distribute food parcels near Sukkur", "AP Photo"),
        (4, "A child is carried to safety", None),
        (5, "Rescue workers use a boat to reach stranded residents", "Rex Features"),
        (6, "Cattle stand on a submerged road", "Reuters/Akhtar Soomro"),
        (7, "A man looks at his destroyed house", "Alamy"),
    ]
    other = dict(gallery_at=4, items=other_items, count=9, title="Floods in Pakistan")
    out.append(Variant("other_gallery", compose(PARAGRAPHS, labels_at=seed_labels, **other).encode(), _expected(PARAGRAPHS, labels=[VIDEO_LABEL], **other)))

    no_header = dict(base, header=False)
    out.append(Variant("no_header", compose(PARAGRAPHS, labels_at=seed_labels, **no_header).encode(), _expected(PARAGRAPHS, labels=[VIDEO_LABEL], **no_header)))
    return out
