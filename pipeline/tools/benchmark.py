"""Benchmark: time each stage of the build on the committed source, and the PDF extract stage (`make benchmark`).

The classify stage's time includes finding the lexicon's lemmas in every unit and analysing the words between them
(each build starts with an empty cache); loading pymorphy3's dictionaries and the lexicon, with the inflected forms
of every lemma, happens once per process, in the first build's classify stage, and is timed on its own.

`--pdf` renders the committed text as a hyphenated PDF of at least `--pages` pages and compares the whole extract
stage (reading, header and footer removal, reflow, loading the Russian dictionary and looking up line-end hyphens)
with pdfplumber's plain `page.extract_text()` over the same pages: pages per second, and the peak memory of each at a
quarter, half and all of the pages. Each measurement runs in a fresh process, after the PDF libraries are imported,
so that one cannot warm or bloat the other.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

STAGES = ("extract", "parse", "tabulate", "classify", "validate", "publish", "total")


def time_imports() -> float:
    started = time.perf_counter()
    import pipeline.build  # noqa: F401  (imports pandas, pyarrow, frictionless)

    return time.perf_counter() - started


def time_builds(source: Path, runs: int) -> dict[str, list[float]]:
    from pipeline.build import build

    timings: dict[str, list[float]] = {stage: [] for stage in STAGES}
    with tempfile.TemporaryDirectory() as tmp:
        build(source, Path(tmp) / "warmup", log=lambda line: None)
        for run in range(runs):
            report = build(source, Path(tmp) / f"run{run}", log=lambda line: None)
            for stage in STAGES:
                timings[stage].append(report.timings[stage])
    return timings


def time_loads(runs: int) -> dict[str, list[float]]:
    """Time what a build loads once per process, before its first classify stage: pymorphy3's dictionaries, and
    the vocabulary and lexicon with the inflected forms of every lemma (each time afresh, bypassing the caches)."""
    from pipeline import morphology
    from pipeline.stages import lexicon

    parts: dict[str, list[float]] = {"pymorphy3 load (once per process)": [],
                                     "lexicon load, forms of every lemma (once per process)": []}
    for _ in range(runs):
        started = time.perf_counter()
        morphology.analyzer.__wrapped__()  # a fresh load, bypassing the process's cached analyser
        parts["pymorphy3 load (once per process)"].append(time.perf_counter() - started)
        lexicon._load_lexicon.cache_clear()
        started = time.perf_counter()
        lexicon.load_lexicon()
        parts["lexicon load, forms of every lemma (once per process)"].append(time.perf_counter() - started)
    return parts


def time_publish_parts(source: Path, runs: int) -> dict[str, list[float]]:
    """Time the two costly parts of publish on their own: drawing the chart, and checking the written package."""
    import pandas as pd

    from pipeline.build import build
    from pipeline.publish.formats.chart import chart_png
    from pipeline.stages.validate import validate_package

    parts: dict[str, list[float]] = {"publish: draw chart": [], "publish: sha256 + frictionless validation": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "out"
        build(source, folder, log=lambda line: None)
        recommendations = pd.read_parquet(folder / "recommendations.parquet")
        for _ in range(runs):
            for name, func, arg in (("publish: draw chart", chart_png, recommendations),
                                    ("publish: sha256 + frictionless validation", validate_package, folder)):
                started = time.perf_counter()
                func(arg)
                parts[name].append(time.perf_counter() - started)
    return parts


# Hyphenated between syllables, so that the extract stage's time includes loading the dictionary and its look-ups.
PDF_LAYOUT = "pt-hyphenated-10pt"
PDF_METHODS = {
    "extract_text": "pdfplumber: page.extract_text() on every page, closing each page after use",
    "extract": "this pipeline's extract stage: pipeline.stages.extract.extract(path)",
}


def measure(method: str, path: Path) -> dict:
    """Run one PDF method once in this process; return its time, pages and peak memory above the imports."""
    from pipeline.stages.extract import extract
    from pipeline.stages.pdf import plain_extract_text  # imports pdfplumber before measuring

    sampler = _RssSampler()
    started = time.perf_counter()
    if method == "extract_text":
        pages = plain_extract_text(path)
    else:
        with contextlib.redirect_stderr(open(os.devnull, "w")):  # the no-sidecar warning
            pages = extract(path).pages
    seconds = time.perf_counter() - started
    return {"method": method, "pages": pages, "seconds": seconds, "peak_mb": sampler.stop()}


class _RssSampler:
    """Peak resident memory above the level at start, sampled from /proc every few milliseconds (Linux)."""

    def __init__(self, interval: float = 0.005):
        self.page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20
        self.start = self.peak = self.rss()
        self.interval = interval
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def rss(self) -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * self.page_mb

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.peak = max(self.peak, self.rss())

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return max(self.peak, self.rss()) - self.start


def _measure_in_child(method: str, path: Path) -> dict:
    result = subprocess.run([sys.executable, "-m", "pipeline.tools.benchmark", "--measure", method, str(path)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def pdf_benchmark(source: Path, min_pages: int, runs: int) -> None:
    from pipeline.tools.fixtures import LAYOUTS, render_pdf

    layout = next(layout for layout in LAYOUTS if layout.name == PDF_LAYOUT)
    text = source.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        one = render_pdf(text, Path(tmp) / "one.pdf", layout)
        repeat = math.ceil(min_pages / (one.pages - 1))  # the first page is not repeated
        sizes = sorted({max(1, repeat // 4), max(1, repeat // 2), repeat})
        files = {}
        started = time.perf_counter()
        for size in sizes:
            rendered = render_pdf(text, Path(tmp) / f"x{size}.pdf", layout, repeat=size)
            files[rendered.pages] = rendered.path
        print(f"PDF: the committed text rendered {repeat} times in layout {layout.name}: {max(files)} pages, "
              f"{files[max(files)].stat().st_size // 1024} KiB (generated in {time.perf_counter() - started:.1f} s); "
              f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
        largest = max(files)
        results: dict[str, dict[int, list[dict]]] = {m: {n: [] for n in files} for m in PDF_METHODS}
        for run in range(runs):
            for pages, path in sorted(files.items()):
                if run and pages != largest:
                    continue
                for method in PDF_METHODS:
                    results[method][pages].append(_measure_in_child(method, path))
    print()
    print(f"| method | pages/s on {largest} pages (best of {runs}) | seconds | "
          + " | ".join(f"peak MB, {n} pages" for n in sorted(files)) + " |")
    print("|---|---:|---:|" + "---:|" * len(files))
    for method, label in PDF_METHODS.items():
        best = min(results[method][largest], key=lambda r: r["seconds"])
        peaks = [min(r["peak_mb"] for r in results[method][n]) for n in sorted(files)]
        print(f"| {label} | {largest / best['seconds']:.1f} | {best['seconds']:.2f} | "
              + " | ".join(f"{p:.1f}" for p in peaks) + " |")
    ratio = (min(r["seconds"] for r in results["extract_text"][largest])
             / min(r["seconds"] for r in results["extract"][largest]))
    print(f"\nThe extract stage runs at {ratio:.2f}x the speed of plain extract_text() on the same pages.")


def main(argv: list[str] | None = None) -> int:
    from pipeline import DEFAULT_SOURCE

    parser = argparse.ArgumentParser(prog="python -m pipeline.tools.benchmark", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--runs", type=int, help="builds to time (default 20); with --pdf, timing runs (default 2)")
    parser.add_argument("--pdf", action="store_true", help="benchmark the PDF extract stage instead")
    parser.add_argument("--pages", type=int, default=100, help="PDF mode: at least this many pages")
    parser.add_argument("--measure", nargs=2, metavar=("METHOD", "PDF"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return 0
    if args.pdf:
        pdf_benchmark(args.source, args.pages, args.runs or 2)
        return 0
    args.runs = args.runs or 20
    imports = time_imports()
    timings = time_builds(args.source, args.runs)
    timings.update(time_loads(max(args.runs // 4, 1)))
    timings.update(time_publish_parts(args.source, max(args.runs // 4, 1)))
    print(f"source: {args.source.name}; {args.runs} builds after one warm-up; Python {sys.version.split()[0]}")
    print(f"imports (once per process): {imports * 1000:.0f} ms")
    print("| stage | median ms | min ms | max ms |")
    print("|---|---:|---:|---:|")
    for stage in timings:
        values = [v * 1000 for v in timings[stage]]
        print(f"| {stage} | {statistics.median(values):.1f} | {min(values):.1f} | {max(values):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
