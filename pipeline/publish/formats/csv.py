"""CSV copy of each table: UTF-8 without BOM, `\\n` line ends, list items joined by the schema's delimiter."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.publish.formats import write_each_table
from pipeline.schema import LIST_DELIMITER, list_fields

FORMAT = "csv"
MEDIATYPE = "text/csv"


def write(tables, folder: Path) -> list[dict]:
    """Write `<table>.csv` for every table into `folder`; return their resources."""
    return write_each_table(tables, folder, FORMAT, MEDIATYPE, write_file)


def write_file(table: str, frame: pd.DataFrame, path: Path) -> None:
    lists = {name: frame[name].map(LIST_DELIMITER.join) for name in list_fields(table)}
    frame.assign(**lists).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
