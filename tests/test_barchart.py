"""The build's chart is drawn with Pillow: scales, colours, size and the imports a build does without."""

import io
import subprocess
import sys

import pytest
from PIL import Image

from pipeline import PROJECT_ROOT
from pipeline.publish import barchart


@pytest.mark.parametrize(("top", "step"), [(0.5, 1), (5.9, 1), (6, 2), (57.75, 10), (61, 20), (130, 50)])
def test_tick_step_is_one_two_or_five_times_a_power_of_ten_with_at_most_six_ticks(top, step):
    assert barchart.tick_step(top) == step


def test_sequential_scale_passes_through_its_stops_and_interpolates_between_them():
    assert barchart.sequential(0) == barchart.SEQUENTIAL[0]
    assert barchart.sequential(1) == barchart.SEQUENTIAL[-1]
    assert barchart.sequential(0.5) == barchart.SEQUENTIAL[4]
    assert barchart.sequential(1 / 16) == "#461768"  # halfway between #440154 and #472d7b


def test_render_draws_each_series_in_its_colour_on_a_canvas_of_the_layout_size():
    panel = barchart.Panel("p", ("I", "II"), (barchart.Series("a", "#1f77b4", (3, 0)),
                                              barchart.Series("b", "#ff7f0e", (1, 4))))
    layout = barchart.Layout(size=(400, 200), boxes=((0.15, 0.2, 0.5, 0.6),))
    image = Image.open(io.BytesIO(barchart.render([panel], layout, title="t", xlabel="x", ylabel="y")))
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
