"""The build's charts are drawn with Pillow: scales, colours, size and the imports a build does without."""

import io
import subprocess
import sys

import pytest
from PIL import Image

from pipeline import PROJECT_ROOT
from pipeline.publish import drawing


@pytest.mark.parametrize(("top", "step"), [(0.5, 1), (5.9, 1), (6, 2), (57.75, 10), (61, 20), (130, 50)])
def test_tick_step_is_one_two_or_five_times_a_power_of_ten_with_at_most_six_ticks(top, step):
    assert drawing.tick_step(top) == step


def test_sequential_scale_passes_through_its_stops_and_interpolates_between_them():
    assert drawing.sequential(0) == drawing.SEQUENTIAL[0]
    assert drawing.sequential(1) == drawing.SEQUENTIAL[-1]
    assert drawing.sequential(0.5) == drawing.SEQUENTIAL[4]
    assert drawing.sequential(1 / 16) == "#461768"  # halfway between #440154 and #472d7b


def test_render_draws_each_series_in_its_colour_on_a_canvas_of_the_layout_size():
    panel = drawing.Panel("p", ("I", "II"), (drawing.Series("a", "#1f77b4", (3, 0)),
                                              drawing.Series("b", "#ff7f0e", (1, 4))))
    layout = drawing.Layout(size=(400, 200), boxes=((0.15, 0.2, 0.5, 0.6),))
    image = Image.open(io.BytesIO(drawing.render([panel], layout, title="t", xlabel="x", ylabel="y")))
    assert (image.format, image.mode, image.size) == ("PNG", "RGB", (400, 200))
    colours = {colour for _, colour in image.getcolors(maxcolors=400 * 200)}
    assert {(0x1F, 0x77, 0xB4), (0xFF, 0x7F, 0x0E)} <= colours


def test_a_build_imports_neither_matplotlib_nor_pdfplumber(tmp_path):
    code = (
        "import sys; from pathlib import Path; from pipeline.build import build; from pipeline import DEFAULT_SOURCE; "
        f"build(DEFAULT_SOURCE, Path({str(tmp_path / 'out')!r}), log=lambda line: None); "
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'matplotlib', 'pdfplumber'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "out" / "research-counts.png").is_file()


def test_heat_map_shades_each_cell_by_its_share_of_the_largest_on_a_canvas_of_the_layout_size():
    heat = drawing.HeatMap(("a", "b"), ("I", "II\n2013"), ((0.0, 0.5), (0.25, 0.0)), "meeting")
    layout = drawing.Layout(size=(400, 300), boxes=((0.3, 0.25, 0.5, 0.65), (0.85, 0.25, 0.04, 0.65)))
    image = Image.open(io.BytesIO(drawing.render_heat_map(heat, layout, title="t")))
    assert (image.format, image.mode, image.size) == ("PNG", "RGB", (400, 300))
    colours = {colour for _, colour in image.getcolors(maxcolors=400 * 300)}
    lightest, middle, darkest = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))
                                 for c in (drawing.BLUES[0], drawing.BLUES[4], drawing.BLUES[-1]))
    assert {lightest, middle, darkest} <= colours
