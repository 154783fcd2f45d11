"""Parquet copy of each table, written from the Arrow schema made from the Table Schema, zstd-compressed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import CheckError
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


def read_tables(path: Path) -> dict[str, ParquetColumns]:
    """The table of a Parquet copy, named after the file, read a column at a time when asked (see ParquetColumns)."""
    return {path.stem: ParquetColumns(path)}


class ParquetColumns:
    """A Parquet file's table as the package check reads it: its row count and column names from the footer, and
    each column as pyarrow reads it, read only when asked (on one thread, through ParquetFile: read_table would
    import pyarrow's dataset module first, which takes longer), so that one column of a large table is in memory at a
    time rather than all of them."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with self._open() as parquet_file:
            self.num_rows = parquet_file.metadata.num_rows
            self.column_names = parquet_file.schema_arrow.names

    def column(self, name: str) -> pa.ChunkedArray:
        with self._open() as parquet_file:
            try:
                return parquet_file.read(columns=[name], use_threads=False).column(0)
            except (pa.ArrowException, OSError) as exc:
                raise CheckError(str(self.path), f"expected a Parquet file whose column {name} pyarrow can read, "
                                                 f"found: {exc}") from None

    def _open(self) -> pq.ParquetFile:
        try:
            return pq.ParquetFile(self.path)
        except (pa.ArrowException, OSError) as exc:
            raise CheckError(str(self.path), f"expected a Parquet file pyarrow can read, found: {exc}") from None
