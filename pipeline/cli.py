"""Command line: `python -m pipeline build|sidecar|release|verify-release|diff|serve|docs`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import DEFAULT_DIST, DEFAULT_OUT, DEFAULT_PORT, DEFAULT_SOURCE, RULES_DIR
from pipeline.errors import PipelineError

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    """Run one command."""
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
    build.add_argument("--rules", type=Path, default=RULES_DIR,
                       help="folder of the rule tables, vocabulary and lexicon (default: %(default)s)")
    build.set_defaults(run=_build)

    sidecar = commands.add_parser(
        "sidecar", help="record a source's sha256 and size in its sidecar",
        description="Write or update SOURCE.source.json with the file's current sha256 and size, keeping its other keys.",
    )
    sidecar.add_argument("source", type=Path)
    sidecar.set_defaults(run=_sidecar)

    release = commands.add_parser(
        "release", help="build dist/<name>-<version>/ and its zip from a published package",
        description="Copy the package in PACKAGE (data files and datapackage.json) into DIST/<name>-<version>/ with "
                    "a data card, CITATION.cff, CHANGELOG.md, LICENSE, the browse page index.html, the figure and "
                    "SHA256SUMS, zip it reproducibly, and verify the zip. The version comes from "
                    "schemas/package.json and its date from CHANGELOG.md.",
    )
    release.add_argument("--package", type=Path, default=DEFAULT_OUT,
                         help="published package to release (default: %(default)s)")
    release.add_argument("--dist", type=Path, default=DEFAULT_DIST,
                         help="where to put the release (default: %(default)s)")
    release.add_argument("--previous", type=Path, metavar="PATH",
                         help="the previous release (zip, folder or datapackage.json): the release's changelog "
                              "entry then lists the ids added, removed and changed since it")
    release.set_defaults(run=_release)

    verify = commands.add_parser(
        "verify-release", help="check a release zip: checksums, schemas, the same rows in every format",
        description="Check a release zip (or its unpacked folder): every file against SHA256SUMS, the package "
                    "against its schemas with frictionless, and that CSV, JSON and Parquet hold the same rows. "
                    "On failure prints one line and exits with code 2.",
    )
    verify.add_argument("release", type=Path, help="the release zip or its folder")
    verify.set_defaults(run=_verify_release)

    diff = commands.add_parser(
        "diff", help="what changed between two editions: ids added, removed and changed per table",
        description="Compare two editions of the dataset, each a release zip, a package or release folder, or a "
                    "datapackage.json, and print per table the ids added, removed and changed (with the columns "
                    "that changed). Exits 0 whatever the differences; prints one line and exits with code 2 when "
                    "either side is not a data package of this dataset.",
    )
    diff.add_argument("old", type=Path, help="the earlier edition")
    diff.add_argument("new", type=Path, help="the later edition")
    diff.add_argument("--csv", type=Path, metavar="PATH",
                      help="also write the differences as CSV: table, change, id, columns")
    diff.set_defaults(run=_diff)

    serve = commands.add_parser(
        "serve", help="search and browse the SQLite database with Datasette (read-only)",
        description="Start Datasette on 127.0.0.1:PORT over PACKAGE's SQLite database, immutable, with metadata, "
                    "facets, full-text search and canned queries made from datapackage.json and the Table Schemas. "
                    "The database must match the sha256 in datapackage.json: a missing or altered one is rebuilt "
                    "from SOURCE when given, and refused otherwise. A taken port, like any refusal, prints one line "
                    "and exits with code 2. Stop it with Ctrl-C.",
    )
    serve.add_argument("--package", type=Path, default=DEFAULT_OUT,
                       help="published package holding the database (default: %(default)s)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="port on 127.0.0.1 (default: %(default)s)")
    serve.add_argument("--source", type=Path,
                       help="source to rebuild PACKAGE from if its database is missing or altered (default: refuse)")
    serve.set_defaults(run=_serve)

    version = commands.add_parser("version", help="print the dataset's name and version (<name>-<version>)",
                                  description="Print <name>-<version> as schemas/package.json gives them, the name "
                                              "of a release; reads nothing else, so it runs before the "
                                              "dependencies are installed.")
    version.set_defaults(run=_version)

    docs = commands.add_parser("docs", help="regenerate the generated sections of README.md and docs/, and the figure",
                               description="Rewrite the generated sections of README.md and docs/*.md (the data "
                                           "dictionary from the Table Schemas, the codes and research labels from "
                                           "rules/, the counts from output/, the release section from "
                                           "schemas/package.json and CHANGELOG.md) and "
                                           "docs/recommendations-per-meeting.png from the tables in output/.")
    docs.add_argument("--check", action="store_true",
                      help="exit 1 if a document or the figure is out of date instead of writing it")
    docs.set_defaults(run=_docs)
    return parser


def _build(args) -> int:
    from pipeline.build import build

    build(args.source, args.out, rules_dir=args.rules)
    return 0


def _version(args) -> int:
    from pipeline.metadata import package_metadata

    meta = package_metadata()
    print(f"{meta['name']}-{meta['version']}")
    return 0


def _sidecar(args) -> int:
    from pipeline.provenance import update_sidecar

    print(f"wrote {update_sidecar(args.source)}")
    return 0


def _release(args) -> int:
    from pipeline.release import build_release

    zip_path = build_release(args.package, args.dist, previous=args.previous)
    print(f"release: {zip_path.with_suffix('')}/ and {zip_path}")
    return 0


def _verify_release(args) -> int:
    from pipeline.release import verify_release

    print(verify_release(args.release))
    return 0


def _diff(args) -> int:
    from pipeline.release.diff import csv_text, diff_packages, report_lines

    if args.csv:
        _check_csv_target(args.csv, (args.old, args.new))
    differences = diff_packages(args.old, args.new)
    if args.csv:
        try:
            args.csv.write_text(csv_text(differences), encoding="utf-8")
        except OSError as exc:
            raise PipelineError(args.csv, f"expected a file the diff can write, found {exc.strerror.lower()}") from None
    print("\n".join(report_lines(differences)))
    return 0


def _check_csv_target(target: Path, sides: tuple[Path, Path]) -> None:
    """The file `diff --csv` writes is a regular file or nothing yet, in an existing folder, and no part of the
    packages it compares."""
    import os
    import stat

    from pipeline.guards import kind_of

    try:
        if os.path.lexists(target) and not stat.S_ISREG(os.stat(target).st_mode):
            raise PipelineError(target, f"expected a CSV file to write, found {kind_of(os.stat(target).st_mode)}")
        if not target.parent.resolve().is_dir():
            raise PipelineError(target, f"expected a CSV file in an existing folder, found no folder "
                                        f"{target.parent}")
        real = target.resolve()
        for side in sides:
            package = side.resolve() if side.is_dir() else side.resolve().parent
            in_package = (side.is_dir() or side.name == "datapackage.json") and real.is_relative_to(package)
            if real == side.resolve() or in_package:
                raise PipelineError(target, f"expected a file outside the packages compared, found it inside {side}")
    except OSError as exc:
        raise PipelineError(target, f"expected a CSV file to write, found {exc.strerror.lower()}") from None


def _serve(args) -> int:
    from pipeline.serve import serve

    return serve(args.package, args.port, args.source)


def _docs(args) -> int:
    from pipeline.release.docs import FIGURE, update_docs, update_figure

    stale = [*update_docs(write=not args.check)] + ([FIGURE] if update_figure(write=not args.check) else [])
    if args.check and stale:
        print(f"{', '.join(map(str, stale))} out of date; run `python -m pipeline docs`", file=sys.stderr)
        return 1
    return 0
