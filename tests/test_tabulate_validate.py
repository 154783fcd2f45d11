"""Tables from a small document, and the structure and conservation checks that guard them."""

import dataclasses

import pytest

from pipeline.errors import CheckError, SourceError
from pipeline.schema import field_names
from pipeline.stages.classify import classify
from pipeline.stages.extract import extract
from pipeline.stages.parse import parse
from pipeline.stages.tabulate import tabulate
from pipeline.stages.validate import validate
from tests.conftest import MINI_DOCUMENT


@pytest.fixture
def mini(write_source, rules):
    source = extract(write_source(MINI_DOCUMENT))
    return source, classify(tabulate(parse(source)), rules, warn=print)


def test_rows_follow_document_order_with_ids_kinds_and_letters(mini):
    _, tables = mini
    rows = tables.recommendations
    assert rows["id"].tolist() == ["1.1", "1.2", "1.2.a", "1.2.b", "1.2.c", "2.1"]
    assert rows["seq"].tolist() == [1, 2, 3, 4, 5, 6]
    assert rows["kind"].tolist() == ["paragraph", "chapeau", "subparagraph", "subparagraph", "subparagraph", "paragraph"]
    assert rows["sub_letter"].isna().tolist() == [True, True, False, False, False, True]


def test_columns_are_in_schema_order(mini):
    _, tables = mini
    assert list(tables.recommendations.columns) == field_names("recommendations")
    assert list(tables.meetings.columns) == field_names("meetings")


def test_subparagraph_full_text_is_chapeau_then_own_text(mini):
    _, tables = mini
    row = tables.recommendations.set_index("id").loc["1.2.a"]
    assert row["full_text"] == "Государствам следует: первое;"
    assert row["text"] == "первое;"


def test_line_span_covers_page_break_fragment(mini):
    _, tables = mini
    row = tables.recommendations.set_index("id").loc["1.2.b"]
    assert (row["line_start"], row["line_end"]) == (8, 10)


def test_meetings_table_counts_paragraphs_and_subparagraphs(mini):
    _, tables = mini
    assert tables.meetings[["meeting", "paragraphs", "subparagraphs", "heading_line"]].values.tolist() == [
        [1, 2, 3, 3], [2, 1, 0, 14]]


def test_consistent_tables_pass_and_report_body_lines(mini):
    source, tables = mini
    assert validate(tables, source) == 9  # 2 headings, 6 marker lines, 1 page-break fragment


def check_error(tables, source) -> str:
    with pytest.raises(CheckError) as error:
        validate(tables, source)
    return str(error.value)


def test_text_that_lost_a_word_fails_the_conservation_check(mini):
    source, tables = mini
    frame = tables.recommendations.copy()
    frame.loc[frame["id"] == "1.1", ["text", "full_text"]] = "Государствам-участникам следует одно."
    message = check_error(dataclasses.replace(tables, recommendations=frame), source)
    assert message.startswith(f"{source.path}: expected the row texts to rebuild the body text")


def test_line_claimed_by_two_rows_fails_the_conservation_check(mini):
    source, tables = mini
    frame = tables.recommendations.copy()
    frame.loc[frame["id"] == "1.2.a", "line_end"] = 8
    message = check_error(dataclasses.replace(tables, recommendations=frame), source)
    assert message == f"{source.path}:8: expected the line to belong to exactly one heading or row, found 2 rows"


def test_line_claimed_by_no_row_fails_the_conservation_check(mini):
    source, tables = mini
    frame = tables.recommendations.copy()
    frame.loc[frame["id"] == "1.2.b", "line_end"] = 8
    message = check_error(dataclasses.replace(tables, recommendations=frame), source)
    assert message == f"{source.path}:10: expected the line to belong to exactly one heading or row, found no heading or row"


def test_paragraph_gap_fails_the_structure_check(mini):
    source, tables = mini
    frame = tables.recommendations.copy()
    frame.loc[frame["id"] == "1.2", "number"] = 3
    assert check_error(dataclasses.replace(tables, recommendations=frame), source) == (
        "recommendations: expected paragraph 2 of meeting 1, found 3")


