"""Dates written out in text ("17 October 2016", "Oct. 17, 2016", "2016-10-17"), as
bylines and date lines state them, to ISO 8601. English month names; a numeric date
with slashes is left alone (17/10 and 10/17 cannot be told apart)."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec")),
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_FIRST = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE)
_MONTH_FIRST = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.IGNORECASE)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")


def text_date(text: str) -> str | None:
    """The first date the text writes out, as ``YYYY-MM-DD``, or None."""
    for pattern in (_ISO, _DAY_FIRST, _MONTH_FIRST):
        match = pattern.search(text)
        if match is None:
            continue
        month = match["month"]
        number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
        try:
            found = date(int(match["year"]), number, int(match["day"]))
        except ValueError:
            continue
        if 1900 <= found.year <= 2100:
            return found.isoformat()
    return None


#: A date line that gives when the article was changed, not when it came out ("Updated:
#: 4 Nov 2025", "Last modified …", "Aktualisiert am …"): its date is ``modified``.
_UPDATE = re.compile(
    r"^\W*(?:last\s+)?(?:updated|modified|edited|revised|aktualisiert|mis\s+à\s+jour|actualizado|atualizado|aggiornato|bijgewerkt)\b",
    re.IGNORECASE,
)


def is_update_line(text: str) -> bool:
    """Whether a date line states when the article was last changed (its first words say so)."""
    return _UPDATE.match(text) is not None
