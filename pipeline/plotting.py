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
CHARACTER_PX = 7.5  # the width of a character of a 10 pt tick label at DPI, a little more than DejaVu Sans's average


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


@contextmanager
def figure(size_px: tuple[int, int]) -> Iterator:
    """A matplotlib `Figure` of `size_px` at DPI on the Agg canvas, under matplotlib's default settings (restored
    after), laid out by its constrained layout engine."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        drawn = Figure(figsize=(size_px[0] / DPI, size_px[1] / DPI), dpi=DPI, layout="constrained")
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

    return to_hex(colormaps[name](min(max(fraction, 0.0), 1.0)))


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
    with figure(size_px) as drawn:
        drawn.suptitle(title, fontsize=13)
        for i, (axes, panel) in enumerate(zip(drawn.subplots(1, len(panels), squeeze=False)[0], panels)):
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
            axes.set_title(panel.title, fontsize=11)
            axes.set_xlabel(xlabel)
            if i == 0:
                axes.set_ylabel(ylabel)
            axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=8)
        return png_bytes(drawn)


def heat_map(heat: HeatMap, size_px: tuple[int, int], *, title: str) -> bytes:
    """PNG bytes of `heat`, each cell labelled in per cent, with a colour bar of the scale (0 to the largest share)."""
    from matplotlib.ticker import PercentFormatter

    top = max((value for row in heat.values for value in row), default=0.0) or 0.01
    with figure(size_px) as drawn:
        drawn.suptitle(title, fontsize=13)
        axes = drawn.subplots()
        image = axes.imshow([list(row) for row in heat.values], cmap="Blues", vmin=0, vmax=top, aspect="auto",
                            interpolation="nearest")
        for r, values in enumerate(heat.values):
            for c, value in enumerate(values):
                axes.text(c, r, f"{value:.0%}", ha="center", va="center", fontsize=8,
                          color="white" if value > DARK_CELL * top else "black")
        axes.set_xticks(range(len(heat.columns)), heat.columns)
        axes.set_yticks(range(len(heat.rows)), heat.rows)
        axes.set_xlabel(heat.xlabel)
        drawn.colorbar(image, ax=axes, format=PercentFormatter(1.0, decimals=0), fraction=0.04, pad=0.02)
        return png_bytes(drawn)
