"""Themes by meeting: the share of each meeting's recommendations that have each theme, as a PNG heat map."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from pipeline.publish.datapackage import file_resource
from pipeline.publish.formats.chart import CHART_DPI, counted
from pipeline.stages.headings import int_to_roman

CHART_NAME = "research-themes.png"
CHART_TITLE = "Themes by meeting: share of each meeting's recommendations"
CHART_DESCRIPTION = (
    "Heat map of the share of each meeting's recommendations (paragraphs and subparagraphs; chapeaus are not "
    "counted) that have each theme, drawn by the build from the recommendations and themes tables. A "
    "recommendation can have several themes, so a meeting's shares add up to more than 100%."
)
CHART_SIZE = (10.0, 7.5)  # inches
# A fixed axes box (left, bottom, width, height as fractions of the figure) leaves room for the theme names on the
# left and the colour bar on the right without a layout engine, which would draw the figure twice.
CHART_AXES = (0.41, 0.12, 0.44, 0.80)
COLOUR_BAR_AXES = (0.87, 0.12, 0.02, 0.80)
DARK_CELL = 0.55  # cells darker than this share of the scale get white text


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
    """The heat map as PNG bytes, identical for identical data (drawn as the counts chart is: see chart_png)."""
    import matplotlib
    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    table = shares(recommendations, themes["code"].tolist())
    with matplotlib.style.context("default"), matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        figure = Figure(figsize=CHART_SIZE, dpi=CHART_DPI)
        FigureCanvasAgg(figure)
        ax = figure.add_axes(CHART_AXES)
        top = max(float(table.to_numpy().max()), 0.01)
        image = ax.imshow(table.to_numpy(), cmap="Blues", vmin=0, vmax=top, aspect="auto")
        _label_cells(ax, table, top)
        sizes = counted(recommendations).groupby("meeting").size()
        ax.set_xticks(range(len(table.columns)),
                      [f"{int_to_roman(m)}\n{_year(recommendations, m)}\n({sizes[m]})" for m in table.columns])
        ax.set_yticks(range(len(table.index)), themes["name"].tolist(), fontsize=9)
        ax.set_xlabel("meeting, year (recommendations)")
        bar = figure.colorbar(image, cax=figure.add_axes(COLOUR_BAR_AXES))
        bar.ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(xmax=1, decimals=0))
        figure.suptitle(CHART_TITLE, fontsize=12)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=CHART_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _label_cells(ax, table: pd.DataFrame, top: float) -> None:
    for row, values in enumerate(table.to_numpy()):
        for column, value in enumerate(values):
            colour = "white" if value > DARK_CELL * top else "black"
            ax.text(column, row, f"{value:.0%}", ha="center", va="center", fontsize=8, color=colour)


def _year(recommendations: pd.DataFrame, meeting: int) -> int:
    return int(recommendations.loc[recommendations["meeting"] == meeting, "year"].iloc[0])


def write(tables, folder: Path) -> list[dict]:
    """Write the heat map of the recommendations and themes tables into `folder`; return its resource."""
    path = Path(folder) / CHART_NAME
    path.write_bytes(themes_chart_png(tables.recommendations, tables.themes))
    return [file_resource(path, name=path.stem, kind="file", title=CHART_TITLE, description=CHART_DESCRIPTION,
                          fmt="png", mediatype="image/png")]
