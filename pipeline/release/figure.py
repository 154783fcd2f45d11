"""The figure of the release and the README: recommendations per meeting, split by kind, as a PNG.

The same rows give the same bytes: matplotlib's own defaults (not the user's matplotlibrc), the DejaVu Sans font
bundled with matplotlib (it has Cyrillic), the Agg renderer with matplotlib's bundled FreeType, a fixed size and
resolution, and no "Software" text chunk in the PNG.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipeline.plotting import DPI, png_bytes

FILENAME = "recommendations-per-meeting.png"
KIND_COLOURS = {"paragraph": "#1f5f8b", "chapeau": "#e0a030", "subparagraph": "#6aa84f"}
SIZE_INCHES = (8.0, 4.5)


def render_figure(recommendations: list[dict], meetings: list[dict]) -> bytes:
    """PNG bytes of a stacked bar chart: rows per meeting, split by kind."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    font = FontProperties(fname=fonts / "DejaVuSans.ttf", size=10)
    small = FontProperties(fname=fonts / "DejaVuSans.ttf", size=9)
    title_font = FontProperties(fname=fonts / "DejaVuSans-Bold.ttf", size=12)

    from pipeline.codes import Codes
    from pipeline.rules import load_rules

    label_of = Codes.of_rules(load_rules()).label_of

    counts = Counter((row["meeting"], row["kind"]) for row in recommendations)
    kinds = [kind for kind in KIND_COLOURS if any(k == kind for _, k in counts)]
    kinds += sorted({k for _, k in counts} - set(kinds))
    numbers = [meeting["meeting"] for meeting in meetings]
    labels = [f"{meeting['roman']}\n{meeting['year']}" for meeting in meetings]

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        bottoms = [0] * len(numbers)
        for kind in kinds:
            heights = [counts.get((number, kind), 0) for number in numbers]
            axes.bar(range(len(numbers)), heights, bottom=bottoms, width=0.6, label=label_of("kind", kind),
                     color=KIND_COLOURS.get(kind, "#888888"), edgecolor="white", linewidth=0.6)
            bottoms = [b + h for b, h in zip(bottoms, heights)]
        for x, total in enumerate(bottoms):
            axes.text(x, total + 0.8, str(total), ha="center", va="bottom", fontproperties=small)
        axes.set_xticks(range(len(numbers)), labels)
        for tick in axes.get_xticklabels() + axes.get_yticklabels():
            tick.set_fontproperties(small)
        axes.set_xlabel("Meeting of the Working Group (Roman numeral as in the source, year)", fontproperties=font)
        axes.set_ylabel("Rows (paragraphs and subparagraphs)", fontproperties=font)
        axes.set_title("Recommendations adopted per meeting, by kind", fontproperties=title_font)
        axes.set_ylim(0, max(bottoms, default=0) * 1.15 + 1)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(prop=small, frameon=False, title="Kind", title_fontproperties=small)
        figure.tight_layout()
        return png_bytes(figure)
