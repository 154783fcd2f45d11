"""CSV copy of each table: UTF-8 without BOM, `\\n` line ends, list items joined by the schema's delimiter."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd

from pipeline.publish.formats import write_each_table
from pipeline.schema import LIST_DELIMITER, list_fields, table_schema

FORMAT = "csv"
MEDIATYPE = "text/csv"
# How a non-empty cell reads as the type its field has in schemas/; an empty cell is missing (an empty list).
DECODERS = {"string": str, "integer": int, "date": dt.date.fromisoformat,
            "array": lambda cell: cell.split(LIST_DELIMITER)}


def write(tables, folder: Path) -> list[dict]:
    """Write `<table>.csv` for every table into `folder`; return their resources."""
    return write_each_table(tables, folder, FORMAT, MEDIATYPE, write_file)


def write_file(table: str, frame: pd.DataFrame, path: Path) -> None:
    lists = {name: frame[name].map(LIST_DELIMITER.join) for name in list_fields(table)}
    frame.assign(**lists).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def read_cells(path: Path) -> list[list[str]]:
    """The header and the rows of a CSV copy as text cells, as the csv module reads the dialect written here."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def typed_rows(cells: list[list[str]], table: str) -> list[dict]:
    """Rows from a CSV copy's cells, each cell read as the type of its field in schemas/ (lists split into items)."""
    header, *body = cells
    kinds = {spec["name"]: spec["type"] for spec in table_schema(table)["fields"]}
    decoders = [(name, kinds.get(name, "string")) for name in header]
    return [{name: _typed(cell, kind) for (name, kind), cell in zip(decoders, row)} for row in body]


def _typed(cell: str, kind: str):
    if cell == "":
        return [] if kind == "array" else None
    return DECODERS[kind](cell)
