"""Counts of recommendations by addressee and by modality per meeting: README tables and a PNG chart."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.publish import barchart
from pipeline.publish.datapackage import file_resource
from pipeline.stages.classify import load_rules
from pipeline.stages.parse import int_to_roman

CHART_NAME = "research-counts.png"
CHART_TITLE = "Recommendations by addressee and by modality per meeting"
CHART_DESCRIPTION = (
    "Bar chart of the recommendations (paragraphs and subparagraphs; chapeaus are not counted) of each meeting "
    "by addressee and by modality, drawn by the build from the recommendations table."
)
# 1200 by 480 pixels; axes boxes as (left, bottom, width, height) fractions, each with room for its legend on the right.
CHART_LAYOUT = barchart.Layout(size=(1200, 480), boxes=((0.06, 0.13, 0.25, 0.75), (0.55, 0.13, 0.25, 0.75)))


def counted(recommendations: pd.DataFrame) -> pd.DataFrame:
    """The rows that count as one recommendation each: all but chapeaus, whose requests their subparagraphs make."""
    return recommendations[recommendations["kind"] != "chapeau"]


def counts(recommendations: pd.DataFrame, field: str) -> pd.DataFrame:
    """Recommendations per label of `field` (rows, in the order of rules/labels.csv) and meeting (columns)."""
    rows = counted(recommendations)
    found = Counter(zip(rows[field].astype(str).tolist(), rows["meeting"].tolist()))
    meetings = sorted(set(recommendations["meeting"].tolist()))
    labels = load_rules().labels_of(field)
    return pd.DataFrame([[found[label, meeting] for meeting in meetings] for label in labels],
                        index=labels, columns=meetings)


def markdown_counts(recommendations: pd.DataFrame) -> str:
    """Two Markdown tables: counts by addressee and by modality (with its strength) per meeting."""
    ruleset = load_rules()
    out = []
    for field in ("addressee", "modality"):
        table = counts(recommendations, field)
        head = [field] + (["strength"] if field == "modality" else []) + [int_to_roman(m) for m in table.columns]
        out.append("| " + " | ".join(head + ["total"]) + " |")
        out.append("|---|" + "---:|" * (len(head) - 1 + 1))
        for label, values in table.iterrows():
            cells = [f"`{label}`"]
            if field == "modality":
                strength = ruleset.strength(label)
                cells.append(str(strength) if strength is not None else "—")
            cells += [str(v) for v in values.tolist()] + [str(int(values.sum()))]
            out.append("| " + " | ".join(cells) + " |")
        totals = table.sum()
        filler = [""] if field == "modality" else []
        cells = filler + [str(v) for v in totals.tolist()] + [str(int(totals.sum()))]
        out.append("| total | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def chart_png(recommendations: pd.DataFrame) -> bytes:
    """The counts chart as PNG bytes, identical for identical data (see pipeline/publish/barchart.py)."""
    panels = [_panel(recommendations, field) for field in ("addressee", "modality")]
    return barchart.render(panels, CHART_LAYOUT, title=CHART_TITLE, xlabel="meeting", ylabel="recommendations")


def _panel(recommendations: pd.DataFrame, field: str) -> barchart.Panel:
    """The bars of one field: a series per label that occurs, stacked in the order of rules/labels.csv."""
    ruleset = load_rules()
    table = counts(recommendations, field)
    table = table[table.sum(axis=1) > 0]
    colours = _colours(field, list(table.index))
    series = tuple(
        barchart.Series(f"{label} ({ruleset.strength(label)})" if field == "modality" else label, colours[label],
                        tuple(int(v) for v in values.tolist()))
        for label, values in table.iterrows()
    )
    title = "by addressee" if field == "addressee" else "by modality (strength)"
    return barchart.Panel(title, tuple(int_to_roman(m) for m in table.columns), series)


def write(tables, folder: Path) -> list[dict]:
    """Write the chart of the recommendations table into `folder`; return its resource."""
    path = Path(folder) / CHART_NAME
    path.write_bytes(chart_png(tables.recommendations))
    return [file_resource(path, name=path.stem, kind="file", title=CHART_TITLE, description=CHART_DESCRIPTION,
                          fmt="png", mediatype="image/png")]


def _colours(field: str, labels: list[str]) -> dict[str, str]:
    """Modalities (listed firmest first) along a sequential scale, darkest firmest; addressees qualitative."""
    if field == "modality":
        return {label: barchart.sequential(0.05 + 0.9 * i / max(len(labels) - 1, 1)) for i, label in enumerate(labels)}
    return {label: barchart.QUALITATIVE[i % len(barchart.QUALITATIVE)] for i, label in enumerate(labels)}
