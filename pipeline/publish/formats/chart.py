"""Counts of recommendations by addressee and by modality per meeting: README tables and a PNG chart."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from pipeline.publish.datapackage import file_resource
from pipeline.stages.classify import load_rules
from pipeline.stages.headings import int_to_roman

CHART_NAME = "research-counts.png"
CHART_TITLE = "Recommendations by addressee and by modality per meeting"
CHART_DESCRIPTION = (
    "Bar chart of the recommendations (paragraphs and subparagraphs; chapeaus are not counted) of each meeting "
    "by addressee and by modality, drawn by the build from the recommendations table."
)
CHART_DPI = 100
CHART_SIZE = (12.0, 4.8)  # inches
# Fixed axes boxes (left, bottom, width, height as fractions of the figure), each with room for its legend on the
# right; a layout engine would draw the figure twice and double the time taken.
CHART_AXES = ((0.05, 0.11, 0.26, 0.77), (0.55, 0.11, 0.26, 0.77))


def counted(recommendations: pd.DataFrame) -> pd.DataFrame:
    """The rows that count as one recommendation each: all but chapeaus, whose requests their subparagraphs make."""
    return recommendations[recommendations["kind"] != "chapeau"]


def counts(recommendations: pd.DataFrame, field: str) -> pd.DataFrame:
    """Recommendations per label of `field` (rows, in the order of rules/labels.csv) and meeting (columns)."""
    rows = counted(recommendations)
    meetings = sorted(recommendations["meeting"].unique().tolist())
    table = pd.crosstab(rows[field].astype(str), rows["meeting"]).reindex(
        index=load_rules().labels_of(field), columns=meetings, fill_value=0
    )
    return table.fillna(0).astype(int)


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
    """The counts chart as PNG bytes, identical for identical data.

    Drawn on a bare Agg canvas (no pyplot, no global backend), with matplotlib's default style whatever the
    user's matplotlibrc says, its bundled DejaVu Sans font, a fixed size and resolution, and no Software text
    chunk in the PNG.
    """
    import matplotlib
    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    ruleset = load_rules()
    with matplotlib.style.context("default"), matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        figure = Figure(figsize=CHART_SIZE, dpi=CHART_DPI)
        FigureCanvasAgg(figure)
        first = figure.add_axes(CHART_AXES[0])
        axes = (first, figure.add_axes(CHART_AXES[1], sharey=first))
        for ax, field in zip(axes, ("addressee", "modality")):
            table = counts(recommendations, field)
            table = table[table.sum(axis=1) > 0]
            colours = _colours(field, list(table.index))
            # One bar call for every stacked segment: a call per label costs a tenth of a second more.
            segments = []  # (meeting position, height, bottom, colour)
            stacked = [0] * len(table.columns)
            for label, values in table.iterrows():
                for i, value in enumerate(values.tolist()):
                    if value:
                        segments.append((i, value, stacked[i], colours[label]))
                        stacked[i] += value
            x, heights, bottoms, fill = zip(*segments)
            ax.bar(x, heights, bottom=bottoms, color=fill, edgecolor="white", linewidth=0.5)
            ax.set_xticks(range(len(table.columns)), [int_to_roman(m) for m in table.columns])
            names = [f"{label} ({ruleset.strength(label)})" if field == "modality" else label for label in table.index]
            handles = [Patch(facecolor=colours[label], edgecolor="white", linewidth=0.5) for label in table.index]
            ax.legend(handles, names, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
            ax.set_title("by addressee" if field == "addressee" else "by modality (strength)", fontsize=11)
            ax.set_xlabel("meeting")
        axes[0].set_ylabel("recommendations")
        figure.suptitle(CHART_TITLE, fontsize=12)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=CHART_DPI, metadata={"Software": None})
    return buffer.getvalue()


def write(tables, folder: Path) -> list[dict]:
    """Write the chart of the recommendations table into `folder`; return its resource."""
    path = Path(folder) / CHART_NAME
    path.write_bytes(chart_png(tables.recommendations))
    return [file_resource(path, name=path.stem, kind="file", title=CHART_TITLE, description=CHART_DESCRIPTION,
                          fmt="png", mediatype="image/png")]


def _colours(field: str, labels: list[str]) -> dict[str, tuple]:
    """Modalities (listed firmest first) along a sequential scale, darkest firmest; addressees qualitative."""
    from matplotlib import colormaps

    if field == "modality":
        scale = colormaps["viridis"]
        return {label: scale(0.05 + 0.9 * i / max(len(labels) - 1, 1)) for i, label in enumerate(labels)}
    palette = colormaps["tab10"]
    return {label: palette(i % 10) for i, label in enumerate(labels)}
