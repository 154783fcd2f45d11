"""JSON copy of each table: an array of objects, every key present, ISO dates, Cyrillic as is."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from pipeline.publish.formats import write_each_table

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
