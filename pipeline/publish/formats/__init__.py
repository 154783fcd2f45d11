"""One module per output format, each with `write(tables, folder) -> list[resource]` and, for a format whose files
hold table rows, `read_tables(path)` giving them back (the tables a file holds, by name). Adding a format is adding
a module and naming it in FORMATS.

The modules are imported when they are asked for (all_formats), so that a program that needs one format's names
(the server needs the database's) does not load every writer.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from pipeline.codes import Codes
from pipeline.publish.datapackage import table_resource
from pipeline.schema import package_metadata

if TYPE_CHECKING:
    import pandas as pd

# The output formats, in the order the publish stage writes them: modules of this package.
FORMATS = ("csv", "json", "parquet", "xlsx", "sqlite", "chart", "themes_chart")
# The format whose copy of each table frictionless validates; every other copy is compared with it.
REFERENCE_FORMAT = "csv"


def all_formats() -> tuple[ModuleType, ...]:
    """The module of every output format, in the order of FORMATS."""
    return tuple(importlib.import_module(f"{__name__}.{name}") for name in FORMATS)


def table_readers() -> dict[str, Callable[[Path], dict]]:
    """`read_tables` of every output format but the reference, by the format its resources declare: what the
    package check compares with the reference copy."""
    return {fmt.FORMAT: fmt.read_tables for fmt in all_formats()
            if hasattr(fmt, "read_tables") and fmt.FORMAT != REFERENCE_FORMAT}


def write_each_table(tables, folder: Path, fmt: str, mediatype: str,
                     write_file: Callable[[str, pd.DataFrame, Path], None]) -> list[dict]:
    """Write `<table>.<fmt>` for every table with `write_file`; return their resources, named as
    pipeline.package.resource_name names them."""
    resources = []
    codes = Codes(tables.codes.to_dict("records"))
    for table, frame in tables.items():
        path = folder / f"{table}.{fmt}"
        write_file(table, frame, path)
        resources.append(table_resource(table, fmt, mediatype, path, codes))
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
