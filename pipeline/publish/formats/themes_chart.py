"""Themes by meeting: the share of each meeting's recommendations that have each theme, as a PNG heat map (the
shares and the docs' table of them are in pipeline/counts.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import plotting
from pipeline.counts import column_shares, meeting_years
from pipeline.publish.datapackage import file_resource
from pipeline.publish.formats.chart import COLUMN_GAP
from pipeline.publish.periods import meeting_columns

CHART_NAME = "research-themes.png"
CHART_TITLE = "Themes by meeting: share of each meeting's recommendations"
CHART_DESCRIPTION = (
    "Heat map of the share of each meeting's recommendations (paragraphs and subparagraphs; chapeaus are not "
    "counted) that have each theme, drawn by the build from the recommendations and themes tables. A "
    "recommendation can have several themes, so a meeting's shares add up to more than 100%."
)
CHART_SIZE = (1000, 750)  # pixels, wider when the columns need it
CELL_TEXT_PX = 36  # the width of "100%" in a cell


def themes_chart_png(recommendations: pd.DataFrame, themes: pd.DataFrame) -> bytes:
    """The heat map as PNG bytes, identical for identical data (see pipeline/plotting.py)."""
    heat, title = heat_map(recommendations, themes)
    return plotting.heat_map(heat, chart_size(heat), title=title)


def heat_map(recommendations: pd.DataFrame, themes: pd.DataFrame) -> tuple[plotting.HeatMap, str]:
    """The heat map's cells and labels, and its title: a column per meeting, or past periods.MOST_COLUMNS meetings
    one per year or period of years, as the title and the x label say."""
    years = meeting_years(recommendations)
    columns = meeting_columns(years)
    values, sizes = column_shares(recommendations, themes["code"].tolist(), columns)
    if columns.grouped:
        labels = tuple(f"{column.label}\n{column.meeting_range}\n({size})"
                       for column, size in zip(columns.columns, sizes))
        title = f"Themes by {columns.unit}: share of the recommendations of its meetings (meetings grouped)"
        xlabel = f"{columns.unit}, meetings (recommendations)"
    else:
        labels = tuple(f"{column.label}\n{years[column.meetings[0]]}\n({size})"
                       for column, size in zip(columns.columns, sizes))
        title, xlabel = CHART_TITLE, "meeting, year (recommendations)"
    return plotting.HeatMap(tuple(themes["name"].tolist()), labels, tuple(map(tuple, values)), xlabel), title


def chart_size(heat: plotting.HeatMap) -> tuple[int, int]:
    """CHART_SIZE, widened as much as the column labels and the cells' per cent need."""
    widest = max(plotting.label_px(heat.columns), CELL_TEXT_PX)
    margins = plotting.label_px(heat.rows) + 20 + plotting.HEAT_RIGHT_PX
    return max(CHART_SIZE[0], round(margins + len(heat.columns) * (widest + COLUMN_GAP))), CHART_SIZE[1]


def write(tables, folder: Path) -> list[dict]:
    """Write the heat map of the recommendations and themes tables into `folder`; return its resource."""
    path = Path(folder) / CHART_NAME
    path.write_bytes(themes_chart_png(tables.recommendations, tables.themes))
    return [file_resource(path, name=path.stem, kind="file", title=CHART_TITLE, description=CHART_DESCRIPTION,
                          fmt="png", mediatype="image/png")]
