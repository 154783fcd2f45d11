"""JSON copy of each table: an array of objects, every key present, ISO dates, Cyrillic as is."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from pipeline.publish.datapackage import table_resource

FORMAT = "json"
MEDIATYPE = "application/json"


def write(tables, folder: Path) -> list[dict]:
    """Write `<table>.json` for every table into `folder`; return their resources."""
    resources = []
    for table, frame in tables.items():
        path = folder / f"{table}.{FORMAT}"
        records = [{key: json_value(value) for key, value in row.items()} for row in frame.to_dict("records")]
        path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        resources.append(table_resource(table, FORMAT, MEDIATYPE, path, suffix="-json"))
    return resources


def json_value(value):
    """A cell as JSON can hold it: None for missing, ISO 8601 for dates, Python scalars for numpy ones."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
