"""The larger editions of the benchmark parse like real editions: meetings renumbered, dates increasing."""

from __future__ import annotations

import pytest

from pipeline import DEFAULT_SOURCE
from pipeline.stages.extract import extract
from pipeline.stages.parse import parse
from pipeline.stages.tabulate import tabulate
from pipeline.stages.validate import check_meetings
from pipeline.tools.edition import repeated_edition, written_dates


def test_the_edition_repeated_once_is_the_source_itself():
    text = DEFAULT_SOURCE.read_text(encoding="utf-8")
    assert repeated_edition(text, 1) == text


def test_an_edition_eight_times_larger_has_forty_meetings_in_order_with_their_own_headings_and_dates(tmp_path):
    text = DEFAULT_SOURCE.read_text(encoding="utf-8")
    path = tmp_path / "x8.md"
    path.write_text(repeated_edition(text, 8), encoding="utf-8")
    tables = tabulate(parse(extract(path)))
    once = tabulate(parse(extract(DEFAULT_SOURCE)))
    meetings = tables.meetings
    assert meetings["meeting"].tolist() == list(range(1, 41))
    check_meetings(meetings)  # numbered in order, each starting after the one before, years of their dates
    assert meetings["name"].tolist()[5:7] == ["Шестое совещание", "Седьмое совещание"]
    assert meetings["meeting_start"].tolist()[5].isoformat() == "2019-01-30"
    assert meetings["year"].tolist()[-1] == 2025
    assert len(tables.recommendations) == 8 * len(once.recommendations)
    assert tables.recommendations["id"].tolist()[-1] == f"40.{once.recommendations['id'].tolist()[-1].split('.', 1)[1]}"


def test_dates_are_written_in_the_forms_headings_use():
    import datetime as dt

    day = dt.date(2019, 7, 4)
    assert written_dates(day, day) == "4 июля 2019 года"
    assert written_dates(day, dt.date(2019, 7, 5)) == "4–5 июля 2019 года"
    assert written_dates(dt.date(2019, 5, 30), dt.date(2019, 6, 1)) == "30 мая — 1 июня 2019 года"
    assert written_dates(dt.date(2019, 12, 30), dt.date(2020, 1, 2)) == "30 декабря 2019 года — 2 января 2020 года"


def test_a_number_of_repetitions_below_one_is_refused():
    with pytest.raises(ValueError, match="^expected a positive number of repetitions, found 0$"):
        repeated_edition(DEFAULT_SOURCE.read_text(encoding="utf-8"), 0)
