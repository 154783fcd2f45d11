"""Parse stage: turn numbered source lines into meetings, paragraphs and subparagraphs."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import SourceError, preview
from pipeline.numerals import int_to_roman
from pipeline.stages.extract import Line, Source
from pipeline.stages.frontmatter import FrontMatter, parse_front_matter
from pipeline.stages.headings import Heading, HeadingError, is_heading, parse_heading
from pipeline.stages.markdown import undecorate

# Cyrillic letters that look like Latin ones; the source writes "е)" once for "e)".
LATIN_LOOKALIKES = str.maketrans("асеорху", "aceopxy")

PARAGRAPH = re.compile(r"^\s*(?P<number>\d+)\.\s+(?P<text>\S.*)$")
SUBPARAGRAPH = re.compile(r"^\s*(?:[-–—•]\s*)?(?P<letter>[^\W\d_])\)\s+(?P<text>\S.*)$")

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
    plain = [Line(line.number, undecorate(line.text), line.page) for line in lines]  # front matter keeps its **
    first = next((line for line in plain if is_heading(line.text)), None)
    if first is None:
        raise SourceError(
            path, "expected a meeting heading like 'I. Первое совещание, Вена, 30 мая — 1 июня 2012 года', found none"
        )
    front = [line for line in lines if line.number < first.number]
    body = [line for line in plain if line.number >= first.number]
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
        if is_heading(text):
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
        heading = self.read_heading(line)
        expected = len(self.meetings) + 1
        if heading.number != expected:
            raise self.error(line, f"expected the heading of meeting {int_to_roman(expected)}, found {heading.roman}")
        previous_end = self.meetings[-1].end if self.meetings else None
        if previous_end is not None and heading.start <= previous_end:
            raise self.error(line, f"expected meeting {heading.number} to start after {previous_end}, found {heading.start}")
        self.meetings.append(Meeting(heading.number, heading.roman, heading.name, heading.place, heading.start,
                                     heading.end, line.number, line.page))

    def read_heading(self, line: Line) -> Heading:
        """The one place where a heading line meets the heading grammar."""
        try:
            return parse_heading(line.text)
        except HeadingError as exc:
            raise self.error(line, str(exc)) from None

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
