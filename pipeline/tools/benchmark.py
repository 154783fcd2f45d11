"""Benchmark: a full build against the imports it cannot avoid, where its time goes, and the PDF extract stage.

`make benchmark` times `python -m pipeline build` on the committed text in a fresh process against a fresh process
that only runs `import pandas, pyarrow, frictionless`, alternately, and prints both medians and their ratio; then
splits the time of a build in a fresh process into start-up, imports, stages and the parts of publish.

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
# The baseline with the build's own way out: the collector set aside before exit (see pipeline/cli.py).
FROZEN_BASELINE = BASELINE + "; import gc; gc.freeze()"
TARGET_RATIO = 1.6  # issue 11: a full text build at most 1.6 times the time of the baseline imports
WORD_TARGET = 1.3  # a build from a Word document at most 1.3 times a build from the text


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
    """Time (wall clock, CPU) a full build in a fresh process and a fresh process that only imports pandas, pyarrow
    and frictionless, alternately, after one uncounted round that warms the disk cache."""
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "imports": [sys.executable, "-c", BASELINE],
            "imports, frozen": [sys.executable, "-c", FROZEN_BASELINE],
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
    `python -m pipeline build` runs it."""
    started = time.perf_counter()
    import frictionless  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    parts = {f"`{BASELINE}`": time.perf_counter() - started}
    mark = time.perf_counter()
    import pipeline.build
    import pipeline.cli
    import pipeline.publish

    parts["the pipeline's own modules and the other libraries they import"] = time.perf_counter() - mark
    parts.update(_time_loads())
    publish_parts = _time_publish_parts(pipeline.publish)
    reports = _keep_reports(pipeline.build)
    mark = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        pipeline.cli.main(["build", "--source", str(source), "--out", str(out)], owns_process=True)
    command = time.perf_counter() - mark
    timings = reports[0].timings
    for stage in STAGES[:-1]:  # publish is split into its parts below
        parts[stage] = timings[stage]
    for name, seconds in publish_parts.items():
        parts[f"publish: {name}"] = seconds
    parts["publish: the descriptor, the staging folder and the swap"] = timings["publish"] - sum(publish_parts.values())
    parts["the command line around the build"] = command - timings["total"]
    return parts


def _time_loads() -> dict[str, float]:
    """Load what the classify stage loads once per process, timing each: pymorphy3's dictionaries, then the themes
    lexicon with the inflected forms of every lemma (the build then finds both loaded)."""
    from pipeline import morphology
    from pipeline.stages import lexicon

    parts = {}
    for name, load in (("pymorphy3's dictionaries (once per process)", morphology.analyzer),
                       ("the themes lexicon with every form of its lemmas (once per process)", lexicon.load_lexicon)):
        started = time.perf_counter()
        load()
        parts[name] = time.perf_counter() - started
    return parts


def _keep_reports(build_module) -> list:
    """Wrap `build_module.build` so that the reports of the builds it runs are kept in the list returned."""
    reports = []
    build = build_module.build

    def run(*args, **kwargs):
        reports.append(build(*args, **kwargs))
        return reports[-1]

    build_module.build = run
    return reports


def _time_publish_parts(publish_module) -> dict[str, float]:
    """Wrap each format's writer and the package check of `publish_module` so that they record their time."""
    parts: dict[str, float] = {}

    def timed(name: str, func):
        def run(*args, **kwargs):
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - started
        return run

    for fmt in publish_module.FORMATS:
        fmt.write = timed(f"write {fmt.__name__.rsplit('.', 1)[-1]}", fmt.write)
    publish_module.validate_package = timed("check the package", publish_module.validate_package)
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
    """Both medians and their ratio, in wall-clock time (the target) and in CPU time (steadier on a busy machine)."""
    runs = len(seconds["build"])
    wall, cpu = ({name: statistics.median(t[i] for t in times) for name, times in seconds.items()} for i in (0, 1))
    print(f"full text build, `python -m pipeline build` in a fresh process: {wall['build'] * 1000:.0f} ms "
          f"(CPU {cpu['build'] * 1000:.0f} ms; medians of {runs})")
    print(f"`python -c \"{BASELINE}\"` in a fresh process: {wall['imports'] * 1000:.0f} ms "
          f"(CPU {cpu['imports'] * 1000:.0f} ms)")
    print(f"ratio: {wall['build'] / wall['imports']:.2f} (target: at most {TARGET_RATIO}); "
          f"in CPU time: {cpu['build'] / cpu['imports']:.2f}")
    print(f"`python -c \"{FROZEN_BASELINE}\"`, which exits as the build does: {wall['imports, frozen'] * 1000:.0f} ms "
          f"(CPU {cpu['imports, frozen'] * 1000:.0f} ms); ratio {wall['build'] / wall['imports, frozen']:.2f}, "
          f"in CPU time {cpu['build'] / cpu['imports, frozen']:.2f}")


def print_breakdown(timings: dict[str, list[float]]) -> None:
    medians = {name: statistics.median(values) for name, values in timings.items()}
    total = sum(medians.values())
    print(f"| where the time of a build goes (fresh process, median of {len(timings[STAGES[0]])}) | ms | share |")
    print("|---|---:|---:|")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds * 1000:.1f} | {seconds / total:.0%} |")
    print(f"| total | {total * 1000:.1f} | 100% |")


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
    if args.pdf:
        pdf_benchmark(args.source, args.pages, args.runs or 2)
        return 0
    runs = args.runs or 10
    print(f"source: {args.source.name}; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print_comparison(compare_with_imports(args.source, runs))
    print()
    print_breakdown(breakdown(args.source, runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
