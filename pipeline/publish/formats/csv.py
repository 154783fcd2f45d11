"""CSV copy of each table: UTF-8 without BOM, `\\n` line ends, list items joined by the schema's delimiter."""

from __future__ import annotations

from pathlib import Path

from pipeline.publish.datapackage import table_resource
from pipeline.schema import LIST_DELIMITER, list_fields

FORMAT = "csv"
MEDIATYPE = "text/csv"


def write(tables, folder: Path) -> list[dict]:
    """Write `<table>.csv` for every table into `folder`; return their resources."""
    resources = []
    for table, frame in tables.items():
        path = folder / f"{table}.{FORMAT}"
        lists = {name: frame[name].map(LIST_DELIMITER.join) for name in list_fields(table)}
        frame.assign(**lists).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        resources.append(table_resource(table, FORMAT, MEDIATYPE, path))
    return resources
