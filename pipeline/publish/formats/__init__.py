"""One module per output format, each with `write(tables, folder) -> list[resource]`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline.codes import Codes
from pipeline.publish.datapackage import table_resource
from pipeline.schema import package_metadata


def write_each_table(tables, folder: Path, fmt: str, mediatype: str,
                     write_file: Callable[[str, pd.DataFrame, Path], None], suffix: str = "") -> list[dict]:
    """Write `<table>.<fmt>` for every table with `write_file`; return their resources, named `<table><suffix>`."""
    resources = []
    codes = Codes(tables.codes.to_dict("records"))
    for table, frame in tables.items():
        path = folder / f"{table}.{fmt}"
        write_file(table, frame, path)
        resources.append(table_resource(table, fmt, mediatype, path, suffix, codes))
    return resources


def iso_date(value):
    """A date for text that is a date in ISO 8601 calendar form (YYYY-MM-DD); any other value unchanged."""
    if isinstance(value, str):
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            return value
        if date.isoformat() == value:
            return date
    return value


def package_file(fmt: str) -> str:
    """File name of a format that holds every table in one file: `<package name>.<fmt>`."""
    return f"{package_metadata()['name']}.{fmt}"
