"""Hypothesis strategies that write a meeting heading for given dates in any of the forms Russian UN documents use."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from pipeline.numerals import int_to_roman
from pipeline.stages.headings import MONTHS_GENITIVE, meeting_name

MONTH_NAMES = {number: name for name, number in MONTHS_GENITIVE.items()}
PLACES = ["Вена", "Нью-Йорк", "Женева", "Дакар", "Буэнос-Айрес"]
SPACES = [" ", "\u00a0", "\u202f"]  # space, non-breaking space, narrow non-breaking space
DASHES = ["-", "–", "—"]
YEAR_WORDS = ["года", "г."]


@st.composite
def space(draw) -> str:
    return draw(st.sampled_from(SPACES))


@st.composite
def date_words(draw, date: dt.date, with_month: bool, with_year: bool) -> str:
    """'30', '30 мая' or '30 мая 2012 года', with any kind of space."""
    text = str(date.day)
    if with_month:
        text += draw(space()) + MONTH_NAMES[date.month]
    if with_year:
        text += draw(space()) + str(date.year)
        text += draw(space()) + draw(st.sampled_from(YEAR_WORDS))
    return text


@st.composite
def dates_text(draw, start: dt.date, end: dt.date) -> str:
    """One day, two days joined by «и», or a range with a dash; the first side names only what differs, or more."""
    last = draw(date_words(end, with_month=True, with_year=True))
    if start == end:
        return last
    year_differs = start.year != end.year
    month_differs = year_differs or start.month != end.month
    with_year = year_differs or draw(st.booleans())
    first = draw(date_words(start, with_month=month_differs or with_year or draw(st.booleans()), with_year=with_year))
    if draw(st.booleans()):
        joiner = f"{draw(space())}и{draw(space())}"
    else:
        joiner = draw(st.sampled_from(["", " ", "\u00a0"])) + draw(st.sampled_from(DASHES))
        joiner += draw(st.sampled_from(["", " "]))
    return first + joiner + last


@st.composite
def heading_text(draw, number: int, start: dt.date, end: dt.date, place: str | None = None) -> str:
    """'I. Первое совещание, Вена, DATES' or 'I. Первое совещание (Вена, DATES)', sometimes with a final stop."""
    place = place or draw(st.sampled_from(PLACES))
    name = meeting_name(number).replace(" ", draw(space()))
    dates = draw(dates_text(start, end))
    if draw(st.booleans()):
        text = f"{name} ({place}, {dates})"
    else:
        text = f"{name}, {place}, {dates}"
    if not text.endswith(".") and draw(st.booleans()):
        text += "."
    return f"{int_to_roman(number)}.{draw(space())}{text}"
