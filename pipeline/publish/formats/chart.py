"""Counts of recommendations by addressee and by modality per meeting: README tables and a PNG chart."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.codes import Codes
from pipeline.publish import drawing
from pipeline.publish.datapackage import file_resource
from pipeline.publish.periods import Columns, meeting_columns
from pipeline.rules import load_rules
from pipeline.stages.headings import int_to_roman

CHART_NAME = "research-counts.png"
CHART_TITLE = "Recommendations by addressee and by modality per meeting"
CHART_DESCRIPTION = (
    "Bar chart of the recommendations (paragraphs and subparagraphs; chapeaus are not counted) of each meeting "
    "by addressee and by modality, drawn by the build from the recommendations table."
)
# 1200 by 480 pixels; axes boxes as (left, bottom, width, height) fractions, each with room for its legend on the right.
CHART_LAYOUT = drawing.Layout(size=(1200, 480), boxes=((0.06, 0.13, 0.25, 0.75), (0.55, 0.13, 0.25, 0.75)))
COLUMN_GAP = 12  # pixels at least between two column labels


def counted(recommendations: pd.DataFrame) -> pd.DataFrame:
    """The rows that count as one recommendation each: all but chapeaus, whose requests their subparagraphs make."""
    return recommendations[recommendations["kind"] != "chapeau"]


def counts(recommendations: pd.DataFrame, field: str) -> tuple[list[int], dict[str, list[int]]]:
    """The meetings, and for every label of `field` (in the order of rules/labels.csv) its number of
    recommendations at each meeting. A chapeau is not counted: its subparagraphs make its requests."""
    columns = (recommendations[name].tolist() for name in ("kind", field, "meeting"))
    found = Counter((str(label), meeting) for kind, label, meeting in zip(*columns) if kind != "chapeau")
    meetings = sorted(set(recommendations["meeting"].tolist()))
    return meetings, {label: [found[label, meeting] for meeting in meetings]
                      for label in load_rules().labels_of(field)}


def markdown_counts(recommendations: pd.DataFrame) -> str:
    """Two Markdown tables: counts by addressee and by modality (with its strength) per meeting."""
    ruleset = load_rules()
    out = []
    for field in ("addressee", "modality"):
        meetings, table = counts(recommendations, field)
        head = [field] + (["strength"] if field == "modality" else []) + [int_to_roman(m) for m in meetings]
        out.append("| " + " | ".join(head + ["total"]) + " |")
        out.append("|---|" + "---:|" * len(head))
        for label, values in table.items():
            cells = [f"`{label}`"]
            if field == "modality":
                strength = ruleset.strength(label)
                cells.append(str(strength) if strength is not None else "—")
            out.append("| " + " | ".join(cells + [str(v) for v in values] + [str(sum(values))]) + " |")
        totals = [sum(column) for column in zip(*table.values())]
        filler = [""] if field == "modality" else []
        out.append("| total | " + " | ".join(filler + [str(v) for v in totals] + [str(sum(totals))]) + " |")
        out.append("")
    return "\n".join(out)


def chart_png(recommendations: pd.DataFrame) -> bytes:
    """The counts chart as PNG bytes, identical for identical data (see pipeline/publish/drawing.py)."""
    panels, title, xlabel = chart_panels(recommendations)
    return drawing.render(panels, _layout(panels), title=title, xlabel=xlabel, ylabel="recommendations")


def chart_panels(recommendations: pd.DataFrame) -> tuple[list[drawing.Panel], str, str]:
    """The panels of the counts chart, its title and its x label: a column per meeting, or past
    periods.MOST_COLUMNS meetings one per year or period of years, as the title and the x label say."""
    columns = meeting_columns(meeting_years(recommendations))
    panels = [_panel(recommendations, field, columns) for field in ("addressee", "modality")]
    if columns.grouped:
        return panels, f"Recommendations by addressee and by modality per {columns.unit} (meetings grouped)", \
            columns.unit
    return panels, CHART_TITLE, "meeting"


def meeting_years(recommendations: pd.DataFrame) -> dict[int, int]:
    """The year of each meeting of the recommendations table."""
    return dict(zip(recommendations["meeting"].tolist(), recommendations["year"].tolist()))


def _panel(recommendations: pd.DataFrame, field: str, columns: Columns) -> drawing.Panel:
    """The bars of one field: a series per label that occurs, stacked in the order of rules/labels.csv."""
    ruleset = load_rules()
    meetings, table = counts(recommendations, field)
    table = {label: values for label, values in table.items() if sum(values)}
    if columns.grouped:
        column_of = columns.index_of()
        for label, values in table.items():
            summed = [0] * len(columns.columns)
            for meeting, value in zip(meetings, values):
                summed[column_of[meeting]] += value
            table[label] = summed
    colours = _colours(field, list(table))
    words = Codes.of_rules(ruleset).labels(field)
    series = tuple(
        drawing.Series(f"{words.get(label, label)} ({ruleset.strength(label)})" if field == "modality"
                       else words.get(label, label), colours[label], tuple(values))
        for label, values in table.items()
    )
    title = "by addressee" if field == "addressee" else "by modality (strength)"
    return drawing.Panel(title, tuple(column.label for column in columns.columns), series)


def _layout(panels: list[drawing.Panel]) -> drawing.Layout:
    """CHART_LAYOUT, with both panels widened as much as their column labels need to stand apart."""
    label_font = drawing.font(CHART_LAYOUT.label_px)
    count = max(len(panel.categories) for panel in panels)
    widest = max((label_font.getlength(label) for panel in panels for label in panel.categories), default=0)
    needed = round((count + 0.2) * (widest + COLUMN_GAP))
    return drawing.widened(CHART_LAYOUT, {0: needed, 1: needed})


def write(tables, folder: Path) -> list[dict]:
    """Write the chart of the recommendations table into `folder`; return its resource."""
    path = Path(folder) / CHART_NAME
    path.write_bytes(chart_png(tables.recommendations))
    return [file_resource(path, name=path.stem, kind="file", title=CHART_TITLE, description=CHART_DESCRIPTION,
                          fmt="png", mediatype="image/png")]


def _colours(field: str, labels: list[str]) -> dict[str, str]:
    """Modalities (listed firmest first) along a sequential scale, darkest firmest; addressees qualitative."""
    if field == "modality":
        return {label: drawing.sequential(0.05 + 0.9 * i / max(len(labels) - 1, 1)) for i, label in enumerate(labels)}
    return {label: drawing.QUALITATIVE[i % len(drawing.QUALITATIVE)] for i, label in enumerate(labels)}
