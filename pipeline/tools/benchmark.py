"""Benchmark: a full build against the imports it cannot avoid, where its time goes, and the PDF extract stage.

`make benchmark` times `python -m pipeline build` on the committed text in a fresh process against a fresh process
that only runs `import pandas, pyarrow, frictionless`, alternately, and prints both medians and their ratio; then
splits the time of a build in a fresh process into start-up, imports, stages and the parts of publish; then builds
the committed text and its editions 10 and 40 times larger (pipeline/tools/edition.py), each in fresh processes, and
prints each stage's time, each part of publish and the peak memory (resource.getrusage) of each edition, and the
ratios against the targets. Every stage time comes from the build's own report (BuildReport.timings and .parts): the
benchmark changes nothing in the code it measures.

What a build loads once per process before its classify stage, pymorphy3's dictionaries and the themes lexicon with
the inflected forms of every lemma, is timed on its own lines; the classify stage's time is then finding the
lexicon's lemmas in every unit and analysing the words between them.

`--pdf` renders the committed text as a hyphenated PDF of at least `--pages` pages and compares the whole extract
stage (reading, header and footer removal, reflow, loading the Russian dictionary and looking up line-end hyphens)
with pdfplumber's plain `page.extract_text()` over the same pages: pages per second, and the peak memory of each at a
quarter, half and all of the pages. Each measurement runs in a fresh process, after the PDF libraries are imported,
so that one cannot warm or bloat the other.

`--word` times a full build from the committed Word fixture (tests/data/libreoffice/un-style.docx) against a full
build from the committed text, alternately in fresh processes (target: at most WORD_TARGET times), and the extract
stage against pdfplumber's `extract_text()` on the fixture's hyphenated LibreOffice PDF.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

STAGES = ("extract", "parse", "tabulate", "classify", "validate", "publish")
BASELINE = "import pandas, pyarrow, frictionless"
# The same with the chart library, which every build imports too since the charts are drawn with matplotlib: shown
# beside the guard (which is set against BASELINE), for what the rest of the build costs.
WITH_CHARTS = BASELINE + ", matplotlib.figure, matplotlib.backends.backend_agg"
TARGET_RATIO = 2.5  # the committed text's build at most 2.5 times the time of the baseline imports
WORD_TARGET = 1.3  # a build from a Word document at most 1.3 times a build from the text
# Larger editions (pipeline/tools/edition.py: the meetings repeated) and what their builds may cost.
EDITIONS = (1, 10, 40)
LARGEST_BUILD_RATIO = 4.0  # the largest edition's build at most 4 times the committed text's
STAGE_GROWTH = 4.8  # a stage or part of publish grows at most 4.8 times from 10x to 40x ...
STAGE_FLOOR = 0.3  # ... when it takes at least 0.3 s at 40x
PEAK_MEMORY_RATIO = 1.5  # the largest edition's peak memory at most 1.5 times the committed text's


def child_environment() -> dict[str, str]:
    """The environment of the timed processes: this one's, but free to cache the pipeline's compiled bytecode as
    any installed program does (the libraries' bytecode was cached when they were installed), so that a setting
    of PYTHONDONTWRITEBYTECODE does not charge the build for compiling its own modules in every run."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def time_process(argv: list[str], quiet: bool = False) -> tuple[float, float]:
    """Wall-clock and CPU (user and system) seconds of one command run to completion in a fresh process from the
    project's root."""
    from pipeline import PROJECT_ROOT

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL if quiet else None, env=child_environment())
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def compare_with_imports(source: Path, runs: int) -> dict[str, list[tuple[float, float]]]:
    """Time (wall clock, CPU) a full build in a fresh process, a fresh process that only imports pandas, pyarrow and
    frictionless, and one that imports matplotlib's figure and Agg canvas besides, in turn, after one uncounted round
    that warms the disk cache."""
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "imports": [sys.executable, "-c", BASELINE],
            "imports with charts": [sys.executable, "-c", WITH_CHARTS],
            "build": [sys.executable, "-m", "pipeline", "build", "--source", str(source), "--out", f"{tmp}/out"],
        }
        seconds: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for run in range(runs + 1):
            for name, argv in commands.items():
                elapsed = time_process(argv)
                if run:
                    seconds[name].append(elapsed)
    return seconds


