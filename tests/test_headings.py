"""The heading grammar: every date and heading form of Russian UN documents, and what it refuses."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages.headings import (
    DATE_FORMS,
    HEADING_FORMS,
    HeadingError,
    is_heading,
    meeting_name,
    ordinal_name,
    ordinal_value,
    parse_dates,
    parse_heading,
)
from tests.heading_forms import heading_text

D = dt.date
NBSP, NNBSP = "\u00a0", "\u202f"

# Each form with the first and last day it stands for.
DATE_CASES = {
    "one day": ("4 июля 2018 года", D(2018, 7, 4), D(2018, 7, 4)),
    "two days joined by и": ("4 и 5 июля 2018 года", D(2018, 7, 4), D(2018, 7, 5)),
    "two days joined by и across months": ("30 июня и 1 июля 2018 года", D(2018, 6, 30), D(2018, 7, 1)),
    "range in one month, en dash": ("11–13 ноября 2013 года", D(2013, 11, 11), D(2013, 11, 13)),
    "range in one month, hyphen": ("11-13 ноября 2013 года", D(2013, 11, 11), D(2013, 11, 13)),
    "range in one month, spaced em dash": ("11 — 13 ноября 2013 года", D(2013, 11, 11), D(2013, 11, 13)),
    "range across months, spaced em dash": ("30 мая — 1 июня 2012 года", D(2012, 5, 30), D(2012, 6, 1)),
    "range across months, spaced en dash": ("30 мая – 1 июня 2012 года", D(2012, 5, 30), D(2012, 6, 1)),
    "range across months, unspaced em dash": ("30 мая—1 июня 2012 года", D(2012, 5, 30), D(2012, 6, 1)),
    "range across months, spaced hyphen": ("30 мая - 1 июня 2012 года", D(2012, 5, 30), D(2012, 6, 1)),
    "range across months, month repeated": ("11 ноября — 13 ноября 2013 года", D(2013, 11, 11), D(2013, 11, 13)),
    "range across years": ("30 декабря 2018 года — 2 января 2019 года", D(2018, 12, 30), D(2019, 1, 2)),
    "range across years, year word once": ("30 декабря 2018 — 2 января 2019 года", D(2018, 12, 30), D(2019, 1, 2)),
    "range across years with г.": ("30 декабря 2018 г. – 2 января 2019 г.", D(2018, 12, 30), D(2019, 1, 2)),
    "each side with its year in one year": ("30 мая 2012 года — 1 июня 2012 года", D(2012, 5, 30), D(2012, 6, 1)),
    "г. for года": ("30 мая – 1 июня 2012 г.", D(2012, 5, 30), D(2012, 6, 1)),
    "г. without a space": ("4 июля 2018г.", D(2018, 7, 4), D(2018, 7, 4)),
    "non-breaking spaces": (f"30{NBSP}мая{NBSP}—{NBSP}1{NBSP}июня 2012{NNBSP}г.", D(2012, 5, 30), D(2012, 6, 1)),
    "capitalised month": ("4 Июля 2018 года", D(2018, 7, 4), D(2018, 7, 4)),
    "leap day": ("28 февраля — 1 марта 2024 года", D(2024, 2, 28), D(2024, 3, 1)),
}


@pytest.mark.parametrize("case", sorted(DATE_CASES))
def test_every_date_form_gives_its_first_and_last_day(case):
    text, start, end = DATE_CASES[case]
    assert parse_dates(text) == (start, end)


HEADING_CASES = {
    "after a comma": "V. Пятое совещание, Вена, 4 и 5 июля 2018 года",
    "after a comma, final full stop": "V. Пятое совещание, Вена, 4 и 5 июля 2018 года.",
    "in parentheses": "V. Пятое совещание (Вена, 4 и 5 июля 2018 года)",
    "in parentheses, final full stop": "V. Пятое совещание (Вена, 4 и 5 июля 2018 г.).",
    "non-breaking spaces": f"V.{NBSP}Пятое{NBSP}совещание,{NBSP}Вена, 4{NBSP}и{NBSP}5 июля 2018{NBSP}года",
    "runs of spaces and a tab": "V.  Пятое совещание,\tВена,  4 и 5 июля 2018 года ",
}


@pytest.mark.parametrize("case", sorted(HEADING_CASES))
def test_place_and_dates_after_a_comma_or_in_parentheses(case):
    heading = parse_heading(HEADING_CASES[case])
    assert (heading.roman, heading.number, heading.name, heading.place) == ("V", 5, "Пятое совещание", "Вена")
    assert (heading.start, heading.end) == (D(2018, 7, 4), D(2018, 7, 5))


def test_place_of_several_words_or_with_a_comma_is_kept_as_written():
    assert parse_heading("I. Первое совещание, Буэнос-Айрес, 4 июля 2018 года").place == "Буэнос-Айрес"
    assert parse_heading("I. Первое совещание (Вена, Австрия, 4 июля 2018 года)").place == "Вена, Австрия"


def test_the_five_headings_of_the_committed_source_parse_as_before():
    headings = [
        ("I. Первое совещание, Вена, 30 мая — 1 июня 2012 года", D(2012, 5, 30), D(2012, 6, 1)),
        ("II. Второе совещание, Вена, 11–13 ноября 2013 года", D(2013, 11, 11), D(2013, 11, 13)),
        ("III. Третье совещание, Вена, 18–20 ноября 2015 года", D(2015, 11, 18), D(2015, 11, 20)),
        ("IV. Четвертое совещание, Вена, 11–13 сентября 2017 года", D(2017, 9, 11), D(2017, 9, 13)),
        ("V. Пятое совещание, Вена, 4–5 июля 2018 года", D(2018, 7, 4), D(2018, 7, 5)),
    ]
    for number, (text, start, end) in enumerate(headings, start=1):
        heading = parse_heading(text)
        assert (heading.number, heading.place, heading.start, heading.end) == (number, "Вена", start, end)


ORDINAL_NAMES = {
    1: "первое", 2: "второе", 3: "третье", 4: "четвертое", 5: "пятое", 6: "шестое", 7: "седьмое", 8: "восьмое",
    9: "девятое", 10: "десятое", 11: "одиннадцатое", 12: "двенадцатое", 13: "тринадцатое", 19: "девятнадцатое",
    20: "двадцатое", 21: "двадцать первое", 22: "двадцать второе", 30: "тридцатое", 33: "тридцать третье",
    40: "сороковое", 44: "сорок четвертое", 50: "пятидесятое", 90: "девяностое", 99: "девяносто девятое",
    100: "сотое", 101: "сто первое", 110: "сто десятое", 112: "сто двенадцатое", 120: "сто двадцатое",
    121: "сто двадцать первое", 200: "двухсотое", 300: "трехсотое", 999: "девятьсот девяносто девятое",
}


@pytest.mark.parametrize("number", sorted(ORDINAL_NAMES))
def test_ordinal_names_of_any_meeting_number(number):
    assert ordinal_name(number) == ORDINAL_NAMES[number]
    assert ordinal_value(ORDINAL_NAMES[number].split()) == number


@pytest.mark.parametrize("roman, name", [
    ("VI", "Шестое"), ("XII", "Двенадцатое"), ("XX", "Двадцатое"), ("XXI", "Двадцать первое"),
    ("XL", "Сороковое"), ("CI", "Сто первое"), ("IV", "Четвёртое"),
])
def test_heading_with_a_later_ordinal_name(roman, name):
    heading = parse_heading(f"{roman}. {name} совещание (Вена, 4 и 5 июля 2030 г.)")
    assert heading.name == f"{name} совещание"
    assert heading.number == ordinal_value(name.lower().replace("ё", "е").split())


@pytest.mark.parametrize("words", ["двадцать десятое", "первое двадцать", "сто сто первое", "двадцать",
                                   "двадцатьпервое", "сорок сороковое", ""])
def test_words_that_are_no_ordinal_numeral(words):
    assert ordinal_value(words.split()) is None


def test_every_number_from_1_to_999_reads_back_from_its_name():
    assert [ordinal_value(ordinal_name(n).split()) for n in range(1, 1000)] == list(range(1, 1000))


# --- what is refused -------------------------------------------------------------------------------------------


def heading_error(text: str) -> str:
    with pytest.raises(HeadingError) as error:
        parse_heading(text)
    return str(error.value)


def test_31_june_is_refused():
    assert heading_error("V. Пятое совещание, Вена, 31 июня 2018 года") == (
        "expected real calendar dates, found '31 июня 2018 года' (day is out of range for month)"
    )


def test_29_february_of_a_common_year_is_refused():
    assert heading_error("V. Пятое совещание, Вена, 28 февраля — 29 февраля 2019 года").startswith(
        "expected real calendar dates, found '28 февраля — 29 февраля 2019 года'"
    )


def test_end_before_start_is_refused():
    assert heading_error("V. Пятое совещание, Вена, 13–11 ноября 2013 года") == (
        "expected the first day before the last, found 2013-11-13 to 2013-11-11 in '13–11 ноября 2013 года'"
    )


def test_two_days_that_are_the_same_day_are_refused():
    assert heading_error("V. Пятое совещание, Вена, 4 и 4 июля 2018 года").startswith(
        "expected the first day before the last, found 2018-07-04 to 2018-07-04"
    )


def test_range_across_the_new_year_without_the_first_year_is_refused_with_a_hint():
    assert heading_error("V. Пятое совещание, Вена, 30 декабря — 2 января 2019 года") == (
        "expected the first day before the last, found 2019-12-30 to 2019-01-02 in '30 декабря — 2 января 2019 "
        "года' (across a new year each side gives its year)"
    )


def test_unknown_month_is_refused():
    assert heading_error("V. Пятое совещание, Вена, 4 июлля 2018 года").endswith("found 'июлля'")


def test_ordinal_that_disagrees_with_the_roman_numeral_is_refused():
    assert heading_error("VI. Седьмое совещание (Вена, 4 июля 2019 года)") == (
        "expected the name of meeting VI, 'Шестое совещание', found 'Седьмое совещание'"
    )


def test_name_without_an_ordinal_is_refused():
    assert heading_error("VI. Совещание экспертов, Вена, 4 июля 2019 года") == (
        "expected the name of meeting VI, 'Шестое совещание', found 'Совещание экспертов'"
    )


def test_invalid_roman_numeral_is_refused():
    message = heading_error("IIII. Четвертое совещание, Вена, 4 июля 2019 года")
    assert message == "expected a Roman numeral, found 'IIII'"


@pytest.mark.parametrize("dates", [
    "4 июля 2018",  # no year word
    "4 июля",  # no year
    "4, 5 июля 2018 года",  # days joined by a comma
    "4 и 5 и 6 июля 2018 года",  # three days
    "4 – – 5 июля 2018 года",  # two dashes
    "4 июля 18 года",  # two-digit year
])
def test_other_date_wordings_are_refused_with_the_accepted_forms(dates):
    assert heading_error(f"V. Пятое совещание, Вена, {dates}") == f"expected {DATE_FORMS}, found {dates!r}"


@pytest.mark.parametrize("text", [
    "V. Пятое совещание в Вене 4 июля 2018 года",  # no commas
    "V. Пятое совещание, 4 июля 2018 года",  # no place
    "V. Пятое совещание (Вена, 4 июля 2018 года",  # unclosed parenthesis
    "V. Пятое совещание (Вена), 4 июля 2018 года",  # only the place in parentheses
    "V. Пятое совещание, Вена, июль 2018 года",  # no day
    "V. Пятое совещание, Вена, с 4 по 5 июля 2018 года",  # from … to
])
def test_other_heading_shapes_are_refused_with_the_accepted_forms(text):
    message = heading_error(text)
    assert message.startswith(f"expected {HEADING_FORMS} with {DATE_FORMS}, found ")
    assert "'I. Первое совещание, Вена, 30 мая — 1 июня 2012 года'" in message
    assert "'VI. Шестое совещание (Вена, 4 и 5 июля 2019 г.)'" in message


def test_a_heading_opens_with_a_roman_numeral_and_a_full_stop():
    assert is_heading("XXI. Двадцать первое совещание (Вена, 4 июля 2030 года)")
    assert is_heading(f"VI.{NBSP}Шестое совещание")
    assert not is_heading("1. Государствам следует")
    assert not is_heading("Вена, 4 июля 2018 года")


# --- property: headings written from random dates --------------------------------------------------------------

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 1))


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.data(), st.integers(1, 999), dates, st.integers(0, 60))
def test_a_heading_written_from_random_dates_in_any_form_reads_back_to_those_dates(data, number, start, days):
    end = start + dt.timedelta(days=days)
    text = data.draw(heading_text(number, start, end))
    heading = parse_heading(text)
    assert (heading.number, heading.start, heading.end) == (number, start, end), text
    assert heading.name == meeting_name(number)


@settings(max_examples=200, deadline=None)
@given(st.data(), dates, st.integers(1, 60))
def test_a_heading_written_with_its_days_in_reverse_order_is_refused(data, start, days):
    end = start + dt.timedelta(days=days)
    text = data.draw(heading_text(1, end, start))  # the later day written first
    with pytest.raises(HeadingError, match=f"expected the first day before the last, found {end} to {start}"):
        parse_heading(text)
