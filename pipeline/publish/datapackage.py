"""datapackage.json: one resource per published file, and the package descriptor around them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typing import TYPE_CHECKING

from pipeline.errors import CheckError
from pipeline.package import resource_name
from pipeline.provenance import integrity
from pipeline.codes import Codes
from pipeline.schema import package_metadata, resource_schema

if TYPE_CHECKING:
    from pipeline.stages.extract import Source
    from pipeline.stages.frontmatter import FrontMatter

# Frictionless 5.21 reads JSON (through ijson) and Parquet (through pyarrow) around its byte counter, so a
# declared `bytes` on those resources always fails its byte-count check. They carry `hash` only (which it
# skips when it cannot compute it); validate_package checks every file's sha256 itself.
FORMATS_WITH_BYTES = {"csv"}
TITLES = {"csv": "CSV", "json": "JSON", "parquet": "Parquet"}
PACKAGE_METADATA = "schemas/package.json"
NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def long_date(date: dt.date) -> str:
    """'21 June 2019'."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def table_resource(table: str, fmt: str, mediatype: str, path: Path, codes: Codes) -> dict:
    """The resource of `table`'s copy in `fmt`, named by resource_name, with its schema as declared for `fmt` and
    the words of its codes: its foreign keys refer to the other tables' copies in the same format."""
    schema = resource_schema(table, fmt, codes.categories)
    meta = {key: schema.pop(key) for key in ("name", "title", "description")}
    for fk in schema.get("foreignKeys", []):
        if fk["reference"]["resource"]:  # "" refers to the table itself
            fk["reference"]["resource"] = resource_name(fk["reference"]["resource"], fmt)
    resource = {
        "name": resource_name(meta["name"], fmt),
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


def coverage(meeting_count: int, years: list[int]) -> dict[str, str]:
    """What the meetings cover, in words for the package's texts: 'first five meetings' and '2012-2018'."""
    count = NUMBER_WORDS[meeting_count - 1] if meeting_count <= len(NUMBER_WORDS) else str(meeting_count)
    first, last = min(years), max(years)
    return {
        "meetings": "first meeting" if meeting_count == 1 else f"first {count} meetings",
        "years": str(first) if first == last else f"{first}-{last}",
    }


def package_texts(meta: dict, meetings: list[dict], front_matter: FrontMatter, sidecar: dict) -> dict[str, str]:
    """The package's title and description from schemas/package.json, their {placeholders} filled from the data
    ({meetings}, {years}) and the source ({paper}: the background paper and its date)."""
    date = sidecar.get("date") or (front_matter.date and front_matter.date.isoformat())
    paper = "the Secretariat's background paper"
    values = {
        **coverage(len(meetings), [row["year"] for row in meetings]),
        "paper": f"{paper} of {long_date(dt.date.fromisoformat(date))}" if date else paper,
    }
    try:
        return {key: meta[key].format_map(values) for key in ("title", "description")}
    except (KeyError, ValueError) as exc:
        raise CheckError(PACKAGE_METADATA, f"expected placeholders among {sorted(values)} in the title and "
                                           f"description, found {exc}") from None


def descriptor(front_matter: FrontMatter, source: Source, resources: list[dict], meetings: list[dict]) -> dict:
    """The package descriptor: metadata from schemas/package.json, the source document, then the resources."""
    sidecar = source.sidecar or {}
    meta = {**package_metadata(), **package_texts(package_metadata(), meetings, front_matter, sidecar)}
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
