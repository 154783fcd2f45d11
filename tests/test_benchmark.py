"""The benchmark: the PDF benchmark measures both methods on the same file; the build breakdown accounts for every
part."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from pipeline.tools.benchmark import PDF_METHODS, measure


def test_pdf_benchmark_measures_each_method_on_every_page(tmp_path):
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in ("I. First meeting", "1. A recommendation.", "2. Another recommendation, longer than the first."):
        pdf.add_page()
        pdf.text(20, 30, text)
    path = tmp_path / "three.pdf"
    pdf.output(str(path))
    for method in PDF_METHODS:
        result = measure(method, path)
        assert (result["method"], result["pages"]) == (method, 3)
        assert result["seconds"] > 0 and result["peak_mb"] >= 0


@pytest.mark.slow
def test_build_breakdown_accounts_for_imports_every_stage_and_every_part_of_publish(tmp_path):
    import json
    import subprocess
    import sys

    from pipeline import DEFAULT_SOURCE, PROJECT_ROOT
    from pipeline.publish.formats import FORMATS
    from pipeline.tools.benchmark import BASELINE, STAGES

    out = tmp_path / "out"
    argv = [sys.executable, "-m", "pipeline.tools.benchmark", "--parts", str(DEFAULT_SOURCE), str(out)]
    result = subprocess.run(argv, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    parts = json.loads(result.stdout)
    writers = [f"publish: write {name}" for name in FORMATS]
    assert list(parts) == [f"`{BASELINE}`", "the pipeline's own modules and the other libraries they import",
                           "pymorphy3's dictionaries (once per process)",
                           "the rules with the themes lexicon",
                           *STAGES[:-1], *writers, "publish: check the package",
                           "publish: the descriptor, the staging folder and the swap",
                           "the command line around the build"]
    assert all(seconds >= 0 for seconds in parts.values())
    assert (out / "datapackage.json").is_file()


def test_edition_targets_are_reported_met_or_missed_from_the_figures():
    from pipeline.tools.benchmark import target_lines

    def edition(wall, peak, classify):
        return {"wall": wall, "cpu": wall, "peak_mb": peak, "seconds": {"classify": classify, "parse": 0.1}}

    figures = {1: edition(1.0, 200, 0.2), 10: edition(2.0, 250, 0.5), 40: edition(4.0, 300, 2.0)}
    lines = target_lines(figures, floor_ratio=2.0)
    assert lines == [
        "- 40x build / this edition's build: 4.00 (CPU 4.00; target at most 4.0): met",
        "- stages and parts of publish taking 0.3 s or more at 40x, growth from 10x: classify 4.00 (target at most "
        "4.8 each): met",
        "- 40x peak memory / this edition's: 1.50 (target at most 1.5): met",
        "- this edition's build / the import floor (the comparison above): 2.00 (target at most 2.5): met",
    ]
    figures[40] = edition(4.5, 320, 2.5)
    assert [line.rsplit(": ", 1)[1] for line in target_lines(figures)] == ["MISSED", "MISSED", "MISSED"]


def test_comparison_gives_the_guard_against_the_floor_and_the_ratio_against_the_imports_with_matplotlib(capsys):
    from pipeline.tools.benchmark import BASELINE, WITH_CHARTS, print_comparison

    print_comparison({"build": [(2.0, 2.2), (1.8, 2.0), (1.9, 2.1)], "imports": [(0.5, 0.6)] * 3,
                      "imports with charts": [(0.95, 1.0), (0.9, 0.96), (1.0, 1.05)]})
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == f'`python -c "{BASELINE}"` in a fresh process: 500 ms (CPU 600 ms)'
    assert lines[2] == "ratio: 3.80 (target: at most 2.5, MISSED); in CPU time: 3.50"
    assert lines[3] == (f'`python -c "{WITH_CHARTS}"`: 950 ms (CPU 1000 ms); the build is 2.00 times that (in CPU '
                        f"time 2.10), for information")
    assert WITH_CHARTS.startswith(BASELINE) and "matplotlib" in WITH_CHARTS
