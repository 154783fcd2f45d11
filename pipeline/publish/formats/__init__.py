"""One module per output format, each with `write(tables, folder) -> list[resource]`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline.publish.datapackage import table_resource


def write_each_table(tables, folder: Path, fmt: str, mediatype: str,
                     write_file: Callable[[str, pd.DataFrame, Path], None], suffix: str = "") -> list[dict]:
    """Write `<table>.<fmt>` for every table with `write_file`; return their resources, named `<table><suffix>`."""
    resources = []
    for table, frame in tables.items():
        path = folder / f"{table}.{fmt}"
        write_file(table, frame, path)
        resources.append(table_resource(table, fmt, mediatype, path, suffix))
    return resources
