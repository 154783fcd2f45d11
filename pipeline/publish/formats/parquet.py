"""Parquet copy of each table, written from the Arrow schema made from the Table Schema, zstd-compressed."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.publish.datapackage import table_resource
from pipeline.schema import arrow_schema

FORMAT = "parquet"
MEDIATYPE = "application/vnd.apache.parquet"
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 9


def write(tables, folder: Path) -> list[dict]:
    """Write `<table>.parquet` for every table into `folder`; return their resources."""
    resources = []
    for table, frame in tables.items():
        path = folder / f"{table}.{FORMAT}"
        arrow_table = pa.Table.from_pandas(frame, schema=arrow_schema(table), preserve_index=False)
        pq.write_table(arrow_table, path, compression=COMPRESSION, compression_level=COMPRESSION_LEVEL)
        resources.append(table_resource(table, FORMAT, MEDIATYPE, path, suffix="-parquet"))
    return resources
