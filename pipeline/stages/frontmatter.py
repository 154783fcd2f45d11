"""Front matter of a UN document (masthead, distribution block, title) read as metadata."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.errors import SourceError
from pipeline.stages.extract import Line
from pipeline.stages.headings import DATES

ENGLISH_MONTHS = {
    name: number
    for number, name in enumerate(
        ["January", "February", "March", "April", "May", "June", "July",
         "August", "September", "October", "November", "December"], start=1)
}
# Document symbols are Latin; the Russian text sometimes types their letters in Cyrillic.
CYRILLIC_TO_LATIN = str.maketrans("АВСЕНКМОРТХ", "ABCEHKMOPTX")

BOLD = re.compile(r"^\*\*(?P<text>.*?)\*\*$", re.S)
DISTRIBUTION = re.compile(r"^Distr\.:\s*(?P<value>\S.*)$")
ENGLISH_DATE = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[A-Z][a-z]+)\s+(?P<year>\d{4})$")
ORIGINAL = re.compile(r"^Original:\s*(?P<value>\S.*)$")
AGENDA_ITEM = re.compile(r"^Пункт\s+(?P<item>\d+)\s+(?:предварительной\s+)?повестки\s+дня\*?$")
FOOTNOTE = re.compile(r"^\*\s+\[?(?P<symbol>[^\]\s]+?)\]?(?:\([^)]*\))?\.?$")
SESSION = re.compile(rf"^(?P<place>[^,\d]+), (?P<dates>{DATES})$", re.IGNORECASE)


@dataclass
class FrontMatter:
    """Metadata found before the first meeting heading; fields the text lacks stay None."""

    issuing_body: str | None = None
    distribution: str | None = None
    date: dt.date | None = None
    language: str | None = None
    original_language: str | None = None
    working_group: str | None = None
    session: str | None = None
    agenda_item: int | None = None
    agenda_title: str | None = None
    title: str | None = None
    subtitle: str | None = None
    summary: str | None = None
    agenda_symbol: str | None = None
    other: list[str] = field(default_factory=list)

    def as_metadata(self) -> dict:
        """Non-empty fields, JSON-ready."""
        data = asdict(self)
        if self.date:
            data["date"] = self.date.isoformat()
        return {key: value for key, value in data.items() if value not in (None, [])}


def parse_front_matter(lines: list[Line], path: Path | str = "<text>") -> FrontMatter:
    """Read metadata from the blocks (runs of non-blank lines) before the first meeting heading."""
    front = FrontMatter()
    bold_slots = ["issuing_body", "working_group", "title"]
    after: str | None = None
    for block, first_line in _blocks(lines):
        joined = " ".join(block)
        if bold := BOLD.match(joined):
            slot = bold_slots.pop(0) if bold_slots else "other"
            _store(front, slot, " ".join(bold["text"].split()))
            after = slot
        elif DISTRIBUTION.match(block[0]):
            _read_distribution(front, block, path, first_line)
            after = None
        elif match := AGENDA_ITEM.match(joined):
            front.agenda_item = int(match["item"])
            after = "agenda_item"
        elif match := FOOTNOTE.match(joined):
            front.agenda_symbol = match["symbol"].translate(CYRILLIC_TO_LATIN)
            after = None
        elif SESSION.match(" ".join(joined.split())) and front.session is None:
            front.session = joined
            after = None
        elif after == "agenda_item" and front.agenda_title is None:
            front.agenda_title = joined
            after = None
        elif after == "title" and front.subtitle is None:
            front.subtitle = joined
            after = "subtitle"
        elif after == "subtitle" and front.summary is None:
            front.summary = joined
            after = None
        else:
            front.other.append(joined)
    return front


def _store(front: FrontMatter, slot: str, value: str) -> None:
    if slot == "other":
        front.other.append(value)
    else:
        setattr(front, slot, value)


def _blocks(lines: list[Line]):
    block: list[str] = []
    first_line = 0
    for line in lines:
        if line.text.strip():
            if not block:
                first_line = line.number
            block.append(line.text.strip())
        elif block:
            yield block, first_line
            block = []
    if block:
        yield block, first_line


def _read_distribution(front: FrontMatter, block: list[str], path: Path | str, first_line: int) -> None:
    for offset, text in enumerate(block):
        if match := DISTRIBUTION.match(text):
            front.distribution = match["value"]
        elif match := ENGLISH_DATE.match(text):
            month = ENGLISH_MONTHS.get(match["month"])
            if month is None:
                raise SourceError(path, f"expected an English month name in the date, found {match['month']!r}",
                                  line=first_line + offset)
            front.date = dt.date(int(match["year"]), month, int(match["day"]))
        elif match := ORIGINAL.match(text):
            front.original_language = match["value"]
        elif front.language is None:
            front.language = text
        else:
            front.other.append(text)
