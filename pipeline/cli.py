"""Command line: `python -m pipeline build|sidecar|docs`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import DEFAULT_OUT, DEFAULT_SOURCE
from pipeline.errors import PipelineError

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Build the dataset of recommendations adopted by the Working Group on the Smuggling of Migrants.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build", help="build the data package from a source file",
        description="Parse the source, validate the tables, and publish CSV, JSON, Parquet and datapackage.json "
                    "into OUT. The source is the document's UTF-8 text or its PDF (recognised by its content, "
                    "whatever its name); from a PDF the text read is published too, as OUT/<source stem>.txt. "
                    "OUT is replaced only when every check passes; on bad input the command prints one "
                    "line naming the file and line (or page) and exits with code 2.",
    )
    build.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                       help="source document: the UTF-8 text or the PDF (default: %(default)s)")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    build.set_defaults(run=_build)

    sidecar = commands.add_parser(
        "sidecar", help="record a source's sha256 and size in its sidecar",
        description="Write or update SOURCE.source.json with the file's current sha256 and size, keeping its other keys.",
    )
    sidecar.add_argument("source", type=Path)
    sidecar.set_defaults(run=_sidecar)

    docs = commands.add_parser("docs", help="regenerate the README's data dictionary from schemas/",
                               description="Rewrite the data dictionary section of README.md from the Table Schemas.")
    docs.add_argument("--check", action="store_true", help="exit 1 if README.md is out of date instead of writing it")
    docs.set_defaults(run=_docs)
    return parser


def _build(args) -> int:
    from pipeline.build import build

    build(args.source, args.out)
    return 0


def _sidecar(args) -> int:
    from pipeline.provenance import update_sidecar

    print(f"wrote {update_sidecar(args.source)}")
    return 0


def _docs(args) -> int:
    from pipeline.docs import README, update_readme

    changed = update_readme(write=not args.check)
    if args.check and changed:
        print(f"{README} data dictionary is out of date; run `python -m pipeline docs`", file=sys.stderr)
        return 1
    return 0
