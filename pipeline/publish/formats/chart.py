"""Counts of recommendations by addressee and by modality per meeting as a PNG chart (the counts and the README's
tables of them are in pipeline/counts.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import plotting
from pipeline.codes import Codes
from pipeline.counts import column_counts, meeting_years
from pipeline.publish.datapackage import file_resource
from pipeline.publish.periods import Columns, meeting_columns
from pipeline.rules import load_rules

CHART_NAME = "research-counts.png"
CHART_TITLE = "Recommendations by addressee and by modality per meeting"
CHART_DESCRIPTION = (
    "Bar chart of the recommendations (paragraphs and subparagraphs; chapeaus are not counted) of each meeting "
    "by addressee and by modality, drawn by the build from the recommendations table."
)
CHART_SIZE = (1200, 480)  # pixels, wider when the columns need it
COLUMN_GAP = 12  # pixels at least between two column labels


def chart_png(recommendations: pd.DataFrame, codes: Codes | None = None) -> bytes:
    """The counts chart as PNG bytes, identical for identical data (see pipeline/plotting.py); the words of the codes
    from `codes` (the build's codes table), or from rules/ when not given."""
    panels, title, xlabel = chart_panels(recommendations, codes)
    return plotting.stacked_bars(panels, chart_size(panels), title=title, xlabel=xlabel, ylabel="recommendations")


def chart_panels(recommendations: pd.DataFrame, codes: Codes | None = None) -> tuple[list[plotting.Panel], str, str]:
    """The panels of the counts chart, its title and its x label: a column per meeting, or past
    periods.MOST_COLUMNS meetings one per year or period of years, as the title and the x label say."""
    codes = codes or Codes.of_rules(load_rules())
    columns = meeting_columns(meeting_years(recommendations))
    panels = [_panel(recommendations, field, columns, codes) for field in ("addressee", "modality")]
    if columns.grouped:
        return panels, f"Recommendations by addressee and by modality per {columns.unit} (meetings grouped)", \
            columns.unit
    return panels, CHART_TITLE, "meeting"


def chart_size(panels: list[plotting.Panel]) -> tuple[int, int]:
    """CHART_SIZE, widened as much as both panels' column labels need to stand apart."""
    count = max(len(panel.categories) for panel in panels)
    widest = max(plotting.label_px(panel.categories) for panel in panels)
    needed = plotting.LEFT_PX + len(panels) * (round((count + 0.2) * (widest + COLUMN_GAP))
                                               + plotting.legend_px(panels) + plotting.LEFT_PX)
    return max(CHART_SIZE[0], needed), CHART_SIZE[1]


def _panel(recommendations: pd.DataFrame, field: str, columns: Columns, codes: Codes) -> plotting.Panel:
    """The bars of one field: a series per label that occurs, stacked in the order of rules/labels.csv; a
    modality's strength as the rows give it."""
    table = column_counts(recommendations, field, columns, codes)
    colours = _colours(field, list(table))
    words = codes.labels(field)
    strength = recommendations.groupby("modality")["strength"].first().to_dict()
    series = tuple(
        plotting.Series(f"{words.get(label, label)} ({strength.get(label)})" if field == "modality"
                        else words.get(label, label), colours[label], tuple(values))
        for label, values in table.items()
    )
    title = "by addressee" if field == "addressee" else "by modality (strength)"
    return plotting.Panel(title, tuple(column.label for column in columns.columns), series)


def write(tables, folder: Path) -> list[dict]:
    """Write the chart of the recommendations table into `folder`; return its resource."""
    path = Path(folder) / CHART_NAME
    path.write_bytes(chart_png(tables.recommendations, Codes(tables.codes.to_dict("records"))))
    return [file_resource(path, name=path.stem, kind="file", title=CHART_TITLE, description=CHART_DESCRIPTION,
                          fmt="png", mediatype="image/png")]


def _colours(field: str, labels: list[str]) -> dict[str, str]:
    """Modalities (listed firmest first) along the sequential "viridis", darkest firmest; addressees "tab10"."""
    if field == "modality":
        return {label: plotting.colour_scale("viridis", 0.05 + 0.9 * i / max(len(labels) - 1, 1))
                for i, label in enumerate(labels)}
    return {label: plotting.qualitative(i) for i, label in enumerate(labels)}
