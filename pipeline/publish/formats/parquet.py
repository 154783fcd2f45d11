"""Parquet copy of each table, written from the Arrow schema made from the Table Schema, zstd-compressed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.publish.formats import write_each_table
from pipeline.schema import arrow_schema

FORMAT = "parquet"
MEDIATYPE = "application/vnd.apache.parquet"
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 9


def write(tables, folder: Path) -> list[dict]:
    """Write `<table>.parquet` for every table into `folder`; return their resources."""
    return write_each_table(tables, folder, FORMAT, MEDIATYPE, write_file)


def write_file(table: str, frame: pd.DataFrame, path: Path) -> None:
    arrow_table = pa.Table.from_pandas(frame, schema=arrow_schema(table), preserve_index=False)
    pq.write_table(arrow_table, path, compression=COMPRESSION, compression_level=COMPRESSION_LEVEL)


def read_tables(path: Path) -> dict[str, pa.Table]:
    """The table of a Parquet copy, named after the file, as pyarrow reads it (through ParquetFile: read_table would
    import pyarrow's dataset module first, which takes longer)."""
    with pq.ParquetFile(path) as parquet_file:
        return {path.stem: parquet_file.read()}
