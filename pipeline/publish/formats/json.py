"""JSON copy of each table: an array of objects, every key present, ISO dates, Cyrillic as is."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from pipeline.errors import CheckError
from pipeline.guards import MEMBER_MAX_BYTES, load_json, read_regular
from pipeline.publish.formats import iso_date, write_each_table
from pipeline.schema import table_schema

FORMAT = "json"
MEDIATYPE = "application/json"


def write(tables, folder: Path) -> list[dict]:
    """Write `<table>.json` for every table into `folder`; return their resources."""
    return write_each_table(tables, folder, FORMAT, MEDIATYPE, write_file)


def write_file(table: str, frame: pd.DataFrame, path: Path) -> None:
    """The rows as json.dumps(rows, ensure_ascii=False, indent=2) writes them, plus a final newline: each column's
    values encoded once, the rows written in one pass."""
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for piece in encoded_rows(frame):
            handle.write(piece)
        handle.write("\n")


def encoded_rows(frame: pd.DataFrame):
    """The pieces of the JSON text of `frame`'s rows, an array of objects indented by two spaces."""
    if frame.empty:
        yield "[]"
        return
    keys = [_encode_string(str(name)) for name in frame.columns]
    columns = [[_encode(json_value(value), 2) for value in frame[name].tolist()] for name in frame.columns]
    separator = "[\n"
    for cells in zip(*columns):
        yield separator + "  {\n" + ",\n".join(f"    {key}: {cell}" for key, cell in zip(keys, cells)) + "\n  }"
        separator = ",\n"
    yield "\n]"


_encode_string = json.encoder.encode_basestring  # the C encoder of json.dumps(…, ensure_ascii=False)


def _encode(value, level: int) -> str:
    """One value as json.dumps(value, ensure_ascii=False, indent=2) writes it inside an object `level` deep."""
    if isinstance(value, str):
        return _encode_string(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = "  " * (level + 1)
        return "[\n" + ",\n".join(inner + _encode(item, level + 1) for item in value) + "\n" + "  " * level + "]"
    if value is None or isinstance(value, (bool, int)):
        return json.dumps(value)
    # Anything else as json.dumps writes it, its lines indented to where it stands.
    return ("\n" + "  " * level).join(json.dumps(value, ensure_ascii=False, indent=2).split("\n"))


def json_value(value):
    """A cell as JSON can hold it: None for missing, ISO 8601 for dates, Python scalars for numpy ones."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def read_tables(path: Path) -> dict[str, list[dict]]:
    """The table of a JSON copy, named after the file, as rows of Python values: as json.loads gives them, with
    ISO 8601 dates read as dates."""
    table = path.stem
    rows = load_json(read_regular(path, MEMBER_MAX_BYTES, "a JSON copy"), str(path), "a JSON copy")
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise CheckError(str(path), "expected an array of objects, found another JSON value")
    dates = [spec["name"] for spec in table_schema(table)["fields"] if spec["type"] == "date"]
    for row in rows:
        for name in dates:
            if name in row:
                row[name] = iso_date(row[name])
    return {table: rows}

