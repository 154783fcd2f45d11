"""A larger edition for the benchmark: the source's meetings repeated, each repetition with its own heading and dates.

`python -m pipeline.tools.edition --times 40 OUT.md` writes the committed text with its meetings repeated 40 times:
the front matter once, then the meetings in their order, again and again. Every meeting gets the heading of its new
number («VI. Шестое совещание, Вена, 30 января — 1 февраля 2019 года»), its place as written, and new dates: each
repetition after the first takes the next calendar year, its meetings spread over the months, each lasting as long
as the meeting it repeats. The result parses like a real edition of that many meetings: numbers in order, dates
increasing, every body line in one heading or row.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import sys
from pathlib import Path

from pipeline.numerals import int_to_roman
from pipeline.stages.headings import MONTHS_GENITIVE, HeadingError, is_heading, meeting_name, parse_heading

MONTHS = tuple(MONTHS_GENITIVE)  # «января» … «декабря»


def meeting_blocks(text: str) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The lines before the first meeting heading, and each meeting as (heading line, the lines after it)."""
    front: list[str] = []
    meetings: list[tuple[str, list[str]]] = []
    for line in text.split("\n"):
        if is_heading(line):
            try:
                parse_heading(line)
            except HeadingError:
                pass
            else:
                meetings.append((line, []))
                continue
        (meetings[-1][1] if meetings else front).append(line)
    if not meetings:
        raise ValueError("expected at least one meeting heading in the source, found none")
    return front, meetings


def repeated_edition(text: str, times: int) -> str:
    """`text` with its meetings repeated `times` times and renumbered; once, it is `text` itself."""
    if times < 1:
        raise ValueError(f"expected a positive number of repetitions, found {times}")
    front, meetings = meeting_blocks(text)
    headings = [parse_heading(line) for line, _ in meetings]
    # Between the last meeting of one repetition and the first of the next: the blank lines before the last heading.
    separator = _trailing_blanks(meetings[-2][1]) if len(meetings) > 1 else [""]
    lines = list(front)
    number = 0
    previous_end = headings[-1].end
    for repetition in range(times):
        for index, ((line, body), heading) in enumerate(zip(meetings, headings)):
            number += 1
            if repetition == 0:
                lines.append(line)  # the source's own headings, as written
            else:
                start, end = moved_dates(heading, index, len(meetings), headings[-1].end.year + repetition)
                if start <= previous_end:
                    raise ValueError(f"expected meeting {number} to start after {previous_end}, found {start}: "
                                     f"the source has too many meetings or too long ones for a year each")
                lines.append(f"{int_to_roman(number)}. {meeting_name(number)}, {heading.place}, "
                             f"{written_dates(start, end)}")
                previous_end = end
            lines.extend(body)
            if index == len(meetings) - 1 and repetition < times - 1:
                lines.extend(separator[len(_trailing_blanks(body)):])
    return "\n".join(lines)


def moved_dates(heading, index: int, count: int, year: int) -> tuple[dt.date, dt.date]:
    """The dates of the `index`-th of `count` meetings held in `year`: the meetings spread over the year's months,
    each starting on its own day of the month (or the month's last day) and lasting as long as it did."""
    month = 1 + 12 * index // count
    day = min(heading.start.day, calendar.monthrange(year, month)[1])
    start = dt.date(year, month, day)
    return start, start + (heading.end - heading.start)


def written_dates(start: dt.date, end: dt.date) -> str:
    """Dates as headings write them: «4 июля 2018 года», «11–13 ноября 2013 года», «30 мая — 1 июня 2012 года»,
    «30 декабря 2018 года — 2 января 2019 года»."""
    def month(date: dt.date) -> str:
        return MONTHS[date.month - 1]

    if start == end:
        return f"{end.day} {month(end)} {end.year} года"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {month(end)} {end.year} года"
    if start.year == end.year:
        return f"{start.day} {month(start)} — {end.day} {month(end)} {end.year} года"
    return f"{start.day} {month(start)} {start.year} года — {end.day} {month(end)} {end.year} года"


def _trailing_blanks(body: list[str]) -> list[str]:
    count = 0
    while count < len(body) and not body[len(body) - 1 - count].strip():
        count += 1
    return body[len(body) - count:]


def main(argv: list[str] | None = None) -> int:
    from pipeline import DEFAULT_SOURCE

    parser = argparse.ArgumentParser(prog="python -m pipeline.tools.edition", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="where to write the edition")
    parser.add_argument("--times", type=int, required=True, help="how many times to repeat the meetings")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args(argv)
    text = args.source.read_text(encoding="utf-8")
    args.out.write_text(repeated_edition(text, args.times), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
