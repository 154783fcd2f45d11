"""Charts as PNG drawn with matplotlib: stacked bars side by side and heat maps, the same bytes for the same data.

The same data give the same bytes: matplotlib's own defaults (not the user's matplotlibrc), the DejaVu Sans font and
the FreeType bundled with matplotlib, the Agg renderer drawn into a `Figure` of its own (no pyplot, no interactive
backend), a fixed size and resolution, and a PNG with no "Software" text chunk and no time.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

DPI = 100
BAR_WIDTH = 0.8  # of the space between two categories
DARK_CELL = 0.55  # heat map cells darker than this share of the scale get white text
CHARACTER_PX = 7.5  # the width of a character of a 10 pt label at DPI, a little more than DejaVu Sans's average
LEGEND_CHARACTER_PX = 6.2  # the same for the 8 pt legend labels
LEGEND_PATCH_PX = 45  # a legend's colour patch, its padding and the gap to its axes
COLOUR_BAR_PX = 20  # the width of a heat map's colour bar
HEAT_RIGHT_PX = COLOUR_BAR_PX + 60 + 25  # right of a heat map: the gap, the colour bar and its tick labels
# Margins in pixels: room for the titles above, the tick labels and the x label below, the y label on the left.
TOP_PX, BOTTOM_PX, LEFT_PX = 60, 55, 75


@dataclass(frozen=True)
class Series:
    """One stacked segment per category: its legend label, colour and the value of each category."""

    label: str
    colour: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Panel:
    """One set of axes: a title, the categories along x, and the series stacked bottom up in their order."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]

    def totals(self) -> list[int]:
        return [sum(values) for values in zip(*(s.values for s in self.series))] or [0] * len(self.categories)


@dataclass(frozen=True)
class HeatMap:
    """A grid of shares (0 to 1): a row per label from the top, a column per label (lines split by newlines)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    xlabel: str


def label_px(labels: tuple[str, ...] | list[str]) -> float:
    """The width in pixels that the longest line of `labels` needs as a tick label, by its number of characters."""
    return max((len(line) for label in labels for line in label.split("\n")), default=0) * CHARACTER_PX


def legend_px(panels: list[Panel]) -> int:
    """The width in pixels of the widest legend of `panels`, with its patches and its gap to the axes."""
    longest = max((len(series.label) for panel in panels for series in panel.series), default=0)
    return round(longest * LEGEND_CHARACTER_PX) + LEGEND_PATCH_PX


@contextmanager
def figure(size_px: tuple[int, int]) -> Iterator:
    """A matplotlib `Figure` of `size_px` at DPI on the Agg canvas, under matplotlib's default settings (restored
    after). Its axes are placed by margins in pixels, measured from the labels, not by a layout engine, which would
    draw the figure twice."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        drawn = Figure(figsize=(size_px[0] / DPI, size_px[1] / DPI), dpi=DPI)
        FigureCanvasAgg(drawn)
        yield drawn


def png_bytes(drawn) -> bytes:
    """The PNG of a figure from `figure`, without the "Software" text chunk matplotlib writes by default."""
    buffer = io.BytesIO()
    drawn.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def colour_scale(name: str, fraction: float) -> str:
    """The colour at `fraction` (0 to 1) of matplotlib's colour map `name`, as #rrggbb."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    return to_hex(colormaps[name](min(max(float(fraction), 0.0), 1.0)))  # a float: an int picks an entry by index


def qualitative(index: int) -> str:
    """The `index`th colour of matplotlib's "tab10" palette, for categories without an order."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    palette = colormaps["tab10"]
    return to_hex(palette(index % palette.N))


def stacked_bars(panels: list[Panel], size_px: tuple[int, int], *, title: str, xlabel: str, ylabel: str) -> bytes:
    """PNG bytes of `panels` side by side, sharing one y scale of whole numbers, each with its legend on its right."""
    from matplotlib.ticker import MaxNLocator

    top = max((max(panel.totals(), default=0) for panel in panels), default=0) * 1.05 or 1
    width, height = size_px
    legend, count = legend_px(panels), len(panels)
    gap = legend + LEFT_PX - 25  # a legend, then the next panel's tick labels
    axes_width = max((width - LEFT_PX - legend - (count - 1) * gap) / count, 1)
    grid = {"left": LEFT_PX / width, "right": 1 - legend / width, "bottom": BOTTOM_PX / height,
            "top": 1 - TOP_PX / height, "wspace": gap / axes_width}
    with figure(size_px) as drawn:
        drawn.suptitle(title, fontsize=13)
        for i, (axes, panel) in enumerate(zip(drawn.subplots(1, count, squeeze=False, gridspec_kw=grid)[0], panels)):
            positions = list(range(len(panel.categories)))
            bottom = [0] * len(positions)
            for series in panel.series:
                axes.bar(positions, series.values, bottom=bottom, width=BAR_WIDTH, color=series.colour,
                         edgecolor="white", linewidth=0.6, label=series.label)
                bottom = [b + v for b, v in zip(bottom, series.values)]
            axes.set_xticks(positions, panel.categories)
            axes.set_xlim(-0.6, len(positions) - 0.4)
            axes.set_ylim(0, top)
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_title(panel.title, fontsize=11, y=1.0)  # where matplotlib would put it, without measuring
            axes.set_xlabel(xlabel)
            if i == 0:
                axes.set_ylabel(ylabel)
            axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=8)
        return png_bytes(drawn)


def heat_map(heat: HeatMap, size_px: tuple[int, int], *, title: str) -> bytes:
    """PNG bytes of `heat`, each cell labelled in per cent, with a colour bar of the scale (0 to the largest share)."""
    from matplotlib.ticker import PercentFormatter

    top = max((value for row in heat.values for value in row), default=0.0) or 0.01
    width, height = size_px
    left = label_px(heat.rows) + 20
    lines = max((label.count("\n") + 1 for label in heat.columns), default=1)
    bottom = lines * 16 + 40
    box_height = (height - TOP_PX + 10 - bottom) / height
    with figure(size_px) as drawn:
        drawn.suptitle(title, fontsize=13)
        axes = drawn.add_axes((left / width, bottom / height, (width - left - HEAT_RIGHT_PX) / width, box_height))
        scale = drawn.add_axes(((width - COLOUR_BAR_PX - 60) / width, bottom / height, COLOUR_BAR_PX / width,
                                box_height))
        image = axes.imshow([list(row) for row in heat.values], cmap="Blues", vmin=0, vmax=top, aspect="auto",
                            interpolation="nearest")
        for r, values in enumerate(heat.values):
            for c, value in enumerate(values):
                axes.text(c, r, f"{value:.0%}", ha="center", va="center", fontsize=8,
                          color="white" if value > DARK_CELL * top else "black")
        axes.set_xticks(range(len(heat.columns)), heat.columns)
        axes.set_yticks(range(len(heat.rows)), heat.rows)
        axes.set_xlabel(heat.xlabel)
        drawn.colorbar(image, cax=scale, format=PercentFormatter(1.0, decimals=0))
        return png_bytes(drawn)
