"""Charts as PNG drawn with Pillow, stacked bars and heat maps: the build's charts without the half second that
importing matplotlib costs.

The same data give the same bytes: a fixed canvas, the DejaVu Sans font that matplotlib installs (found on disk,
never imported), Pillow's basic text layout (not the optional libraqm, which one machine may have and another not),
whole-pixel coordinates, and a PNG with no text or time chunks.
"""

from __future__ import annotations

import importlib.util
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

INK = (0, 0, 0)
WHITE = (255, 255, 255)
# matplotlib's "tab10" palette, for categories without an order.
QUALITATIVE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
               "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
# matplotlib's "viridis" at 0, 1/8, …, 1, for ordered categories; colours in between are interpolated.
SEQUENTIAL = ("#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725")
# matplotlib's "Blues" at 0, 1/8, …, 1, for the cells of a heat map, lightest for none.
BLUES = ("#f7fbff", "#deebf7", "#c6dbef", "#9dcae1", "#6aaed6", "#4191c6", "#2070b4", "#08509b", "#08306b")
DARK_CELL = 0.55  # cells darker than this share of the scale get white text
TICK = 4  # length of a tick mark, pixels
BAR_WIDTH = 0.8  # of the space between two categories
PNG_COMPRESS_LEVEL = 3  # zlib level: 9 takes four times as long for a file a sixth smaller


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
class Layout:
    """Canvas size in pixels, each panel's axes box as (left, bottom, width, height) fractions of the canvas, and
    font sizes in pixels."""

    size: tuple[int, int]
    boxes: tuple[tuple[float, float, float, float], ...]
    title_px: int = 17
    panel_title_px: int = 15
    label_px: int = 14
    legend_px: int = 11


def widened(layout: Layout, needed: dict[int, int]) -> Layout:
    """`layout` with each box `i` of `needed` at least `needed[i]` pixels wide: the canvas grows by what the boxes
    gain and the boxes to their right move along; `layout` itself when every box is wide enough."""
    width, height = layout.size
    extra = {i: max(0, pixels - round(layout.boxes[i][2] * width)) for i, pixels in needed.items()}
    if not any(extra.values()):
        return layout
    new_width = width + sum(extra.values())
    boxes = []
    for i, (left, bottom, box_width, box_height) in enumerate(layout.boxes):
        shift = sum(gain for j, gain in extra.items() if layout.boxes[j][0] < left)
        boxes.append(((left * width + shift) / new_width, bottom, (box_width * width + extra.get(i, 0)) / new_width,
                      box_height))
    return Layout((new_width, height), tuple(boxes), layout.title_px, layout.panel_title_px, layout.label_px,
                  layout.legend_px)


def render(panels: list[Panel], layout: Layout, *, title: str, xlabel: str, ylabel: str) -> bytes:
    """PNG bytes of `panels` side by side, sharing one y scale, each with its legend on its right."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", layout.size, WHITE)
    draw = ImageDraw.Draw(image)
    top = max((max(panel.totals(), default=0) for panel in panels), default=0) * 1.05 or 1
    draw.text((layout.size[0] // 2, 8), title, font=font(layout.title_px), fill=INK, anchor="mt")
    for panel, box in zip(panels, layout.boxes):
        axes = _axes_box(box, layout.size)
        _draw_panel(draw, panel, axes, top, layout, xlabel)
        _draw_legend(draw, panel.series, (axes[2] + 10, axes[1]), layout.legend_px)
    _draw_ylabel(image, ylabel, _axes_box(layout.boxes[0], layout.size), layout.label_px)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def _axes_box(box: tuple[float, float, float, float], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) in pixels of a box given as fractions measured from the bottom left."""
    left, bottom, width, height = box
    return (round(left * size[0]), round((1 - bottom - height) * size[1]),
            round((left + width) * size[0]), round((1 - bottom) * size[1]))


