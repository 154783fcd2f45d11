"""The columns of the charts: one per meeting while the meetings fit, else one per year, else one per period of years.

A chart with a column per meeting stays readable up to about twenty meetings. Past MOST_COLUMNS meetings the charts
group them: by year when the years fit, else by periods of 2, 5, 10, 20, 25, 50 or 100 years (the shortest that
fits, aligned on multiples of its length: 2015-2019), each labelled with the years of the meetings it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.numerals import int_to_roman

MOST_COLUMNS = 20
PERIOD_YEARS = (2, 5, 10, 20, 25, 50, 100)


@dataclass(frozen=True)
class Column:
    label: str  # «III» for a meeting, «2015» for a year, «2015–2019» for a period
    meetings: tuple[int, ...]  # the meetings it holds, in order

    @property
    def meeting_range(self) -> str:
        """The meetings it holds as Roman numerals: «III» or «XI–XV»."""
        first, last = int_to_roman(self.meetings[0]), int_to_roman(self.meetings[-1])
        return first if first == last else f"{first}–{last}"


@dataclass(frozen=True)
class Columns:
    unit: str  # what one column holds: "meeting", "year" or "period of 5 years"
    columns: tuple[Column, ...]

    @property
    def grouped(self) -> bool:
        return self.unit != "meeting"

    def index_of(self) -> dict[int, int]:
        """The column of each meeting."""
        return {meeting: i for i, column in enumerate(self.columns) for meeting in column.meetings}


def meeting_columns(years: dict[int, int], most: int = MOST_COLUMNS) -> Columns:
    """The columns for meetings given as {meeting: year}: one per meeting up to `most` meetings, else one per year
    up to `most` years, else one per period of the shortest length in PERIOD_YEARS that gives at most `most`."""
    meetings = sorted(years)
    if len(meetings) <= most:
        return Columns("meeting", tuple(Column(int_to_roman(m), (m,)) for m in meetings))
    for length in (1, *PERIOD_YEARS):
        bins: dict[int, list[int]] = {}
        for meeting in meetings:
            bins.setdefault(years[meeting] // length, []).append(meeting)
        if len(bins) <= most or length == PERIOD_YEARS[-1]:
            unit = "year" if length == 1 else f"period of {length} years"
            return Columns(unit, tuple(Column(_years_label([years[m] for m in held]), tuple(held))
                                       for _, held in sorted(bins.items())))
    raise AssertionError("unreachable: the last period length always returns")


def _years_label(years: list[int]) -> str:
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"
