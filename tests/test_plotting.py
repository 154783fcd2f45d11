"""The build's charts are drawn with matplotlib: the colours of the data, the size asked, the same bytes in every
process, and no PDF library loaded by a build from text."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from PIL import Image

from pipeline import PROJECT_ROOT, plotting


def colours_of(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in image.getcolors(maxcolors=image.size[0] * image.size[1])}


def test_stacked_bars_are_drawn_in_their_series_colours_on_a_canvas_of_the_size_asked():
    panel = plotting.Panel("p", ("I", "II"), (plotting.Series("a", "#1f77b4", (3, 0)),
                                              plotting.Series("b", "#ff7f0e", (1, 4))))
    png = plotting.stacked_bars([panel], (400, 200), title="t", xlabel="x", ylabel="y")
    assert Image.open(io.BytesIO(png)).size == (400, 200)
    assert {(0x1F, 0x77, 0xB4), (0xFF, 0x7F, 0x0E)} <= colours_of(png)


def test_heat_map_shades_its_cells_from_the_lightest_to_the_darkest_blue_of_the_scale():
    heat = plotting.HeatMap(("a", "b"), ("I", "II\n2013"), ((0.0, 0.5), (0.25, 0.0)), "meeting")
    png = plotting.heat_map(heat, (400, 300), title="t")
    assert Image.open(io.BytesIO(png)).size == (400, 300)
    lightest, darkest = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))
                         for c in (plotting.colour_scale("Blues", 0), plotting.colour_scale("Blues", 1)))
    assert {lightest, darkest} <= colours_of(png)


def test_colours_come_from_matplotlibs_maps():
    assert plotting.qualitative(0) == "#1f77b4" and plotting.qualitative(11) == "#ff7f0e"
    assert plotting.colour_scale("viridis", 0) == "#440154" and plotting.colour_scale("viridis", 2) == "#fde725"
    assert plotting.colour_scale("viridis", 1) == plotting.colour_scale("viridis", 1.0) == "#fde725"


CHARTS_IN_A_PROCESS = (
    "import hashlib, pandas as pd; "
    "from pipeline.publish.formats.chart import chart_png; "
    "from pipeline.publish.formats.themes_chart import themes_chart_png; "
    "r = pd.read_parquet('output/recommendations.parquet'); t = pd.read_parquet('output/themes.parquet'); "
    "print(hashlib.sha256(chart_png(r)).hexdigest(), hashlib.sha256(themes_chart_png(r, t)).hexdigest())"
)


@pytest.mark.slow
def test_charts_are_the_same_bytes_in_two_fresh_processes_and_equal_the_committed_ones():
    import hashlib

    runs = [subprocess.run([sys.executable, "-c", CHARTS_IN_A_PROCESS], cwd=PROJECT_ROOT, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    committed = [hashlib.sha256((PROJECT_ROOT / "output" / name).read_bytes()).hexdigest()
                 for name in ("research-counts.png", "research-themes.png")]
    assert runs[0] == runs[1] == committed


@pytest.mark.slow
def test_a_build_from_text_does_not_import_pdfplumber(tmp_path):
    code = (
        "import sys; from pathlib import Path; from pipeline.build import build; from pipeline import DEFAULT_SOURCE; "
        f"build(DEFAULT_SOURCE, Path({str(tmp_path / 'out')!r}), log=lambda line: None); "
        "print('pdfplumber' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    assert (tmp_path / "out" / "research-counts.png").is_file()
