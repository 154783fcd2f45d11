"""The whole build: extract, parse, tabulate, classify, validate and publish, timing each stage."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.rules import RULES_DIR, load_rules
from pipeline.stages.classify import classify, summary
from pipeline.stages.extract import extract
from pipeline.stages.parse import parse
from pipeline.stages.publish import output_folder, publish
from pipeline.stages.tabulate import tabulate
from pipeline.stages.validate import validate


@dataclass
class BuildReport:
    timings: dict[str, float] = field(default_factory=dict)
    parts: dict[str, float] = field(default_factory=dict)  # of publish: each writer and the package check


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def build(source_path: Path, out_dir: Path, log: Callable[[str], None] = print,
          warn: Callable[[str], None] = _warn, rules_dir: Path = RULES_DIR) -> BuildReport:
    """Build the data package from `source_path` into `out_dir` with the rules in `rules_dir`; raises PipelineError
    on bad input. Warnings go to `warn`, the log lines to `log`."""
    output_folder(out_dir, source_path)  # refuse a folder the build may not replace before doing any work
    rules = load_rules(rules_dir)  # read and checked once; the stages receive them
    report = BuildReport()

    def stage(name: str, func, *args, describe):
        started = time.perf_counter()
        result = func(*args)
        elapsed = time.perf_counter() - started
        report.timings[name] = elapsed
        line = f"{name}: {describe(result)} ({elapsed * 1000:.1f} ms)"
        log(line)
        return result

    source = stage("extract", extract, source_path,
                   describe=lambda s: f"{len(s.lines)} lines{f' from {s.pages} pages' if s.pages else ''}, "
                                     f"{s.bytes} bytes, sha256 {s.sha256[:12]}…{''.join('; ' + n for n in s.notes)}")
    document = stage("parse", parse, source,
                     describe=lambda d: "{} meetings, {} paragraphs, {} subparagraphs".format(*d.counts()))
    tables = stage("tabulate", tabulate, document,
                   describe=lambda t: f"{len(t.recommendations)} recommendations, {len(t.meetings)} meetings")
    front_matter = document.front_matter
    del document  # the tables hold what the later stages need of it; its memory serves the writers instead
    tables = stage("classify", classify, tables, rules, warn, describe=summary)
    stage("validate", validate, tables, source,
          describe=lambda n: f"structure ok, {n} body lines each in exactly one heading or row")
    stage("publish", publish, tables, front_matter, source, out_dir, report.parts,
          describe=lambda files: f"{len(files)} files, frictionless valid, in {out_dir}")
    report.timings["total"] = sum(report.timings.values())
    for message in source.warnings:
        warn(message)
    return report
