import datetime as dt

import pytest

from pipeline.errors import SourceError
from pipeline.numerals import int_to_roman, roman_to_int
from pipeline.stages.extract import Line
from pipeline.stages.headings import DATE_FORMS, HEADING_FORMS
from pipeline.stages.parse import parse_lines
from tests.conftest import MINI_DOCUMENT

HEADING_1 = "I. Первое совещание, Вена, 30 мая — 1 июня 2012 года"
HEADING_2 = "II. Второе совещание, Вена, 11–13 ноября 2013 года"


def lines_of(text: str) -> list[Line]:
    return [Line(number, content) for number, content in enumerate(text.split("\n"), start=1)]


def parse_text(text: str):
    return parse_lines(lines_of(text), "doc.md")


def parse_error(text: str) -> str:
    with pytest.raises(SourceError) as error:
        parse_text(text)
    return str(error.value)


def test_mini_document_gives_meetings_paragraphs_and_subparagraphs():
    document = parse_text(MINI_DOCUMENT)
    assert document.counts() == (2, 3, 3)
    first, second = document.meetings
    assert (first.roman, first.name, first.place) == ("I", "Первое совещание", "Вена")
    assert [p.number for p in first.paragraphs] == [1, 2]
    assert [s.letter for s in first.paragraphs[1].subparagraphs] == ["a", "b", "c"]
    assert second.paragraphs[0].text == "Секретариату следует делать другое."


def test_heading_date_range_across_two_months():
    meeting = parse_text(MINI_DOCUMENT).meetings[0]
    assert (meeting.start, meeting.end) == (dt.date(2012, 5, 30), dt.date(2012, 6, 1))


def test_heading_date_range_within_one_month():
    meeting = parse_text(MINI_DOCUMENT).meetings[1]
    assert (meeting.start, meeting.end) == (dt.date(2013, 11, 11), dt.date(2013, 11, 13))


def test_page_break_fragment_joins_the_unit_before_with_one_space():
    sub_b = parse_text(MINI_DOCUMENT).meetings[0].paragraphs[1].subparagraphs[1]
    assert sub_b.text == "второе, которое продолжается после разрыва страницы;"
    assert sub_b.lines == [8, 10]


def test_cyrillic_letter_that_looks_latin_is_read_as_latin():
    sub = parse_text(MINI_DOCUMENT).meetings[0].paragraphs[1].subparagraphs[2]
    assert "с)" in MINI_DOCUMENT  # Cyrillic es, the look-alike of Latin c
    assert (sub.letter, sub.text) == ("c", "третье.")


def test_cyrillic_e_stands_for_latin_e_when_it_is_the_expected_letter():
    text = f"{HEADING_1}\n1. Вступление:\na) один;\nb) два;\nc) три;\nd) четыре;\n\nе) пять."
    subs = parse_text(text).meetings[0].paragraphs[0].subparagraphs
    assert [s.letter for s in subs] == ["a", "b", "c", "d", "e"]
    assert subs[-1].text == "пять."


def test_markers_with_and_without_dash_are_both_subparagraphs():
    subs = parse_text(f"{HEADING_1}\n1. Вступление:\n - a) один;\nb) два.").meetings[0].paragraphs[0].subparagraphs
    assert [(s.letter, s.text) for s in subs] == [("a", "один;"), ("b", "два.")]


def test_runs_of_white_space_collapse_to_one_space():
    paragraph = parse_text(f"{HEADING_1}\n1.   Текст  с\tпробелами ").meetings[0].paragraphs[0]
    assert paragraph.text == "Текст с пробелами"


def test_front_matter_is_not_part_of_the_body():
    document = parse_text(MINI_DOCUMENT)
    assert document.body_start == 3
    assert document.front_matter.issuing_body == "Заголовок"


@pytest.mark.parametrize("session", [
    "Вена, 11–13 сентября 2019 года", "Вена, 4 и 5 июля 2030 г.", "Вена, 30 декабря 2030 года — 2 января 2031 года",
])
def test_front_matter_session_line_is_read_in_every_date_form(session):
    document = parse_text(f"**Заголовок**\n\n{session}\n\n{HEADING_1}\n1. А.")
    assert document.front_matter.session == session
    assert document.front_matter.other == []


def test_text_with_no_meeting_heading_is_rejected():
    assert parse_error("1. Текст.\n2. Ещё.") == (
        "doc.md: expected a meeting heading like 'I. Первое совещание, Вена, 30 мая — 1 июня 2012 года', found none"
    )


def test_unknown_month_name_is_rejected_with_its_line():
    message = parse_error("\nI. Первое совещание, Вена, 30 майя — 1 июня 2012 года\n1. Текст.")
    assert message.startswith("doc.md:2: expected a Russian month name in the genitive (января, февраля")
    assert message.endswith("found 'майя'")


