"""Check a written package: every file's size and sha256, the Arrow types of the Parquet copies, each table's rows
validated once by frictionless, and every other copy of each table proven to hold exactly those rows.

Frictionless validates the descriptor and, for each table, its CSV copy as it reads CSV files: types, constraints,
primary and foreign keys. It does not read the same rows again from the JSON and Parquet copies (its Parquet reader
takes ten times as long as its CSV reader); those are compared with the CSV copy column by column in Arrow: the CSV
copy read by pyarrow with the types of the Table Schema, the Parquet copy as pyarrow reads it, every other copy's
values with the Arrow types they have, so a copy that differs in one value or in the type of one value (1 is not
True, nor 1.0, nor "1") fails the build, naming the first row and column that differ. `make verify-release` still
validates and reads every format with frictionless.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import CheckError
from pipeline.guards import TABLE_MAX_ROWS, check_json_file, count_lines, inside, sha256_file
from pipeline.package import Package
from pipeline.publish.formats import csv, parquet, table_readers
from pipeline.schema import TABLES, arrow_schema, table_schema

# The copy of each table whose rows frictionless validates. Every other format's module that has a
# `read_tables(path)` (the tables a file holds, by name, each as Columns, as columns {name: values} or as rows
# [{name: value}] of Python values: str, int, datetime.date, a list of str, None) has its files compared with it.
REFERENCE = csv  # the module of REFERENCE_FORMAT in pipeline.publish.formats


class Columns(Protocol):
    """A table read column by column: a pyarrow Table, or a reader that reads each column only when asked."""

    num_rows: int
    column_names: list[str]

    def column(self, name: str) -> pa.ChunkedArray | pa.Array: ...


Found = Columns | dict[str, list] | list[dict]
Reader = Callable[[Path], dict[str, Found]]


def validate_package(folder: Path, readers: dict[str, Reader] | None = None) -> dict[str, int]:
    """Check every file's bytes and sha256, validate each table's rows once with frictionless, and prove that every
    other copy of a table holds exactly those rows, read back by `readers` (by the format its resources declare;
    by default every output format's `read_tables`); return the number of rows of each table."""
    descriptor_path = folder / "datapackage.json"
    descriptor = read_package_descriptor(folder)
    for resource in descriptor["resources"]:
        _check_file_integrity(folder, resource, descriptor_path)
        check_table_bounds(folder / resource["path"], resource)
        if resource.get("format") == parquet.FORMAT:
            check_parquet_schema(folder / resource["path"])
    references = {table_of(r): r for r in descriptor["resources"] if r.get("format") == REFERENCE.FORMAT}
    validate_rows(descriptor, descriptor_path, references)
    expected = {table: REFERENCE.read_arrow(folder / resource["path"], table) for table, resource in references.items()}
    compare_copies(folder, descriptor, expected, {table: r["path"] for table, r in references.items()},
                   table_readers() if readers is None else readers)
    return {table: arrow_table.num_rows for table, arrow_table in expected.items()}


def check_table_bounds(path: Path, resource: dict) -> None:
    """Before a table's file is read whole, check that it is one of the dataset's tables and holds at most
    TABLE_MAX_ROWS rows (lines of a CSV file, values of a JSON file, rows in a Parquet file's footer), so that a file
    made to look small cannot take the check's memory or time."""
    fmt = resource.get("format")
    if fmt not in (csv.FORMAT, "json", parquet.FORMAT):
        return
    if table_of(resource) not in TABLES:
        raise CheckError(str(path), f"expected a copy of one of the tables {', '.join(TABLES)}, found "
                                    f"{table_of(resource)}")
    if fmt == csv.FORMAT:
        count_lines(path, TABLE_MAX_ROWS + 1, "a table")
    elif fmt == "json":
        check_json_file(path, "a table")
    else:
        rows = parquet.footer_rows(path)
        if rows > TABLE_MAX_ROWS:
            raise CheckError(str(path), f"expected a table of at most {TABLE_MAX_ROWS:,} rows, found {rows:,}")


def read_package_descriptor(folder: Path) -> dict:
    """The datapackage.json of `folder` (see pipeline.package), with every resource's path checked to name a
    regular file inside the folder before any of them is opened."""
    package = Package.open_folder(folder)
    for resource in package.resources:
        package.path(resource["path"], f"the path of resource {resource.get('name')!r}")
    return package.descriptor


def compare_copies(folder: Path, descriptor: dict, expected: dict[str, pa.Table], reference: dict[str, str],
                   readers: dict[str, Reader]) -> None:
    """Every table of every file that one of `readers` can read back holds the `expected` rows of its `reference`
    file."""
    for resource in descriptor["resources"]:
        if read := readers.get(resource.get("format")):
            path = folder / resource["path"]
            for table, found in read(path).items():
                where = str(path) if table == path.stem else f"{path}: {table}"
                if table not in expected:
                    raise CheckError(where, f"expected a table with a {REFERENCE.FORMAT} copy to compare with "
                                            f"({', '.join(expected)}), found {table}")
                check_same_rows(where, found, expected[table], reference[table], table)


def table_of(resource: dict) -> str:
    """The table a resource holds a copy of: its file name without the extension."""
    return Path(resource["path"]).stem


def validate_rows(descriptor: dict, where: Path, references: dict[str, dict]) -> None:
    """Validate the descriptor, then each table's reference file against its schema, keys included: one package of
    the reference resources, read from their files beside `where`."""
    report = frictionless.Package.validate_descriptor(descriptor)
    if report.valid:
        try:
            resources = [frictionless.Resource(dict(resource), basepath=str(where.parent))
                         for resource in references.values()]
            report = frictionless.Package(resources=resources).validate(limit_errors=1)
        except frictionless.FrictionlessException as exc:
            raise CheckError(str(where), f"expected a valid data package, found: {exc.error.message}") from None
    if not report.valid:
        raise CheckError(str(where), f"expected a valid data package, found: {first_error(report)}")


def check_same_rows(where: str, found: Found, expected: pa.Table, reference: str, table: str) -> None:
    """`found`, read from the copy at `where`, holds the rows `expected` from `reference`: same columns in the same
    order, and in every cell a value of the same type that is equal. Compared column by column in Arrow; only a
    column that differs is gone through value by value, to name the first row that differs."""
    names = expected.column_names
    count = len(found) if isinstance(found, list) else len(next(iter(found.values()), [])) \
        if isinstance(found, dict) else found.num_rows
    if count != expected.num_rows:
        raise CheckError(where, f"expected the {expected.num_rows} rows of {reference}, found {count}")
    if isinstance(found, list):
        for number, row in enumerate(found, start=1):
            if list(row) != names:
                raise CheckError(where, f"expected row {number} to have the columns of {reference}, found "
                                        f"{_column_difference(names, list(row))}")
        found = {name: [row[name] for row in found] for name in names}
    found_names = list(found) if isinstance(found, dict) else found.column_names
    if count and found_names != names:
        raise CheckError(where, f"expected row 1 to have the columns of {reference}, found "
                                f"{_column_difference(names, found_names)}")
    first: tuple[int, str, object, object] | None = None
    for name in names:
        column = found[name] if isinstance(found, dict) else found.column(name)
        if same_column(expected.column(name), column):
            continue
        try:
            want = expected.column(name).to_pylist()
            have = column.to_pylist() if isinstance(column, (pa.Array, pa.ChunkedArray)) else column
        except (OverflowError, ValueError) as exc:  # a date past year 9999, text that is not UTF-8
            raise CheckError(where, f"expected column {name} to hold values as in {reference}, found one Python "
                                    f"cannot read: {exc}") from None
        if len(have) != len(want):
            raise CheckError(where, f"expected column {name} to hold the {len(want)} rows of {reference}, found "
                                    f"{len(have)}")
        row = next((i for i, (a, b) in enumerate(zip(want, have)) if not same_value(a, b)), None)
        if row is None:  # the same values in Python, but not the same Arrow array: another type
            raise CheckError(where, f"expected column {name} to hold values of type {expected.column(name).type} "
                                    f"as in {reference}, found {_arrow_type(column)}")
        if first is None or row < first[0]:
            first = (row, name, want[row], have[row])
    if first is not None:
        row, name, value, found_value = first
        key = table_schema(table)["primaryKey"][0]
        raise CheckError(where, f"expected row {row + 1} ({key} {expected.column(key)[row].as_py()}) to hold {name} "
                                f"{_shown(value)} as in {reference}, found {_shown(found_value)}")


def same_column(expected: pa.ChunkedArray, found) -> bool:
    """Whether `found` (an Arrow array, or Python values read as Arrow infers their type) holds the values of
    `expected` with its Arrow type. Values of no type (only nulls, or only empty lists) take the expected type."""
    if not isinstance(found, (pa.Array, pa.ChunkedArray)):
        try:
            found = pa.array(found)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):  # values of several types
            return False
    if found.type != expected.type:
        untyped = found.type == pa.null() or (pa.types.is_list(found.type) and found.type.value_type == pa.null())
        if not untyped:
            return False
        found = found.cast(expected.type)
    if isinstance(found, pa.Array):
        found = pa.chunked_array([found], type=found.type)
    return found.equals(expected)