def test_subparagraph_letter_gap_fails_the_structure_check(mini):
    source, tables = mini
    frame = tables.recommendations.copy()
    frame.loc[frame["id"] == "1.2.b", ["sub_letter", "id"]] = ["d", "1.2.d"]
    assert check_error(dataclasses.replace(tables, recommendations=frame), source) == (
        "recommendations: expected subparagraphs abc under 1.2, found adc")


def test_chapeau_without_subparagraphs_fails_the_structure_check(mini):
    source, tables = mini
    frame = tables.recommendations.copy()
    frame.loc[frame["id"] == "1.1", "kind"] = "chapeau"
    assert check_error(dataclasses.replace(tables, recommendations=frame), source) == (
        "recommendations: expected 1.1 to be a chapeau exactly when it has subparagraphs, found kind chapeau with 0")


def test_meeting_dates_out_of_order_fail_the_structure_check(mini):
    source, tables = mini
    meetings = tables.meetings.copy()
    meetings.loc[1, "meeting_start"] = meetings.loc[0, "meeting_start"]
    message = check_error(dataclasses.replace(tables, meetings=meetings), source)
    assert message == "meetings: expected meeting 2 to start after 2012-06-01, found 2012-05-30"


def test_meeting_counts_that_disagree_with_rows_fail_the_structure_check(mini):
    source, tables = mini
    meetings = tables.meetings.copy()
    meetings.loc[0, "subparagraphs"] = 2
    message = check_error(dataclasses.replace(tables, meetings=meetings), source)
    assert message == "meetings: expected 2 paragraphs and 3 subparagraphs for meeting 1, found 2 and 2"


def test_page_on_a_row_from_a_text_source_fails_the_page_check(mini):
    source, tables = mini
    frame = tables.recommendations.copy()
    frame.loc[frame["id"] == "1.2.a", "page"] = 3
    assert check_error(dataclasses.replace(tables, recommendations=frame), source) == (
        "recommendations: expected no page for a text source, found 3")


def test_pdf_source_needs_a_page_on_every_row_in_document_order(mini):
    source, tables = mini
    pdf = dataclasses.replace(source, pages=4)
    frame = tables.recommendations.copy()
    frame["page"] = [1, 1, 2, 2, 3, 4]
    meetings = tables.meetings.copy()
    meetings["heading_page"] = [1, 4]
    assert validate(dataclasses.replace(tables, recommendations=frame, meetings=meetings), pdf) == 9
    frame["page"] = [1, 1, 3, 2, 3, 4]
    message = check_error(dataclasses.replace(tables, recommendations=frame, meetings=meetings), pdf)
    assert message == "recommendations: expected page never to decrease in document order, found [1, 1, 3, 2, 3, 4]"
    frame["page"] = [1, 1, None, 2, 3, 4]
    message = check_error(dataclasses.replace(tables, recommendations=frame, meetings=meetings), pdf)
    assert message.startswith("recommendations: expected every page between 1 and 4")


NEW_HEADING_FORMS = """\
**Заголовок**

I.\u00a0Первое совещание (Вена, 30\u00a0декабря 2030\u00a0г.\u00a0— 2\u00a0января 2031\u00a0г.)

1. Государствам-участникам следует делать одно.

XII. Двенадцатое совещание, Нью-Йорк, 4 и 5 июля 2031 года.

1. Секретариату следует делать другое.
"""


def test_conservation_check_recognises_headings_in_the_new_forms(write_source, rules):
    source = extract(write_source(NEW_HEADING_FORMS.replace("XII. Двенадцатое", "II. Второе")))
    tables = classify(tabulate(parse(source)), rules, warn=print)
    assert validate(tables, source) == 4
    assert tables.meetings["name"].tolist() == ["Первое совещание", "Второе совещание"]


def test_twelfth_meeting_heading_after_the_first_is_refused_as_out_of_sequence(write_source):
    source = extract(write_source(NEW_HEADING_FORMS))
    with pytest.raises(SourceError) as error:
        parse(source)
    assert str(error.value) == f"{source.path}:7: expected the heading of meeting II, found XII"