def test_impossible_date_is_rejected():
    message = parse_error("I. Первое совещание, Вена, 30–31 июня 2012 года\n1. Текст.")
    assert message == ("doc.md:1: expected real calendar dates, found '30–31 июня 2012 года' "
                       "(day is out of range for month)")


def test_date_range_ending_before_it_starts_is_rejected():
    message = parse_error("I. Первое совещание, Вена, 13–11 ноября 2013 года\n1. Текст.")
    assert message == ("doc.md:1: expected the first day before the last, found 2013-11-13 to 2013-11-11 "
                       "in '13–11 ноября 2013 года'")


def test_malformed_heading_is_rejected_with_its_line_and_the_accepted_forms():
    message = parse_error("\nI. Первое совещание в Вене\n1. Текст.")
    assert message == f"doc.md:2: expected {HEADING_FORMS} with {DATE_FORMS}, found 'I. Первое совещание в Вене'"
    assert "'VI. Шестое совещание (Вена, 4 и 5 июля 2019 г.)'" in message
    assert "'30 декабря 2018 года — 2 января 2019 года'" in message
    assert "\n" not in message


def test_meetings_out_of_order_are_rejected():
    assert parse_error(f"{HEADING_2}\n1. Текст.") == "doc.md:1: expected the heading of meeting I, found II"


def test_meeting_that_starts_before_the_previous_one_ended_is_rejected():
    text = f"{HEADING_1}\n1. А.\nII. Второе совещание, Вена, 1 июня 2012 года\n1. Б."
    assert parse_error(text) == "doc.md:3: expected meeting 2 to start after 2012-06-01, found 2012-06-01"


def test_repeated_paragraph_number_is_rejected():
    message = parse_error(f"{HEADING_1}\n1. А.\n2. Б.\n2. В.")
    assert message == "doc.md:4: expected paragraph 3 of meeting I, found 2 again"


def test_skipped_paragraph_number_is_rejected():
    message = parse_error(f"{HEADING_1}\n1. А.\n\n3. В.")
    assert message == "doc.md:4: expected paragraph 2 of meeting I, found 3"


def test_paragraph_numbers_restart_in_each_meeting():
    message = parse_error(f"{HEADING_1}\n1. А.\n{HEADING_2}\n2. Б.")
    assert message == "doc.md:4: expected paragraph 1 of meeting II, found 2"


def test_skipped_subparagraph_letter_is_rejected():
    message = parse_error(f"{HEADING_1}\n1. Вступление:\na) один;\nc) три.")
    assert message == "doc.md:4: expected subparagraph b) of paragraph I.1, found c)"


def test_repeated_subparagraph_letter_is_rejected():
    message = parse_error(f"{HEADING_1}\n1. Вступление:\na) один;\nb) два;\nb) ещё.")
    assert message == "doc.md:5: expected subparagraph c) of paragraph I.1, found b) again"


def test_non_latin_subparagraph_letter_is_rejected():
    message = parse_error(f"{HEADING_1}\n1. Вступление:\nб) один.")
    assert message == "doc.md:3: expected subparagraph a) of paragraph I.1, found б)"


def test_stray_line_that_fits_nowhere_is_rejected_with_its_line():
    message = parse_error(f"{HEADING_1}\n1. А.\n\nСтрока, которая никуда не относится.")
    assert message.startswith("doc.md:4: expected a meeting heading")
    assert message.endswith("found 'Строка, которая никуда не относится.'")


def test_continuation_before_any_paragraph_is_rejected():
    message = parse_error(f"{HEADING_1}\nпродолжение без абзаца")
    assert message.startswith("doc.md:2: expected a meeting heading")
    assert "before any paragraph of meeting I" in message


def test_subparagraph_before_any_paragraph_is_rejected():
    assert parse_error(f"{HEADING_1}\na) один.") == "doc.md:2: expected a numbered paragraph before subparagraph a)"


def test_meeting_without_paragraphs_is_rejected():
    message = parse_error(f"{HEADING_1}\n\n{HEADING_2}\n1. А.")
    assert message == "doc.md:1: expected numbered paragraphs after the heading of meeting I, found none"


def test_last_meeting_without_paragraphs_is_rejected():
    message = parse_error(f"{HEADING_1}\n1. А.\n{HEADING_2}\n")
    assert message == "doc.md:3: expected numbered paragraphs after the heading of meeting II, found none"


@pytest.mark.parametrize("number", [1, 4, 5, 9, 14, 40, 49, 90, 99, 400, 1994, 3999])
def test_roman_numerals_round_trip(number):
    assert roman_to_int(int_to_roman(number)) == number


def test_invalid_roman_numeral_is_zero():
    assert roman_to_int("IIII") == 0