def same_value(expected, found) -> bool:
    """Equal and of the same type (so 1 is not True, nor 1.0, nor "1"); lists item by item."""
    if isinstance(expected, list):
        return isinstance(found, list) and len(found) == len(expected) and all(map(same_value, expected, found))
    return type(found) is type(expected) and found == expected


def _arrow_type(column) -> str:
    """The Arrow type of a column read back, or of the array Arrow makes of its Python values."""
    if isinstance(column, (pa.Array, pa.ChunkedArray)):
        return str(column.type)
    try:
        return str(pa.array(column).type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return "values of several types"


def _column_difference(want: list[str], have: list[str]) -> str:
    if missing := [column for column in want if column not in have]:
        return f"no column {missing[0]}"
    if extra := [column for column in have if column not in want]:
        return f"an extra column {extra[0]}"
    return f"them in another order: {', '.join(have)}"


def _shown(value) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _check_file_integrity(folder: Path, resource: dict, where: Path) -> None:
    path = inside(folder, resource.get("path"), str(where))
    size, digest = sha256_file(path)
    expected_bytes = resource.get("bytes", size)
    if size != expected_bytes or f"sha256:{digest}" != resource.get("hash"):
        raise CheckError(str(path), f"expected {expected_bytes} bytes with hash {resource.get('hash')}, "
                                    f"found {size} bytes with sha256:{digest}")


def check_parquet_schema(path: Path) -> None:
    """The file's Arrow columns are those made from the Table Schema: names, types (list<string> included,
    which frictionless cannot check in Parquet) and nullability."""
    try:
        found = pq.read_schema(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise CheckError(str(path), f"expected a Parquet file, found one pyarrow cannot read: {exc}") from None
    expected = arrow_schema(path.stem)
    if twice := next((name for i, name in enumerate(found.names) if name in found.names[:i]), None):
        raise CheckError(str(path), f"expected each column once, found {twice} twice")
    for want in expected:
        have = found.field(want.name) if want.name in found.names else None
        if have is None or have.type != want.type or have.nullable != want.nullable:
            shown = f"{have.type}{'' if have.nullable else ' not null'}" if have is not None else "no such column"
            raise CheckError(str(path), f"expected column {want.name} of type {want.type}"
                                        f"{'' if want.nullable else ' not null'}, found {shown}")
    if found.names != expected.names:
        raise CheckError(str(path), f"expected the columns {expected.names}, found {found.names}")


def validate_every_format(folder: Path) -> None:
    """Validate the whole package with frictionless, reading every resource in every format (slow: for releases)."""
    descriptor_path = folder / "datapackage.json"
    report = frictionless.validate(str(descriptor_path), limit_errors=1)
    if not report.valid:
        raise CheckError(str(descriptor_path), f"expected a valid data package, found: {first_error(report)}")


def first_error(report: frictionless.Report) -> str:
    """The first error of a frictionless report, with its resource and row."""
    for error in report.errors:
        return f"{error.type}: {error.message}"
    for task in report.tasks:
        for error in task.errors:
            where = f"{task.name}" + (f" row {error.row_number}" if getattr(error, "row_number", None) else "")
            return f"{where}: {error.type}: {error.message}"
    return "unknown error"
