"""CSV copy of each table: UTF-8 without BOM, `\\n` line ends, list items joined by the schema's delimiter."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from pipeline.errors import CheckError
from pipeline.publish.formats import write_each_table
from pipeline.schema import LIST_DELIMITER, arrow_schema, list_fields

FORMAT = "csv"
MEDIATYPE = "text/csv"


def write(tables, folder: Path) -> list[dict]:
    """Write `<table>.csv` for every table into `folder`; return their resources."""
    return write_each_table(tables, folder, FORMAT, MEDIATYPE, write_file)


def write_file(table: str, frame: pd.DataFrame, path: Path) -> None:
    lists = {name: frame[name].map(LIST_DELIMITER.join) for name in list_fields(table)}
    frame.assign(**lists).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def read_arrow(path: Path, table: str) -> pa.Table:
    """A CSV copy read by pyarrow with the types of `table`'s fields in schemas/: an empty cell is missing (an empty
    list for a list field), list items are split at the schema's delimiter."""
    schema = arrow_schema(table)
    lists = [field.name for field in schema if pa.types.is_list(field.type)]
    types = {field.name: pa.string() if field.name in lists else field.type for field in schema}
    try:
        arrow_table = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(use_threads=False),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(column_types=types, null_values=[""], strings_can_be_null=True,
                                                  quoted_strings_can_be_null=True),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise CheckError(str(path), f"expected a CSV file with the types of {table}'s fields, found: {exc}") from None
    for name in lists:
        if name in arrow_table.column_names:
            items = pc.split_pattern(arrow_table.column(name), LIST_DELIMITER).cast(schema.field(name).type)
            empty = pa.scalar([], type=schema.field(name).type)
            arrow_table = arrow_table.set_column(arrow_table.column_names.index(name), name,
                                                 pc.fill_null(items, empty))
    return arrow_table
