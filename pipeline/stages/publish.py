"""Publish stage: write every output format and datapackage.json, check them, then swap them into place (only
into a folder that is missing, empty or an earlier output; see pipeline/publish/outfolder.py).

The formats are the modules named in pipeline/publish/formats (FORMATS), each with
`write(tables, folder) -> list[resource]`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

from pipeline.package import DESCRIPTOR
from pipeline.publish.check import validate_package
from pipeline.publish.datapackage import descriptor, file_resource
from pipeline.publish.formats import all_formats, table_readers
from pipeline.publish.outfolder import OutputError, install, output_target
from pipeline.schema import package_metadata
from pipeline.stages.extract import Source
from pipeline.stages.frontmatter import FrontMatter
from pipeline.stages.tabulate import Tables


def publish(tables: Tables, front_matter: FrontMatter, source: Source, out_dir: Path,
            parts: dict[str, float] | None = None) -> list[Path]:
    """Publish stage: build the package in a temporary folder beside `out_dir`, validate it, then swap it in; the
    seconds of each writer and of the check go into `parts` when given."""
    parts = {} if parts is None else parts
    out_dir = output_folder(out_dir, source.path)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    except OSError as exc:
        raise OutputError(out_dir, f"expected a folder the build can write in beside it, found "
                                   f"{exc.strerror.lower()} ({exc.filename})") from None
    staging.chmod(0o755)  # mkdtemp makes it private; the published folder is for everyone to read
    try:
        write_package(tables, front_matter, source, staging, parts)
        started = time.perf_counter()
        validate_package(staging, table_readers())
        parts["check the package"] = time.perf_counter() - started
        install(staging, out_dir, package_metadata()["name"])
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(out_dir.iterdir())


def output_folder(out_dir: Path, source_path: Path | None = None) -> Path:
    """The real folder the package goes to for `out_dir`; OutputError, before anything is written, when it is not
    missing, empty or an earlier output of this package."""
    return output_target(out_dir, package_metadata()["name"], source_path)


def write_package(tables: Tables, front_matter: FrontMatter, source: Source, folder: Path,
                  parts: dict[str, float] | None = None) -> None:
    """Write every format and datapackage.json into `folder`; the seconds of each writer go into `parts`."""
    parts = {} if parts is None else parts
    meetings = tables.meetings[["meeting", "year"]].to_dict("records")
    # what a format that describes the package inside its file (the spreadsheet's about sheet) says of it
    about = descriptor(front_matter, source, [], meetings)
    resources = []
    for fmt in all_formats():
        started = time.perf_counter()
        resources += (fmt.write(tables, folder, about) if getattr(fmt, "DESCRIBES_PACKAGE", False)
                      else fmt.write(tables, folder))
        parts[f"write {fmt.__name__.rsplit('.', 1)[-1]}"] = time.perf_counter() - started
    if source.extracted_text is not None:
        resources.append(_write_extracted_text(source, folder))
    text = json.dumps(descriptor(front_matter, source, resources, meetings), ensure_ascii=False, indent=2) + "\n"
    (folder / DESCRIPTOR).write_text(text, encoding="utf-8")


def extracted_text_name(source: Source) -> str:
    """File name of the text extracted from a source that is not text itself: `<source stem>.txt`."""
    return f"{source.path.stem}.txt"


def _write_extracted_text(source: Source, folder: Path) -> dict:
    """Write the extracted text that line_start, line_end and heading_line number, and describe it."""
    path = folder / extracted_text_name(source)
    path.write_bytes(source.extracted_text.encode("utf-8"))
    return file_resource(
        path, name="source-text", kind="text", title="Text extracted from the source",
        description=f"The text that the build read from {source.path.name}, one paragraph per line, blocks "
                    f"separated by a blank line; line_start, line_end and heading_line number its lines "
                    f"(counting from 1)" + (", and page gives the page of the source." if source.pages else "."),
        fmt="txt", mediatype="text/plain", encoding="utf-8",
    )