def build_parts(source: Path, out: Path) -> dict[str, float]:
    """In a fresh process: seconds spent importing, in each stage and in each part of publish of one build run as
    `python -m pipeline build` runs it, read from the build's own report."""
    started = time.perf_counter()
    import frictionless  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    parts = {f"`{BASELINE}`": time.perf_counter() - started}
    mark = time.perf_counter()
    import pipeline.build
    import pipeline.cli  # noqa: F401

    parts["the pipeline's own modules and the other libraries they import"] = time.perf_counter() - mark
    parts.update(_time_loads())
    mark = time.perf_counter()
    report = _build_as_the_command_does(source, out)
    command = time.perf_counter() - mark
    for stage in STAGES[:-1]:  # publish is split into its parts below
        parts[stage] = report.timings[stage]
    for name, seconds in report.parts.items():
        parts[f"publish: {name}"] = seconds
    parts["publish: the descriptor, the staging folder and the swap"] = (report.timings["publish"]
                                                                        - sum(report.parts.values()))
    parts["the command line around the build"] = command - report.timings["total"]
    return parts


def _build_as_the_command_does(source: Path, out: Path):
    """Run one build as `python -m pipeline build` does, quietly; return the build's report."""
    from pipeline.build import build

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return build(source, out)


def _time_loads() -> dict[str, float]:
    """Load what the classify stage loads once per process, timing each: pymorphy3's dictionaries, then the themes
    lexicon with the inflected forms of every lemma (the build then finds both loaded)."""
    from pipeline import morphology
    from pipeline import rules

    parts = {}
    for name, load in (("pymorphy3's dictionaries (once per process)", morphology.analyzer),
                       ("the rules with the themes lexicon", rules.load_rules)):
        started = time.perf_counter()
        load()
        parts[name] = time.perf_counter() - started
    return parts


def breakdown(source: Path, runs: int) -> dict[str, list[float]]:
    """Where the time of a build in a fresh process goes: `build_parts` in `runs` child processes; what the child
    cannot see of itself (starting Python, exiting) is its wall-clock time minus the parts."""
    from pipeline import PROJECT_ROOT

    timings: dict[str, list[float]] = {"Python start-up and exit": []}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            argv = [sys.executable, "-m", "pipeline.tools.benchmark", "--parts", str(source), f"{tmp}/out{run}"]
            started = time.perf_counter()
            result = subprocess.run(argv, check=True, capture_output=True, text=True, cwd=PROJECT_ROOT,
                                    env=child_environment())
            elapsed = time.perf_counter() - started
            parts = json.loads(result.stdout)
            timings["Python start-up and exit"].append(elapsed - sum(parts.values()))
            for name, seconds in parts.items():
                timings.setdefault(name, []).append(seconds)
    return timings


def print_comparison(seconds: dict[str, list[tuple[float, float]]]) -> None:
    """The medians of the build and of the import floor and their ratio, in wall-clock time (the target) and in CPU
    time (steadier on a busy machine); then, when timed, the imports with matplotlib's and the build's ratio to them."""
    runs = len(seconds["build"])
    wall, cpu = ({name: statistics.median(t[i] for t in times) for name, times in seconds.items()} for i in (0, 1))
    print(f"full text build, `python -m pipeline build` in a fresh process: {wall['build'] * 1000:.0f} ms "
          f"(CPU {cpu['build'] * 1000:.0f} ms; medians of {runs})")
    print(f"`python -c \"{BASELINE}\"` in a fresh process: {wall['imports'] * 1000:.0f} ms "
          f"(CPU {cpu['imports'] * 1000:.0f} ms)")
    ratio = wall['build'] / wall['imports']
    print(f"ratio: {ratio:.2f} (target: at most {TARGET_RATIO}, {'met' if ratio <= TARGET_RATIO else 'MISSED'}); "
          f"in CPU time: {cpu['build'] / cpu['imports']:.2f}")
    if "imports with charts" in wall:
        charts = "imports with charts"
        print(f"`python -c \"{WITH_CHARTS}\"`: {wall[charts] * 1000:.0f} ms (CPU {cpu[charts] * 1000:.0f} ms); "
              f"the build is {wall['build'] / wall[charts]:.2f} times that (in CPU time "
              f"{cpu['build'] / cpu[charts]:.2f}), for information")


