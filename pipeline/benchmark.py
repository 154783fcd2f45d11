"""Benchmark: time each stage of the build on the committed source (run with `make benchmark`)."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
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


def main(argv: list[str] | None = None) -> int:
    from pipeline import DEFAULT_SOURCE

    parser = argparse.ArgumentParser(prog="python -m pipeline.benchmark", description=__doc__)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)

    imports = time_imports()
    timings = time_builds(args.source, args.runs)
    print(f"source: {args.source.name}; {args.runs} builds after one warm-up; Python {sys.version.split()[0]}")
    print(f"imports (once per process): {imports * 1000:.0f} ms")
    print("| stage | median ms | min ms | max ms |")
    print("|---|---:|---:|---:|")
    for stage in STAGES:
        values = [v * 1000 for v in timings[stage]]
        print(f"| {stage} | {statistics.median(values):.1f} | {min(values):.1f} | {max(values):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
