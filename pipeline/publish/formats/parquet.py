"""Parquet copy of each table, written from the Arrow schema made from the Table Schema, zstd-compressed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.errors import CheckError
from pipeline.guards import TABLE_MAX_BYTES, TABLE_MAX_VALUES
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


def footer_rows(path: Path, max_bytes: int = TABLE_MAX_BYTES, max_values: int = TABLE_MAX_VALUES) -> int:
    """The rows of a Parquet file as its footer gives them, once the footer is found to agree with itself (the file's
    count is the sum of its row groups', which is what pyarrow reads), to count at most `max_values` values (cells
    and list items, which pyarrow reads no more of) and to unpack to at most `max_bytes`, so that a small file cannot
    take the memory of the check that reads it."""
    with _open(path) as parquet_file:
        metadata = parquet_file.metadata
    groups = [metadata.row_group(i) for i in range(metadata.num_row_groups)]
    grouped = sum(group.num_rows for group in groups)
    if grouped != metadata.num_rows:
        raise CheckError(str(path), f"expected a Parquet file whose row groups hold the {metadata.num_rows:,} rows "
                                    f"its footer gives, found {grouped:,} in them")
    chunks = [group.column(i) for group in groups for i in range(group.num_columns)]
    if (values := sum(chunk.num_values for chunk in chunks)) > max_values:
        raise CheckError(str(path), f"expected a Parquet file of at most {max_values:,} values, found {values:,}")
    if (unpacked := sum(chunk.total_uncompressed_size for chunk in chunks)) > max_bytes:
        raise CheckError(str(path), f"expected a Parquet file of at most {max_bytes:,} bytes of data uncompressed, "
                                    f"found {unpacked:,}")
    return metadata.num_rows


class ParquetColumns:
    """A Parquet file's table as the package check reads it: its row count and column names from the footer, and
    each column as pyarrow reads it, read only when asked (on one thread, through ParquetFile: read_table would
    import pyarrow's dataset module first, which takes longer), so that one column of a large table is in memory at a
    time rather than all of them. Text is read as a dictionary first and unpacked only when it comes to at most
    `max_bytes` (a few long texts repeated in many rows cost little in the file and much once unpacked). A column
    that does not hold the footer's number of rows, or whose values are not what their type says (text that is not
    UTF-8), is refused."""

    def __init__(self, path: Path, max_bytes: int = TABLE_MAX_BYTES):
        self.path = Path(path)
        self.max_bytes = max_bytes
        with _open(self.path) as parquet_file:
            self.num_rows = parquet_file.metadata.num_rows
            self.column_names = parquet_file.schema_arrow.names
            self._texts = {leaf.path.split(".")[0]: leaf.path for leaf in parquet_file.schema
                           if leaf.physical_type == "BYTE_ARRAY"}

    def column(self, name: str) -> pa.ChunkedArray:
        if name in self._texts:  # first its size unpacked, from the dictionaries, which are let go before reading
            unpacked = _unpacked_text_bytes(self._read(name, [self._texts[name]]))
            if unpacked > self.max_bytes:
                raise CheckError(str(self.path), f"expected column {name} to hold at most {self.max_bytes:,} bytes "
                                                 f"of text, found {unpacked:,}")
        column = self._read(name)
        if len(column) != self.num_rows:
            raise CheckError(str(self.path), f"expected column {name} to hold the {self.num_rows:,} rows the footer "
                                             f"gives, found {len(column):,}")
        return column

    def _read(self, name: str, as_dictionaries: list[str] | None = None) -> pa.ChunkedArray:
        with _open(self.path, as_dictionaries) as parquet_file:
            try:
                column = parquet_file.read(columns=[name], use_threads=False).column(0)
                column.validate(full=True)
            except (pa.ArrowException, OSError, ValueError) as exc:
                raise CheckError(str(self.path), f"expected a Parquet file whose column {name} pyarrow can read, "
                                                 f"found: {exc}") from None
        return column


def _unpacked_text_bytes(column: pa.ChunkedArray) -> int:
    """The bytes of the text of a column read with its text as dictionaries (or of a list of them), once unpacked."""
    total = 0
    for chunk in column.chunks:
        while pa.types.is_list(chunk.type) or pa.types.is_large_list(chunk.type):
            chunk = chunk.flatten()
        if pa.types.is_dictionary(chunk.type):
            total += pc.sum(pc.binary_length(chunk.dictionary).take(chunk.indices)).as_py() or 0
    return total


def _open(path: Path, read_dictionary: list[str] | None = None) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path, read_dictionary=read_dictionary)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise CheckError(str(path), f"expected a Parquet file, found one pyarrow cannot read: {exc}") from None