def _draw_panel(draw, panel: Panel, axes: tuple[int, int, int, int], top: float, layout: Layout,
                xlabel: str) -> None:
    """Bars, frame, ticks, tick labels, title and x label of one panel."""
    left, upper, right, lower = axes
    count = len(panel.categories)

    def x(position: float) -> int:
        return round(left + (position + 0.6) / (count + 0.2) * (right - left))

    def y(value: float) -> int:
        return round(lower - value / top * (lower - upper))

    stacked = [0] * count
    for series in panel.series:
        for i, value in enumerate(series.values):
            if value:
                box = (x(i - BAR_WIDTH / 2), y(stacked[i] + value), x(i + BAR_WIDTH / 2), y(stacked[i]))
                draw.rectangle(box, fill=series.colour, outline=WHITE, width=1)
                stacked[i] += value
    draw.rectangle(axes, outline=INK, width=1)
    label_font = font(layout.label_px)
    for value in range(0, int(top) + 1, tick_step(top)):
        draw.line((left - TICK, y(value), left, y(value)), fill=INK)
        draw.text((left - TICK - 3, y(value)), str(value), font=label_font, fill=INK, anchor="rm")
    for i, category in enumerate(panel.categories):
        draw.line((x(i), lower, x(i), lower + TICK), fill=INK)
        draw.text((x(i), lower + TICK + 3), category, font=label_font, fill=INK, anchor="mt")
    middle = (left + right) // 2
    draw.text((middle, lower + TICK + 24), xlabel, font=label_font, fill=INK, anchor="mt")
    draw.text((middle, upper - 6), panel.title, font=font(layout.panel_title_px), fill=INK, anchor="md")


def _draw_legend(draw, series: tuple[Series, ...], origin: tuple[int, int], size_px: int) -> None:
    """A colour patch and a label per series, listed from the top in the series' order."""
    left, top = origin
    legend_font = font(size_px)
    row = round(size_px * 1.5)
    for i, item in enumerate(series):
        middle = top + row // 2 + i * row
        draw.rectangle((left, middle - 4, left + 2 * size_px, middle + 4), fill=item.colour)
        draw.text((left + 2 * size_px + 8, middle), item.label, font=legend_font, fill=INK, anchor="lm")


