"""datapackage.json: one resource per published file, and the package descriptor around them."""

from __future__ import annotations

from pathlib import Path

from pipeline.provenance import integrity
from pipeline.schema import package_metadata, resource_schema
from pipeline.stages.extract import Source
from pipeline.stages.frontmatter import FrontMatter

# Frictionless 5.21 reads JSON (through ijson) and Parquet (through pyarrow) around its byte counter, so a
# declared `bytes` on those resources always fails its byte-count check. They carry `hash` only (which it
# skips when it cannot compute it); validate_package checks every file's sha256 itself.
FORMATS_WITH_BYTES = {"csv"}
TITLES = {"csv": "CSV", "json": "JSON", "parquet": "Parquet"}


def table_resource(table: str, fmt: str, mediatype: str, path: Path, suffix: str = "") -> dict:
    """The resource of `table`'s copy in `fmt`, named `<table><suffix>`, with its schema as declared for `fmt`."""
    schema = resource_schema(table, fmt)
    meta = {key: schema.pop(key) for key in ("name", "title", "description")}
    for fk in schema.get("foreignKeys", []):
        fk["reference"]["resource"] += suffix
    resource = {
        "name": meta["name"] + suffix,
        "type": "table",
        "title": f"{meta['title']} ({TITLES.get(fmt, fmt)})",
        "description": meta["description"],
        "path": path.name,
        "scheme": "file",
        "format": fmt,
        "mediatype": mediatype,
        "encoding": "utf-8",
        **integrity(path.read_bytes()),
        "schema": schema,
    }
    if fmt not in FORMATS_WITH_BYTES:
        del resource["bytes"]
    return resource


def file_resource(path: Path, *, name: str, kind: str, title: str, description: str, fmt: str,
                  mediatype: str, encoding: str | None = None) -> dict:
    """The resource of a published file that is not one table in one format (a chart, a text, a workbook)."""
    resource = {
        "name": name,
        "type": kind,
        "title": title,
        "description": description,
        "path": path.name,
        "scheme": "file",
        "format": fmt,
        "mediatype": mediatype,
    }
    if encoding:
        resource["encoding"] = encoding
    return {**resource, **integrity(path.read_bytes())}


def descriptor(front_matter: FrontMatter, source: Source, resources: list[dict]) -> dict:
    """The package descriptor: metadata from schemas/package.json, the source document, then the resources."""
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
