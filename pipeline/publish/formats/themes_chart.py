"""Themes by meeting: the share of each meeting's recommendations that have each theme, as a PNG heat map."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.publish import drawing
from pipeline.publish.datapackage import file_resource
from pipeline.publish.formats.chart import counted
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
    sizes = rows.groupby("meeting").size()
    table = {meeting: [sum(code in themes for themes in rows.loc[rows["meeting"] == meeting, "themes"])
                       / sizes[meeting] for code in codes] for meeting in meetings}
    return pd.DataFrame(table, index=codes)


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
    table = shares(recommendations, themes["code"].tolist())
    sizes = counted(recommendations).groupby("meeting").size()
    columns = tuple(f"{int_to_roman(m)}\n{_year(recommendations, m)}\n({sizes[m]})" for m in table.columns)
    values = tuple(tuple(float(value) for value in row) for row in table.to_numpy())
    heat = drawing.HeatMap(tuple(themes["name"].tolist()), columns, values, "meeting, year (recommendations)")
    return drawing.render_heat_map(heat, CHART_LAYOUT, title=CHART_TITLE)


def _year(recommendations: pd.DataFrame, meeting: int) -> int:
    return int(recommendations.loc[recommendations["meeting"] == meeting, "year"].iloc[0])


def write(tables, folder: Path) -> list[dict]:
    """Write the heat map of the recommendations and themes tables into `folder`; return its resource."""
    path = Path(folder) / CHART_NAME
    path.write_bytes(themes_chart_png(tables.recommendations, tables.themes))
    return [file_resource(path, name=path.stem, kind="file", title=CHART_TITLE, description=CHART_DESCRIPTION,
                          fmt="png", mediatype="image/png")]