def print_breakdown(timings: dict[str, list[float]]) -> None:
    medians = {name: statistics.median(values) for name, values in timings.items()}
    total = sum(medians.values())
    print(f"| where the time of a build goes (fresh process, median of {len(timings[STAGES[0]])}) | ms | share |")
    print("|---|---:|---:|")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds * 1000:.1f} | {seconds / total:.0%} |")
    print(f"| total | {total * 1000:.1f} | 100% |")


def edition_run(source: Path, out: Path) -> dict:
    """In a fresh process: one build of `source` as the command runs it; the seconds of each stage and each part of
    publish from the build's report, and the process's peak resident memory (resource.getrusage, in MB)."""
    report = _build_as_the_command_does(source, out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    stages = {stage: report.timings[stage] for stage in STAGES}
    return {"stages": stages, "parts": {f"publish: {name}": s for name, s in report.parts.items()}, "peak_mb": peak}


def editions_benchmark(source: Path, runs: int, times: tuple[int, ...] = EDITIONS) -> dict[int, dict]:
    """Build the committed text and its editions `times` times larger, each `runs` times in a fresh process
    (round-robin, after one uncounted round); the median of every figure of each edition."""
    from pipeline import PROJECT_ROOT
    from pipeline.tools.edition import repeated_edition

    text = source.read_text(encoding="utf-8")
    runs_of: dict[int, list[dict]] = {n: [] for n in times}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for n in times:
            paths[n] = source if n == 1 else Path(tmp) / f"{source.stem}.x{n}.md"
            if n != 1:
                paths[n].write_text(repeated_edition(text, n), encoding="utf-8")
        for run in range(runs + 1):
            for n in times:
                argv = [sys.executable, "-m", "pipeline.tools.benchmark", "--edition-run", str(paths[n]),
                        f"{tmp}/out{n}"]
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                result = subprocess.run(argv, check=True, capture_output=True, text=True, cwd=PROJECT_ROOT,
                                        env=child_environment())
                wall = time.perf_counter() - started
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if run:
                    figures = json.loads(result.stdout)
                    figures["wall"] = wall
                    figures["cpu"] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                    figures["units"] = _units(Path(f"{tmp}/out{n}"))
                    runs_of[n].append(figures)
    return {n: _medians(results) for n, results in runs_of.items()}


def _units(out: Path) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(out / "recommendations.parquet").metadata.num_rows


def _medians(results: list[dict]) -> dict:
    names = [*results[0]["stages"], *results[0]["parts"]]
    return {
        "wall": statistics.median(r["wall"] for r in results),
        "cpu": statistics.median(r["cpu"] for r in results),
        "peak_mb": statistics.median(r["peak_mb"] for r in results),
        "units": results[0]["units"],
        "runs": len(results),
        "spread": (min(r["wall"] for r in results), max(r["wall"] for r in results)),
        "seconds": {name: statistics.median({**r["stages"], **r["parts"]}[name] for r in results)
                    for name in names},
    }


def print_editions(figures: dict[int, dict], floor_ratio: float | None = None) -> None:
    """The table of the editions: the build in a fresh process, each stage and part of publish, the peak memory;
    then the ratios against the targets."""
    times = sorted(figures)
    seed, largest = figures[times[0]], figures[times[-1]]
    previous = figures[times[-2]] if len(times) > 2 else seed
    growth_label = f"{times[-1]}x / {times[-2] if len(times) > 2 else times[0]}x"
    names = {1: "this edition"}
    print(f"| editions (medians of {seed['runs']} fresh processes each) | "
          + " | ".join(f"{names.get(n, f'{n}x')}, {figures[n]['units']:,} units" for n in times)
          + f" | {growth_label} |")
    print("|---|" + "---:|" * (len(times) + 1))

    def row(label: str, values: list[float], fmt: str, ratio: float | None) -> None:
        print(f"| {label} | " + " | ".join(format(v, fmt) for v in values)
              + f" | {'' if ratio is None else f'{ratio:.2f}'} |")

    def growth(a: float, b: float) -> float | None:
        return b / a if a > 0 else None

    row("build, fresh process (s)", [figures[n]["wall"] for n in times], ".2f",
        growth(previous["wall"], largest["wall"]))
    print("| build, spread of the runs (s) | " + " | ".join(f"{figures[n]['spread'][0]:.2f}–{figures[n]['spread'][1]:.2f}"
                                                          for n in times) + " | |")
    row("build, CPU (s)", [figures[n]["cpu"] for n in times], ".2f", growth(previous["cpu"], largest["cpu"]))
    for name in seed["seconds"]:
        row(name, [figures[n]["seconds"][name] for n in times], ".3f",
            growth(previous["seconds"][name], largest["seconds"][name]))
    row("peak memory (MB)", [figures[n]["peak_mb"] for n in times], ".0f",
        growth(previous["peak_mb"], largest["peak_mb"]))
    print()
    for line in target_lines(figures, floor_ratio):
        print(line)


def target_lines(figures: dict[int, dict], floor_ratio: float | None = None) -> list[str]:
    """Each target, its figure and whether it is met; `floor_ratio` is the committed text's build over the import
    floor as the alternating comparison measured them."""
    times = sorted(figures)
    seed, largest = figures[times[0]], figures[times[-1]]
    previous = figures[times[-2]]

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    build_ratio = largest["wall"] / seed["wall"]
    cpu_ratio = largest["cpu"] / seed["cpu"]
    lines = [f"- {times[-1]}x build / this edition's build: {build_ratio:.2f} (CPU {cpu_ratio:.2f}; target at most "
             f"{LARGEST_BUILD_RATIO}): {verdict(build_ratio <= LARGEST_BUILD_RATIO)}"]
    grown = {name: largest["seconds"][name] / previous["seconds"][name]
             for name, seconds in largest["seconds"].items()
             if seconds >= STAGE_FLOOR and previous["seconds"][name] > 0}
    shown = ", ".join(f"{name} {ratio:.2f}" for name, ratio in grown.items())
    lines.append(f"- stages and parts of publish taking {STAGE_FLOOR} s or more at {times[-1]}x, growth from "
                 f"{times[-2]}x: {shown or 'none'} (target at most {STAGE_GROWTH} each): "
                 f"{verdict(all(r <= STAGE_GROWTH for r in grown.values()))}")
    memory = largest["peak_mb"] / seed["peak_mb"]
    lines.append(f"- {times[-1]}x peak memory / this edition's: {memory:.2f} (target at most {PEAK_MEMORY_RATIO}): "
                 f"{verdict(memory <= PEAK_MEMORY_RATIO)}")
    if floor_ratio is not None:
        lines.append(f"- this edition's build / the import floor (the comparison above): {floor_ratio:.2f} (target "
                     f"at most {TARGET_RATIO}): {verdict(floor_ratio <= TARGET_RATIO)}")
    return lines


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
    """Render the PDF with the test fixtures' typesetter (tests/fixtures/, which needs the test extras and the project
    folder on the path, as `make benchmark` has it) and time each method on it."""
    from tests.fixtures import LAYOUTS, render_pdf

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


def word_benchmark(source: Path, runs: int) -> None:
    """A build from the Word fixture against one from the text, and the PDF extract stage on LibreOffice's PDF."""
    from pipeline import PROJECT_ROOT

    fixtures = PROJECT_ROOT / "tests" / "data" / "libreoffice"
    word, pdf = fixtures / "un-style.docx", fixtures / "un-style-hyphenated.pdf"
    print(f"Word: {word.name} ({word.stat().st_size // 1024} KiB) against {source.name}; Python "
          f"{sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        commands = {name: [sys.executable, "-m", "pipeline", "build", "--source", str(path), "--out", f"{tmp}/{name}"]
                    for name, path in (("text", source), ("word", word))}
        seconds: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for run in range(runs + 1):
            for name, argv in commands.items():
                elapsed = time_process(argv, quiet=True)
                if run:
                    seconds[name].append(elapsed)
    wall, cpu = ({name: statistics.median(t[i] for t in times) for name, times in seconds.items()} for i in (0, 1))
    print(f"full build from the text in a fresh process: {wall['text'] * 1000:.0f} ms (CPU {cpu['text'] * 1000:.0f} "
          f"ms; medians of {runs})")
    print(f"full build from the Word document in a fresh process: {wall['word'] * 1000:.0f} ms (CPU "
          f"{cpu['word'] * 1000:.0f} ms)")
    print(f"ratio: {wall['word'] / wall['text']:.2f} (target: at most {WORD_TARGET}); in CPU time: "
          f"{cpu['word'] / cpu['text']:.2f}")
    results = {method: [_measure_in_child(method, pdf) for _ in range(max(3, runs // 3))] for method in PDF_METHODS}
    best = {method: min(r["seconds"] for r in found) for method, found in results.items()}
    pages = results["extract"][0]["pages"]
    print(f"\nPDF: {pdf.name}, {pages} pages written by LibreOffice (best of {len(results['extract'])}):")
    for method, label in PDF_METHODS.items():
        print(f"- {label}: {best[method] * 1000:.0f} ms, {pages / best[method]:.1f} pages/s, peak "
              f"{min(r['peak_mb'] for r in results[method]):.1f} MB")
    print(f"the extract stage takes {best['extract'] / best['extract_text']:.2f} times the time of extract_text()")


def main(argv: list[str] | None = None) -> int:
    from pipeline import DEFAULT_SOURCE

    parser = argparse.ArgumentParser(prog="python -m pipeline.tools.benchmark", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--runs", type=int, help="processes of each kind to time (default 10); with --pdf, timing "
                                                 "runs (default 2)")
    parser.add_argument("--pdf", action="store_true", help="benchmark the PDF extract stage instead")
    parser.add_argument("--word", action="store_true", help="benchmark a build from a Word document instead")
    parser.add_argument("--pages", type=int, default=100, help="PDF mode: at least this many pages")
    parser.add_argument("--measure", nargs=2, metavar=("METHOD", "PDF"), help=argparse.SUPPRESS)
    parser.add_argument("--parts", nargs=2, metavar=("SOURCE", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--edition-run", nargs=2, metavar=("SOURCE", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--editions", action="store_true",
                        help="only the table of the editions (this one, 10x and 40x)")
    parser.add_argument("--edition-runs", type=int, default=3,
                        help="fresh processes per edition (default %(default)s)")
    args = parser.parse_args(argv)

    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return 0
    if args.parts:
        print(json.dumps(build_parts(Path(args.parts[0]), Path(args.parts[1]))))
        return 0
    if args.word:
        word_benchmark(args.source, args.runs or 10)
        return 0
    if args.edition_run:
        print(json.dumps(edition_run(Path(args.edition_run[0]), Path(args.edition_run[1]))))
        return 0
    if args.editions:
        print_editions(editions_benchmark(args.source, args.edition_runs))
        return 0
    if args.pdf:
        pdf_benchmark(args.source, args.pages, args.runs or 2)
        return 0
    runs = args.runs or 10
    print(f"source: {args.source.name}; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    comparison = compare_with_imports(args.source, runs)
    print_comparison(comparison)
    print()
    print_breakdown(breakdown(args.source, runs))
    print()
    floor_ratio = (statistics.median(wall for wall, _ in comparison["build"])
                   / statistics.median(wall for wall, _ in comparison["imports"]))
    print_editions(editions_benchmark(args.source, args.edition_runs), floor_ratio=floor_ratio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
