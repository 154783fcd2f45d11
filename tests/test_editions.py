"""A later edition keeps every id and value of the earlier one, and its new meeting's rows follow."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from pipeline.errors import CheckError
from pipeline.publish.datapackage import package_texts
from pipeline.stages.frontmatter import FrontMatter
from tests.editions import FRONT_MATTER_LINES_ADDED, SIXTH_MEETING_IDS

# Where a unit sits in the source file; everything else must not move when a meeting is added.
PROVENANCE = {"recommendations": ["line_start", "line_end", "page"], "meetings": ["heading_line", "heading_page"]}
FIRST_EDITION_ROWS = {"recommendations": 174, "meetings": 5}


def table(folder, name: str) -> pd.DataFrame:
    return pd.read_parquet(folder / f"{name}.parquet")


def first_rows(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame.iloc[:FIRST_EDITION_ROWS[name]].reset_index(drop=True)


@pytest.mark.parametrize("name", sorted(FIRST_EDITION_ROWS))
def test_appended_edition_keeps_every_column_of_every_earlier_row(built, appended_build, name):
    earlier, later = table(built, name), table(appended_build, name)
    assert len(earlier) == FIRST_EDITION_ROWS[name]
    pd.testing.assert_frame_equal(first_rows(later, name), earlier)


@pytest.mark.parametrize("name", sorted(FIRST_EDITION_ROWS))
def test_revised_edition_keeps_every_column_but_the_source_lines_which_move_together(built, revised_build, name):
    earlier, later = table(built, name), first_rows(table(revised_build, name), name)
    pd.testing.assert_frame_equal(later.drop(columns=PROVENANCE[name]), earlier.drop(columns=PROVENANCE[name]))
    for column in PROVENANCE[name]:
        if column.endswith("page"):
            assert later[column].isna().all() and earlier[column].isna().all()
        else:
            assert (later[column] - earlier[column]).tolist() == [FRONT_MATTER_LINES_ADDED] * len(earlier)


def test_new_meeting_rows_follow_in_document_order(appended_build):
    rows = table(appended_build, "recommendations").iloc[174:]
    assert rows["id"].tolist() == SIXTH_MEETING_IDS
    assert rows["seq"].tolist() == list(range(175, 175 + len(SIXTH_MEETING_IDS)))
    assert rows["kind"].tolist() == ["paragraph", "chapeau", "subparagraph", "subparagraph", "subparagraph",
                                     "paragraph"]
    assert set(rows["meeting"]) == {6} and set(rows["year"]) == {2019}
    assert set(rows["meeting_start"]) == {dt.date(2019, 9, 11)} and set(rows["meeting_end"]) == {dt.date(2019, 9, 12)}
    by_id = rows.set_index("id")
    assert by_id.loc["6.2.b", "text"] == "подготовке сотрудников пограничных служб и органов прокуратуры;"
    assert by_id.loc["6.2.b", "full_text"].startswith("Государства-участники, возможно, пожелают рассмотреть")
    assert by_id.loc["6.2.c", "eid"] == "meeting_6__para_2__list_1__point_c"
    assert list(by_id.loc["6.3", "refers_to"]) == ["6.1"]
    assert by_id["addressee"].tolist() == ["states_parties"] * 5 + ["secretariat"]
    assert by_id["modality"].tolist() == ["should"] + ["may_wish_to_consider"] * 4 + ["requested"]


def test_new_meeting_row_has_its_heading_as_written(appended_build):
    sixth = table(appended_build, "meetings").iloc[5].to_dict()
    assert {key: sixth[key] for key in ("meeting", "roman", "name", "place", "year", "paragraphs", "subparagraphs")} \
        == {"meeting": 6, "roman": "VI", "name": "Шестое совещание", "place": "Вена", "year": 2019,
            "paragraphs": 3, "subparagraphs": 3}


def test_edition_without_a_sidecar_records_that_its_provenance_is_unrecorded(appended_build):
    descriptor = json.loads((appended_build / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["sources"][0]["note"] == "provenance unrecorded: the source had no sidecar"
    assert descriptor["sources"][0]["title"].endswith("на ее первых пяти совещаниях")


def test_revised_edition_takes_its_title_from_its_own_front_matter(revised_build):
    descriptor = json.loads((revised_build / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["sources"][0]["title"].endswith("на ее первых шести совещаниях")
    assert descriptor["document"]["title"].endswith("на ее первых шести совещаниях")


def test_package_title_and_description_count_the_meetings_and_years_of_the_edition(built, appended_build):
    first, later = (json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
                    for folder in (built, appended_build))
    assert first["title"].endswith("Smuggling of Migrants, 2012-2018")
    assert later["title"].endswith("Smuggling of Migrants, 2012-2019")
    assert "at its first five meetings (2012-2018)," in first["description"]
    assert "at its first six meetings (2012-2019)," in later["description"]
    assert first["description"].endswith("background paper of 21 June 2019.")


def test_package_texts_of_one_meeting_from_an_undated_source():
    meta = {"title": "T, {years}", "description": "At its {meetings} ({years}), from {paper}."}
    texts = package_texts(meta, [{"meeting": 1, "year": 2030}], FrontMatter(), {})
    assert texts == {"title": "T, 2030",
                     "description": "At its first meeting (2030), from the Secretariat's background paper."}


def test_package_texts_of_many_meetings_dated_by_the_front_matter():
    meetings = [{"meeting": n, "year": 2000 + n} for n in range(1, 24)]
    texts = package_texts({"title": "{years}", "description": "{meetings}, {paper}"}, meetings,
                          FrontMatter(date=dt.date(2031, 3, 1)), {})
    assert texts == {"title": "2001-2023", "description": "first 23 meetings, the Secretariat's background paper of "
                                                          "1 March 2031"}


def test_unknown_placeholder_in_the_package_metadata_is_refused():
    with pytest.raises(CheckError) as error:
        package_texts({"title": "{edition}", "description": ""}, [{"meeting": 1, "year": 2030}], FrontMatter(), {})
    assert str(error.value) == ("schemas/package.json: expected placeholders among ['meetings', 'paper', 'years'] "
                                "in the title and description, found 'edition'")
