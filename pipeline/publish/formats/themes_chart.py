"""Themes by meeting: the share of each meeting's recommendations that have each theme, as a PNG heat map."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.publish import drawing
from pipeline.publish.datapackage import file_resource
from pipeline.publish.formats.chart import COLUMN_GAP, counted, meeting_years
from pipeline.publish.periods import Columns, meeting_columns
from pipeline.stages.headings import int_to_roman

CHART_NAME = "research-themes.png"
CHART_TITLE = "Themes by meeting: share of each meeting's recommendations"
CHART_DESCRIPTION = (
    "Heat map of the share of each meeting's recommendations (paragraphs and subparagraphs; chapeaus are not "
    "counted) that have each theme, drawn by the build from the recommendations and themes tables. A "
    "recommendation can have several themes, so a meeting's shares add up to more than 100%."
)
# 1000 by 750 pixels; boxes (left, bottom, width, height as fractions of the canvas) for the cells, with room for
# the theme names on their left, and for the colour bar.
CHART_LAYOUT = drawing.Layout(size=(1000, 750), boxes=((0.41, 0.12, 0.44, 0.80), (0.87, 0.12, 0.02, 0.80)))


def shares(recommendations: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Share (0 to 1) of each meeting's recommendations (columns) that have each theme of `codes` (rows)."""
    rows = counted(recommendations)
    meetings = sorted(recommendations["meeting"].unique().tolist())
    sizes = Counter(rows["meeting"].tolist())
    found = Counter((meeting, code) for meeting, themes in zip(rows["meeting"].tolist(), rows["themes"].tolist())
                    for code in set(themes))
    return pd.DataFrame({meeting: [found[meeting, code] / sizes[meeting] for code in codes] for meeting in meetings},
                        index=codes)


def column_shares(recommendations: pd.DataFrame, codes: list[str], columns: Columns) -> tuple[list[list[float]],
                                                                                              list[int]]:
    """Share (0 to 1) of the recommendations of each column's meetings that have each theme of `codes` (a row per
    code), and the number of recommendations of each column."""
    rows = counted(recommendations)
    column_of = columns.index_of()
    sizes = Counter(column_of[meeting] for meeting in rows["meeting"].tolist())
    found = Counter((column_of[meeting], code)
                    for meeting, themes in zip(rows["meeting"].tolist(), rows["themes"].tolist())
                    for code in set(themes))
    indices = range(len(columns.columns))
    return [[found[i, code] / sizes[i] for i in indices] for code in codes], [sizes[i] for i in indices]


def markdown_shares(recommendations: pd.DataFrame, themes: pd.DataFrame) -> str:
    """Markdown table of the shares in per cent, with each meeting's number of recommendations."""
    table = shares(recommendations, themes["code"].tolist())
    sizes = counted(recommendations).groupby("meeting").size()
    head = ["theme"] + [f"{int_to_roman(m)} ({sizes[m]})" for m in table.columns] + ["all"]
    overall = [sum(code in codes for codes in counted(recommendations)["themes"]) / int(sizes.sum())
               for code in table.index]
    out = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for (code, values), total in zip(table.iterrows(), overall):
        out.append(f"| `{code}` | " + " | ".join(f"{v:.0%}" for v in values.tolist() + [total]) + " |")
    return "\n".join(out) + "\n"


def themes_chart_png(recommendations: pd.DataFrame, themes: pd.DataFrame) -> bytes:
    """The heat map as PNG bytes, identical for identical data (see pipeline/publish/drawing.py)."""
    heat, title = heat_map(recommendations, themes)
    return drawing.render_heat_map(heat, _layout(heat), title=title)


def heat_map(recommendations: pd.DataFrame, themes: pd.DataFrame) -> tuple[drawing.HeatMap, str]:
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
    return drawing.HeatMap(tuple(themes["name"].tolist()), labels, tuple(map(tuple, values)), xlabel), title


def _layout(heat: drawing.HeatMap) -> drawing.Layout:
    """CHART_LAYOUT, with the cells widened as much as the column labels and the cells' per cent need."""
    label_font, cell_font = drawing.font(CHART_LAYOUT.label_px), drawing.font(CHART_LAYOUT.legend_px)
    widest = max([label_font.getlength(line) for label in heat.columns for line in label.split("\n")]
                 + [cell_font.getlength("100%")])
    return drawing.widened(CHART_LAYOUT, {0: round(len(heat.columns) * (widest + COLUMN_GAP))})


def write(tables, folder: Path) -> list[dict]:
    """Write the heat map of the recommendations and themes tables into `folder`; return its resource."""
    path = Path(folder) / CHART_NAME
    path.write_bytes(themes_chart_png(tables.recommendations, tables.themes))
    return [file_resource(path, name=path.stem, kind="file", title=CHART_TITLE, description=CHART_DESCRIPTION,
                          fmt="png", mediatype="image/png")]
