"""Parse stage: turn numbered source lines into meetings, paragraphs and subparagraphs."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import SourceError, preview
from pipeline.stages.extract import Line, Source
from pipeline.stages.frontmatter import FrontMatter, parse_front_matter

MONTHS_GENITIVE = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
    "июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
# Cyrillic letters that look like Latin ones; the source writes "е)" once for "e)".
LATIN_LOOKALIKES = str.maketrans("асеорху", "aceopxy")

HEADING_START = re.compile(r"^\s*(?P<roman>[IVXLC]+)\.\s+(?P<rest>\S.*?)\s*$")
HEADING = re.compile(r"^(?P<name>\S+\s+совещание),\s*(?P<place>[^,]+?),\s*(?P<dates>.+?)\s+года\.?$")
DATE_RANGE = re.compile(
    r"^(?P<day1>\d{1,2})(?:\s+(?P<month1>\S+?))?(?:\s+(?P<year1>\d{4}))?\s*[-–—]\s*"
    r"(?P<day2>\d{1,2})\s+(?P<month2>\S+)\s+(?P<year2>\d{4})$"
)
SINGLE_DATE = re.compile(r"^(?P<day2>\d{1,2})\s+(?P<month2>\S+)\s+(?P<year2>\d{4})$")
PARAGRAPH = re.compile(r"^\s*(?P<number>\d+)\.\s+(?P<text>\S.*)$")
SUBPARAGRAPH = re.compile(r"^\s*(?:[-–—•]\s*)?(?P<letter>[^\W\d_])\)\s+(?P<text>\S.*)$")
ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

EXPECTED_LINE = (
    "expected a meeting heading ('I. Первое совещание, Вена, 30 мая — 1 июня 2012 года'), "
    "a numbered paragraph ('12. …'), a lettered subparagraph ('a) …') "
    "or a lower-case continuation of the unit before"
)


@dataclass
class Unit:
    """Text of a paragraph or subparagraph, gathered from one or more source lines."""

    parts: list[str]
    lines: list[int]
    page: int | None

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


@dataclass
class Subparagraph(Unit):
    letter: str = "a"


@dataclass
class Paragraph(Unit):
    number: int = 1
    subparagraphs: list[Subparagraph] = field(default_factory=list)


@dataclass
class Meeting:
    number: int
    roman: str
    name: str
    place: str
    start: dt.date
    end: dt.date
    heading_line: int
    heading_page: int | None
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Document:
    front_matter: FrontMatter
    meetings: list[Meeting]
    body_start: int

    def counts(self) -> tuple[int, int, int]:
        paragraphs = sum(len(m.paragraphs) for m in self.meetings)
        subparagraphs = sum(len(p.subparagraphs) for m in self.meetings for p in m.paragraphs)
        return len(self.meetings), paragraphs, subparagraphs


def parse(source: Source) -> Document:
    """Parse stage: split front matter from the body and build the document structure."""
    return parse_lines(source.lines, source.path)


def parse_lines(lines: tuple[Line, ...] | list[Line], path: Path | str = "<text>") -> Document:
    first = next((line for line in lines if HEADING_START.match(line.text)), None)
    if first is None:
        raise SourceError(
            path, "expected a meeting heading like 'I. Первое совещание, Вена, 30 мая — 1 июня 2012 года', found none"
        )
    front = [line for line in lines if line.number < first.number]
    body = [line for line in lines if line.number >= first.number]
    parser = _BodyParser(path)
    for line in body:
        parser.feed(line)
    return Document(parse_front_matter(front, path), parser.finish(), first.number)


class _BodyParser:
    def __init__(self, path: Path | str):
        self.path = path
        self.meetings: list[Meeting] = []

    def error(self, line: Line, message: str) -> SourceError:
        return SourceError(self.path, message, line=line.number)

    def feed(self, line: Line) -> None:
        text = line.text
        if not text.strip():
            return
        if HEADING_START.match(text):
            self.start_meeting(line)
        elif not self.meetings:
            raise self.error(line, f"{EXPECTED_LINE}, found {preview(text)}")
        elif match := PARAGRAPH.match(text):
            self.start_paragraph(line, int(match["number"]), match["text"])
        elif match := SUBPARAGRAPH.match(text):
            self.start_subparagraph(line, match["letter"], match["text"])
        elif text.lstrip()[0].islower():
            self.continue_unit(line)
        else:
            raise self.error(line, f"{EXPECTED_LINE}, found {preview(text)}")

    def start_meeting(self, line: Line) -> None:
        self.close_meeting()
        head = HEADING_START.match(line.text)
        number = roman_to_int(head["roman"])
        expected = len(self.meetings) + 1
        if number != expected:
            raise self.error(line, f"expected the heading of meeting {int_to_roman(expected)}, found {head['roman']}")
        match = HEADING.match(head["rest"])
        if not match:
            raise self.error(
                line, f"expected a heading like 'I. Первое совещание, Вена, 30 мая — 1 июня 2012 года', found {preview(line.text)}"
            )
        start, end = self.parse_dates(line, match["dates"])
        if self.meetings and start <= self.meetings[-1].end:
            raise self.error(line, f"expected meeting {number} to start after {self.meetings[-1].end}, found {start}")
        self.meetings.append(
            Meeting(number, head["roman"], match["name"], match["place"].strip(), start, end, line.number, line.page)
        )

    def parse_dates(self, line: Line, dates: str) -> tuple[dt.date, dt.date]:
        match = DATE_RANGE.match(dates) or SINGLE_DATE.match(dates)
        if not match:
            raise self.error(line, f"expected a date range like '11–13 ноября 2013', found {preview(dates)}")
        parts = match.groupdict()
        month2 = self.month(line, parts["month2"])
        year2 = int(parts["year2"])
        month1 = self.month(line, parts["month1"]) if parts.get("month1") else month2
        year1 = int(parts["year1"]) if parts.get("year1") else year2
        day1 = int(parts.get("day1") or parts["day2"])
        try:
            start = dt.date(year1, month1, day1)
            end = dt.date(year2, month2, int(parts["day2"]))
        except ValueError as exc:
            raise self.error(line, f"expected real calendar dates, found {preview(dates)} ({exc})") from exc
        if start > end:
            raise self.error(line, f"expected the first day on or before the last, found {start} after {end}")
        return start, end

    def month(self, line: Line, name: str) -> int:
        if name.lower() not in MONTHS_GENITIVE:
            known = ", ".join(MONTHS_GENITIVE)
            raise self.error(line, f"expected a Russian month name in the genitive ({known}), found {name!r}")
        return MONTHS_GENITIVE[name.lower()]

    def start_paragraph(self, line: Line, number: int, text: str) -> None:
        meeting = self.meetings[-1]
        expected = len(meeting.paragraphs) + 1
        if number != expected:
            found = f"{number} again" if number < expected else str(number)
            raise self.error(line, f"expected paragraph {expected} of meeting {meeting.roman}, found {found}")
        meeting.paragraphs.append(Paragraph([text], [line.number], line.page, number=number))

    def start_subparagraph(self, line: Line, raw_letter: str, text: str) -> None:
        meeting = self.meetings[-1]
        if not meeting.paragraphs:
            raise self.error(line, f"expected a numbered paragraph before subparagraph {raw_letter})")
        paragraph = meeting.paragraphs[-1]
        letter = raw_letter.lower().translate(LATIN_LOOKALIKES)
        expected = chr(ord("a") + len(paragraph.subparagraphs))
        if letter != expected:
            found = f"{raw_letter}) again" if "a" <= letter < expected else f"{raw_letter})"
            raise self.error(
                line, f"expected subparagraph {expected}) of paragraph {meeting.roman}.{paragraph.number}, found {found}"
            )
        paragraph.subparagraphs.append(Subparagraph([text], [line.number], line.page, letter=letter))

    def continue_unit(self, line: Line) -> None:
        meeting = self.meetings[-1]
        if not meeting.paragraphs:
            raise self.error(line, f"{EXPECTED_LINE}, found {preview(line.text)} before any paragraph of meeting {meeting.roman}")
        paragraph = meeting.paragraphs[-1]
        unit: Unit = paragraph.subparagraphs[-1] if paragraph.subparagraphs else paragraph
        unit.parts.append(line.text)
        unit.lines.append(line.number)

    def close_meeting(self) -> None:
        if self.meetings and not self.meetings[-1].paragraphs:
            meeting = self.meetings[-1]
            raise SourceError(
                self.path, f"expected numbered paragraphs after the heading of meeting {meeting.roman}, found none",
                line=meeting.heading_line,
            )

    def finish(self) -> list[Meeting]:
        self.close_meeting()
        return self.meetings


def roman_to_int(roman: str) -> int:
    if not ROMAN.match(roman):
        return 0
    total = 0
    for symbol, following in zip(roman, roman[1:] + " "):
        value = ROMAN_VALUES[symbol]
        total += -value if following != " " and ROMAN_VALUES[following] > value else value
    return total


def int_to_roman(number: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for value, symbol in numerals:
        count, number = divmod(number, value)
        out.append(symbol * count)
    return "".join(out)
