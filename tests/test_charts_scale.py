"""The charts stay readable as editions grow: a column per meeting up to twenty meetings, then per year, then per
period of years, said in the title; drawn at 5, 40 and 200 meetings."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from PIL import Image

from pipeline.publish.formats.chart import CHART_SIZE, CHART_TITLE, chart_panels, chart_png
from pipeline.publish.formats.themes_chart import CHART_SIZE as HEAT_SIZE
from pipeline.publish.formats.themes_chart import CHART_TITLE as HEAT_TITLE
from pipeline.publish.formats.themes_chart import heat_map, themes_chart_png
from pipeline.publish.periods import meeting_columns

THEMES = pd.DataFrame({"code": ["cooperation", "protection"], "name": ["International cooperation", "Protection"]})


def recommendations(meetings: int, per_year: int) -> pd.DataFrame:
    """Three rows a meeting (a chapeau, which charts do not count, and two subparagraphs), `per_year` meetings a
    year from 2012; the first subparagraph of every meeting has the theme cooperation, the second of even meetings
    protection."""
    rows = []
    for meeting in range(1, meetings + 1):
        year = 2012 + (meeting - 1) // per_year
        for kind, themes in (("chapeau", ["cooperation", "protection"]), ("subparagraph", ["cooperation"]),
                             ("subparagraph", ["protection"] if meeting % 2 == 0 else [])):
            rows.append({"meeting": meeting, "year": year, "kind": kind, "addressee": "states_parties",
                         "modality": "should", "strength": 5, "themes": themes})
    return pd.DataFrame(rows)


def test_up_to_twenty_meetings_each_has_its_column_named_by_its_roman_numeral():
    columns = meeting_columns({m: 2012 + m for m in range(1, 21)})
    assert columns.unit == "meeting" and not columns.grouped
    assert [c.label for c in columns.columns][:4] == ["I", "II", "III", "IV"]
    assert [c.meetings for c in columns.columns][-1] == (20,)


def test_past_twenty_meetings_columns_are_years_while_the_years_fit():
    columns = meeting_columns({m: 2012 + (m - 1) // 5 for m in range(1, 41)})
    assert columns.unit == "year"
    assert [c.label for c in columns.columns] == [str(year) for year in range(2012, 2020)]
    assert columns.columns[0].meetings == (1, 2, 3, 4, 5) and columns.columns[0].meeting_range == "I–V"


def test_past_twenty_years_columns_are_the_shortest_periods_that_fit_labelled_with_the_years_they_hold():
    columns = meeting_columns({m: 2012 + (m - 1) // 5 for m in range(1, 201)})  # 2012 to 2051: 20 periods of 2
    assert columns.unit == "period of 2 years"
    labels = [c.label for c in columns.columns]
    assert labels[:2] == ["2012–2013", "2014–2015"] and labels[-1] == "2050–2051" and len(labels) == 20
    columns = meeting_columns({m: 2012 + (m - 1) // 4 for m in range(1, 201)})  # 2012 to 2061: 25 periods of 2
    assert columns.unit == "period of 5 years"
    labels = [c.label for c in columns.columns]
    assert labels[:3] == ["2012–2014", "2015–2019", "2020–2024"] and labels[-1] == "2060–2061"
    assert len(labels) == 11
    assert sum(len(c.meetings) for c in columns.columns) == 200
    assert meeting_columns({m: 2000 + m for m in range(1, 60)}).unit == "period of 5 years"
    assert meeting_columns({m: 2000 + m for m in range(1, 120)}).unit == "period of 10 years"


def test_five_meetings_keep_a_column_each_the_plain_title_and_the_layout():
    frame = recommendations(5, 1)
    panels, title, xlabel = chart_panels(frame)
    assert (title, xlabel) == (CHART_TITLE, "meeting")
    assert [panel.categories for panel in panels] == [("I", "II", "III", "IV", "V")] * 2
    assert [series.values for series in panels[0].series] == [(2, 2, 2, 2, 2)]  # chapeaus not counted
    heat, heat_title = heat_map(frame, THEMES)
    assert heat_title == HEAT_TITLE
    assert heat.columns == ("I\n2012\n(2)", "II\n2013\n(2)", "III\n2014\n(2)", "IV\n2015\n(2)", "V\n2016\n(2)")
    assert heat.values == ((0.5,) * 5, (0.0, 0.5, 0.0, 0.5, 0.0))
    assert Image.open(io.BytesIO(chart_png(frame))).size == CHART_SIZE
    assert Image.open(io.BytesIO(themes_chart_png(frame, THEMES))).size == HEAT_SIZE


@pytest.mark.parametrize(("meetings", "per_year", "unit", "labels"), [
    (40, 5, "year", [str(year) for year in range(2012, 2020)]),
    (200, 4, "period of 5 years", ["2012–2014", *(f"{y}–{y + 4}" for y in range(2015, 2060, 5)), "2060–2061"]),
])
def test_many_meetings_are_grouped_in_both_charts_which_say_so_and_draw(meetings, per_year, unit, labels):
    frame = recommendations(meetings, per_year)
    panels, title, xlabel = chart_panels(frame)
    assert title == f"Recommendations by addressee and by modality per {unit} (meetings grouped)"
    assert xlabel == unit
    assert [list(panel.categories) for panel in panels] == [labels, labels]
    totals = panels[0].totals()
    first_year = int(labels[0][-4:])  # the last year of the first column
    assert sum(totals) == 2 * meetings and totals[0] == 2 * per_year * (first_year - 2012 + 1)
    heat, heat_title = heat_map(frame, THEMES)
    assert heat_title == f"Themes by {unit}: share of the recommendations of its meetings (meetings grouped)"
    assert [label.split("\n")[0] for label in heat.columns] == labels
    assert heat.values[0] == (0.5,) * len(labels)  # one of the two counted rows of every meeting
    for png, size in ((chart_png(frame), CHART_SIZE), (themes_chart_png(frame, THEMES), HEAT_SIZE)):
        image = Image.open(io.BytesIO(png))
        image.load()
        assert image.size[1] == size[1] and image.size[0] >= size[0]
