"""Publish stage: write every output format and datapackage.json, check them, then swap them into place.

Each output format is one module here with `write(tables, folder) -> list[resource]`; adding a format is adding a
module and naming it in FORMATS.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from pipeline.publish.check import validate_package
from pipeline.publish.datapackage import descriptor, file_resource
from pipeline.publish.formats import chart, csv, parquet, sqlite, themes_chart, xlsx
from pipeline.publish.formats import json as json_format
from pipeline.stages.extract import Source
from pipeline.stages.frontmatter import FrontMatter
from pipeline.stages.tabulate import Tables

FORMATS = (csv, json_format, parquet, xlsx, sqlite, chart, themes_chart)


def publish(tables: Tables, front_matter: FrontMatter, source: Source, out_dir: Path) -> list[Path]:
    """Publish stage: build the package in a temporary folder beside `out_dir`, validate it, then swap it in."""
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the published folder is for everyone to read
    try:
        write_package(tables, front_matter, source, staging)
        validate_package(staging)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(out_dir.iterdir())


def write_package(tables: Tables, front_matter: FrontMatter, source: Source, folder: Path) -> None:
    meetings = tables.meetings[["meeting", "year"]].to_dict("records")
    # what a format that describes the package inside its file (the spreadsheet's about sheet) says of it
    about = descriptor(front_matter, source, [], meetings)
    resources = [resource for fmt in FORMATS for resource in
                 (fmt.write(tables, folder, about) if getattr(fmt, "DESCRIBES_PACKAGE", False)
                  else fmt.write(tables, folder))]
    if source.extracted_text is not None:
        resources.append(_write_extracted_text(source, folder))
    text = json.dumps(descriptor(front_matter, source, resources, meetings), ensure_ascii=False, indent=2) + "\n"
    (folder / "datapackage.json").write_text(text, encoding="utf-8")


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
                    f"(counting from 1), and page gives the page of the source.",
        fmt="txt", mediatype="text/plain", encoding="utf-8",
    )


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace `out_dir` by `staging` with two renames, so readers never see a half-written folder."""
    backup = None
    if out_dir.exists():
        backup = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        os.rename(out_dir, backup)
    os.rename(staging, out_dir)
    if backup is not None:
        shutil.rmtree(backup)
