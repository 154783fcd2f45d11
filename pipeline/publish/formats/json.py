"""JSON copy of each table: an array of objects, every key present, ISO dates, Cyrillic as is."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from pipeline.errors import CheckError
from pipeline.publish.formats import iso_date, write_each_table
from pipeline.schema import table_schema

FORMAT = "json"
MEDIATYPE = "application/json"


def write(tables, folder: Path) -> list[dict]:
    """Write `<table>.json` for every table into `folder`; return their resources."""
    return write_each_table(tables, folder, FORMAT, MEDIATYPE, write_file, suffix="-json")


def write_file(table: str, frame: pd.DataFrame, path: Path) -> None:
    records = [{key: json_value(value) for key, value in row.items()} for row in frame.to_dict("records")]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


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
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckError(str(path), f"expected UTF-8 JSON text, found: {exc}") from None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise CheckError(str(path), "expected an array of objects, found another JSON value")
    dates = [spec["name"] for spec in table_schema(table)["fields"] if spec["type"] == "date"]
    for row in rows:
        for name in dates:
            if name in row:
                row[name] = iso_date(row[name])
    return {table: rows}