def _draw_ylabel(image, text: str, axes: tuple[int, int, int, int], size_px: int) -> None:
    """The y axis label, turned a quarter left, centred on the first panel's height left of its tick labels."""
    from PIL import Image, ImageDraw

    label_font = font(size_px)
    left, top, right, bottom = label_font.getbbox(text, anchor="lt")
    label = Image.new("RGB", (right - left, bottom - top), WHITE)
    ImageDraw.Draw(label).text((-left, -top), text, font=label_font, fill=INK, anchor="lt")
    label = label.transpose(Image.Transpose.ROTATE_90)
    image.paste(label, (axes[0] - 40 - label.width, (axes[1] + axes[3] - label.height) // 2))


@dataclass(frozen=True)
class HeatMap:
    """A grid of shares (0 to 1): a row per label from the top, a column per label (lines split by newlines)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    xlabel: str


def render_heat_map(heat: HeatMap, layout: Layout, *, title: str) -> bytes:
    """PNG bytes of `heat` in the first box of `layout`, each cell labelled in per cent, with a colour bar of the
    scale (0 to the largest share) in the second box."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", layout.size, WHITE)
    draw = ImageDraw.Draw(image)
    top = max((value for row in heat.values for value in row), default=0.0) or 0.01
    draw.text((layout.size[0] // 2, 14), title, font=font(layout.title_px), fill=INK, anchor="mt")
    axes = _axes_box(layout.boxes[0], layout.size)
    _draw_cells(draw, heat, axes, top, layout.legend_px)
    _draw_heat_labels(draw, heat, axes, layout)
    _draw_colour_bar(image, draw, _axes_box(layout.boxes[1], layout.size), top, layout.label_px)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def _draw_cells(draw, heat: HeatMap, axes: tuple[int, int, int, int], top: float, size_px: int) -> None:
    left, upper, right, lower = axes
    xs = [round(left + i * (right - left) / len(heat.columns)) for i in range(len(heat.columns) + 1)]
    ys = [round(upper + i * (lower - upper) / len(heat.rows)) for i in range(len(heat.rows) + 1)]
    cell_font = font(size_px)
    for r, values in enumerate(heat.values):
        for c, value in enumerate(values):
            draw.rectangle((xs[c], ys[r], xs[c + 1], ys[r + 1]), fill=sequential(value / top, BLUES))
            ink = WHITE if value > DARK_CELL * top else INK
            draw.text(((xs[c] + xs[c + 1]) // 2, (ys[r] + ys[r + 1]) // 2), f"{value:.0%}", font=cell_font,
                      fill=ink, anchor="mm")
    draw.rectangle(axes, outline=INK, width=1)


def _draw_heat_labels(draw, heat: HeatMap, axes: tuple[int, int, int, int], layout: Layout) -> None:
    """Row labels on the left, column labels (centred lines) and the x label below."""
    left, upper, right, lower = axes
    row_font, column_font = font(layout.legend_px + 1), font(layout.label_px)
    for r, label in enumerate(heat.rows):
        y = round(upper + (r + 0.5) * (lower - upper) / len(heat.rows))
        draw.line((left - TICK, y, left, y), fill=INK)
        draw.text((left - TICK - 4, y), label, font=row_font, fill=INK, anchor="rm")
    for c, label in enumerate(heat.columns):
        x = round(left + (c + 0.5) * (right - left) / len(heat.columns))
        draw.line((x, lower, x, lower + TICK), fill=INK)
        draw.multiline_text((x, lower + TICK + 3), label, font=column_font, fill=INK, anchor="ma", align="center",
                            spacing=2)
    lines = max((label.count("\n") + 1 for label in heat.columns), default=1)
    draw.text(((left + right) // 2, lower + TICK + 8 + lines * (layout.label_px + 3)), heat.xlabel,
              font=column_font, fill=INK, anchor="mt")


def _draw_colour_bar(image, draw, box: tuple[int, int, int, int], top: float, size_px: int) -> None:
    """The scale from 0 (bottom) to `top`, with ticks every 1, 2 or 5 per cent (times a power of ten)."""
    left, upper, right, lower = box
    for y in range(upper, lower + 1):
        draw.line((left, y, right, y), fill=sequential((lower - y) / max(lower - upper, 1), BLUES))
    draw.rectangle(box, outline=INK, width=1)
    label_font = font(size_px)
    for percent in range(0, int(top * 100) + 1, tick_step(top * 100, most=8)):
        y = round(lower - percent / 100 / top * (lower - upper))
        draw.line((right, y, right + TICK, y), fill=INK)
        draw.text((right + TICK + 3, y), f"{percent}%", font=label_font, fill=INK, anchor="lm")


def tick_step(top: float, most: int = 6) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that puts at most `most` ticks between 0 and `top`."""
    step, factors = 1, (2, 2.5, 2)
    i = 0
    while top / step >= most:
        step = round(step * factors[i % 3])
        i += 1
    return step


def sequential(fraction: float, stops: tuple[str, ...] = SEQUENTIAL) -> str:
    """The colour at `fraction` (0 to 1) along `stops`, interpolated between its two nearest stops."""
    position = min(max(fraction, 0.0), 1.0) * (len(stops) - 1)
    low = min(int(position), len(stops) - 2)
    weight = position - low
    start, end = (_rgb(stops[low]), _rgb(stops[low + 1]))
    return "#" + "".join(f"{round(a + (b - a) * weight):02x}" for a, b in zip(start, end))


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


@cache
def font(size_px: int):
    """DejaVu Sans at `size_px` pixels, laid out by Pillow's own basic engine."""
    from PIL import ImageFont

    return ImageFont.truetype(str(font_path()), size_px, layout_engine=ImageFont.Layout.BASIC)


def font_path() -> Path:
    """DejaVu Sans as matplotlib installs it, located without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    return Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
