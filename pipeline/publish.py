"""Publish stage: write CSV, JSON, Parquet, the chart and datapackage.json, check them, then swap them into place."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.chart import CHART_DESCRIPTION, CHART_NAME, CHART_TITLE, write_chart
from pipeline.extract import Source
from pipeline.frontmatter import FrontMatter
from pipeline.provenance import integrity
from pipeline.schema import LIST_DELIMITER, arrow_schema, list_fields, package_metadata, resource_schema
from pipeline.tabulate import Tables
from pipeline.validate import validate_package

# Frictionless 5.21 reads JSON (through ijson) and Parquet (through pyarrow) around its byte counter, so a
# declared `bytes` on those resources always fails its byte-count check. They carry `hash` only (which it
# skips when it cannot compute it); validate_package checks every file's sha256 itself.
FORMATS_WITH_BYTES = {"csv"}
FORMATS = {
    # format: (resource name suffix, media type)
    "csv": ("", "text/csv"),
    "json": ("-json", "application/json"),
    "parquet": ("-parquet", "application/vnd.apache.parquet"),
}
PARQUET_COMPRESSION = "zstd"
PARQUET_COMPRESSION_LEVEL = 9


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
    resources = []
    for table, frame in tables.items():
        for fmt, (suffix, mediatype) in FORMATS.items():
            path = folder / f"{table}.{fmt}"
            WRITERS[fmt](table, frame, path)
            resources.append(_resource(table, fmt, suffix, mediatype, path))
    write_chart(tables.recommendations, folder / CHART_NAME)
    resources.append(_chart_resource(folder / CHART_NAME))
    if source.extracted_text is not None:
        resources.append(_extracted_text_resource(source, folder))
    descriptor = _descriptor(front_matter, source, resources)
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    (folder / "datapackage.json").write_text(text, encoding="utf-8")


def write_csv(table: str, frame: pd.DataFrame, path: Path) -> None:
    lists = {name: frame[name].map(LIST_DELIMITER.join) for name in list_fields(table)}
    frame.assign(**lists).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def write_json(table: str, frame: pd.DataFrame, path: Path) -> None:
    records = [{key: _json_value(value) for key, value in row.items()} for row in frame.to_dict("records")]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_parquet(table: str, frame: pd.DataFrame, path: Path) -> None:
    arrow_table = pa.Table.from_pandas(frame, schema=arrow_schema(table), preserve_index=False)
    pq.write_table(
        arrow_table, path, compression=PARQUET_COMPRESSION, compression_level=PARQUET_COMPRESSION_LEVEL
    )


WRITERS = {"csv": write_csv, "json": write_json, "parquet": write_parquet}


def _json_value(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _resource(table: str, fmt: str, suffix: str, mediatype: str, path: Path) -> dict:
    schema = resource_schema(table, fmt)
    meta = {key: schema.pop(key) for key in ("name", "title", "description")}
    for fk in schema.get("foreignKeys", []):
        fk["reference"]["resource"] += suffix
    data = path.read_bytes()
    resource = {
        "name": meta["name"] + suffix,
        "type": "table",
        "title": f"{meta['title']} ({fmt.upper() if fmt != 'parquet' else 'Parquet'})",
        "description": meta["description"],
        "path": path.name,
        "scheme": "file",
        "format": fmt,
        "mediatype": mediatype,
        "encoding": "utf-8",
        **integrity(data),
        "schema": schema,
    }
    if fmt not in FORMATS_WITH_BYTES:
        del resource["bytes"]
    return resource


def _chart_resource(path: Path) -> dict:
    data = path.read_bytes()
    return {
        "name": path.stem,
        "type": "file",
        "title": CHART_TITLE,
        "description": CHART_DESCRIPTION,
        "path": path.name,
        "scheme": "file",
        "format": "png",
        "mediatype": "image/png",
        **integrity(data),
    }


def extracted_text_name(source: Source) -> str:
    """File name of the text extracted from a source that is not text itself: `<source stem>.txt`."""
    return f"{source.path.stem}.txt"


def _extracted_text_resource(source: Source, folder: Path) -> dict:
    """Write the extracted text that line_start, line_end and heading_line number, and describe it."""
    path = folder / extracted_text_name(source)
    data = source.extracted_text.encode("utf-8")
    path.write_bytes(data)
    return {
        "name": "source-text",
        "type": "text",
        "title": "Text extracted from the source",
        "description": f"The text that the build read from {source.path.name}, one paragraph per line, blocks "
                       f"separated by a blank line; line_start, line_end and heading_line number its lines "
                       f"(counting from 1), and page gives the page of the source.",
        "path": path.name,
        "scheme": "file",
        "format": "txt",
        "mediatype": "text/plain",
        "encoding": "utf-8",
        **integrity(data),
    }


def _descriptor(front_matter: FrontMatter, source: Source, resources: list[dict]) -> dict:
    meta = package_metadata()
    sidecar = source.sidecar or {}
    document = {
        "title": sidecar.get("title") or front_matter.title or source.path.name,
        "path": source.path.name,
        "mediatype": source.mediatype,
        "bytes": source.bytes,
        "hash": "sha256:" + source.sha256,
    }
    for key in ("title_en", "date", "language", "original_language", "issuing_body", "meeting", "note"):
        if sidecar.get(key):
            document[key] = sidecar[key]
    if not sidecar:
        document["note"] = "provenance unrecorded: the source had no sidecar"
    return {
        **meta,
        "sources": [document],
        "document": front_matter.as_metadata(),
        "resources": resources,
    }


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace `out_dir` by `staging` with two renames, so readers never see a half-written folder."""
    backup = None
    if out_dir.exists():
        backup = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        os.rename(out_dir, backup)
    os.rename(staging, out_dir)
    if backup is not None:
        shutil.rmtree(backup)
