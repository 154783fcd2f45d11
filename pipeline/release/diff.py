"""What changed between two editions of the dataset: per table, the ids added, removed and changed.

Each side is a release zip, a package or release folder, or a datapackage.json. Rows are matched by the primary key
of their table and compared column by column on the JSON copy (the same rows as CSV and Parquet, as the build and
verify-release check); a column that only one side has is reported once, not as a change of every row.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import CheckError
from pipeline.guards import (
    DESCRIPTOR_MAX_BYTES,
    RELEASE_MAX_BYTES,
    TABLE_MAX_BYTES,
    check_relative_path,
    inside,
    load_json,
    open_regular,
    open_zip,
    read_member,
    read_regular,
)
from pipeline.provenance import integrity
from pipeline.schema import package_metadata

DESCRIPTOR = "datapackage.json"
CSV_COLUMNS = ("table", "change", "id", "columns")

# The tables compared row by row, by their one-column primary key. The codes table is left out: it holds the words
# of rules/, not data read from the source, and editions before it have none.
DIFFED_TABLES = ("recommendations", "meetings", "themes")


@dataclass(frozen=True)
class Package:
    """One side of a diff: its descriptor and the rows of each table, keyed by primary key."""

    where: str
    descriptor: dict
    rows: dict[str, dict[str, dict]]
    columns: dict[str, list[str]]

    @property
    def label(self) -> str:
        sources = self.descriptor.get("sources")
        first = sources[0] if isinstance(sources, list) and sources and isinstance(sources[0], dict) else {}
        source = str(first.get("hash", "")).removeprefix("sha256:") or "unrecorded"
        return f"{self.descriptor['name']} {self.descriptor.get('version', '?')}, source sha256 {source[:12]}…"


@dataclass(frozen=True)
class TableDiff:
    """The difference between the two sides' copies of one table."""

    table: str
    old_rows: int
    new_rows: int
    added: list[str]
    removed: list[str]
    changed: list[tuple[str, list[str]]]
    columns_added: list[str]
    columns_removed: list[str]


@dataclass(frozen=True)
class PackageDiff:
    old: Package
    new: Package
    tables: list[TableDiff]


def diff_packages(old_path: Path, new_path: Path) -> PackageDiff:
    """Read both packages and compare every table of the dataset."""
    old, new = read_package(Path(old_path)), read_package(Path(new_path))
    return PackageDiff(old, new, [diff_table(table, old, new) for table in DIFFED_TABLES])


def diff_table(table: str, old: Package, new: Package) -> TableDiff:
    """Ids added, removed and changed (with the changed columns, in the new table's column order)."""
    before, after = old.rows[table], new.rows[table]
    common = [column for column in new.columns[table] if column in old.columns[table]]
    changed = []
    for key, row in after.items():
        if key in before:
            columns = [column for column in common if row.get(column) != before[key].get(column)]
            if columns:
                changed.append((key, columns))
    return TableDiff(
        table, len(before), len(after),
        added=[key for key in after if key not in before],
        removed=[key for key in before if key not in after],
        changed=changed,
        columns_added=[column for column in new.columns[table] if column not in old.columns[table]],
        columns_removed=[column for column in old.columns[table] if column not in new.columns[table]],
    )


# Reading a package


def read_package(path: Path) -> Package:
    """A release zip, a folder holding datapackage.json, or a datapackage.json; CheckError if it is not this
    dataset's package. Files are read within the limits of pipeline.guards, the descriptor's shape is checked before
    it is used, and a resource's path is checked to stay inside the package before it is opened."""
    where = str(path)
    what = "a release zip, a package folder or a datapackage.json"
    try:
        if path.is_dir():
            return _read_folder(path / DESCRIPTOR, where)
        with open_regular(path, RELEASE_MAX_BYTES, what) as file:
            if zipfile.is_zipfile(file):
                return _read_zip(file, where)
        return _read_folder(path, where)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise CheckError(where, f"expected {what} that can be read, found: {exc}") from None


def _read_folder(descriptor_path: Path, where: str) -> Package:
    if not os.path.lexists(descriptor_path):
        raise CheckError(where, f"expected a data package folder holding {DESCRIPTOR}, found none")
    folder = descriptor_path.parent

    def read(name: str) -> bytes | None:
        check_relative_path(name, where)
        if not os.path.lexists(folder / name):
            return None
        return read_regular(inside(folder, name, where), TABLE_MAX_BYTES, f"the table copy {name}")

    return _read(read_regular(descriptor_path, DESCRIPTOR_MAX_BYTES, f"a {DESCRIPTOR}"), read, where)


def _read_zip(file, where: str) -> Package:
    archive, members = open_zip(file, where)
    with archive:
        entries = {entry.filename: entry for entry in members}
        names = [name for name in entries if PurePosixPath(name).name == DESCRIPTOR]
        if len(names) != 1:
            raise CheckError(where, f"expected a release zip with one {DESCRIPTOR}, found {len(names)}")
        folder = PurePosixPath(names[0]).parent

        def read(name: str) -> bytes | None:
            check_relative_path(name, where)
            member = str(folder / name) if str(folder) != "." else name
            if member not in entries:
                return None
            return read_member(archive, entries[member], where, TABLE_MAX_BYTES, f"the table copy {name}")

        return _read(read_member(archive, entries[names[0]], where, DESCRIPTOR_MAX_BYTES, DESCRIPTOR), read, where)


def _read(descriptor_bytes: bytes, read, where: str) -> Package:
    """Check the descriptor names this dataset, then read each table's JSON copy, checking its sha256."""
    descriptor = load_json(descriptor_bytes, where, f"a {DESCRIPTOR}")
    name = package_metadata()["name"]
    if not isinstance(descriptor, dict) or descriptor.get("name") != name:
        found = descriptor.get("name") if isinstance(descriptor, dict) else type(descriptor).__name__
        raise CheckError(where, f"expected a data package named {name}, found {found!r}")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not all(isinstance(resource, dict) for resource in resources):
        raise CheckError(where, f"expected a list of resources in {DESCRIPTOR}, found {type(resources).__name__}")
    rows, columns = {}, {}
    for table in DIFFED_TABLES:
        rows[table], columns[table] = _read_table(resources, table, read, where)
    return Package(where, descriptor, rows, columns)


def _read_table(resources: list[dict], table: str, read, where: str) -> tuple[dict[str, dict], list[str]]:
    resource = next((r for r in resources if r.get("name") == f"{table}-json"), None)
    if resource is None:
        raise CheckError(where, f"expected a resource {table}-json in {DESCRIPTOR}, found none")
    keys, columns = _table_schema(resource, where)
    data = read(resource.get("path"))
    if data is None:
        raise CheckError(where, f"expected the file {resource['path']} listed in {DESCRIPTOR}, found none")
    if integrity(data)["hash"] != resource.get("hash"):
        raise CheckError(where, f"expected {resource['path']} to have the sha256 listed in {DESCRIPTOR}, found "
                                f"another: the file was altered")
    records = load_json(data, where, f"the JSON rows of {resource['path']}")
    if not isinstance(records, list):
        raise CheckError(where, f"expected an array of rows in {resource['path']}, found {type(records).__name__}")
    if not all(isinstance(row, dict) and keys[0] in row for row in records):
        raise CheckError(where, f"expected every row of {resource['path']} to have its primary key {keys}, found "
                                f"rows without")
    by_key = {str(row[keys[0]]): row for row in records}
    if len(by_key) != len(records):
        raise CheckError(where, f"expected unique values of {keys[0]} in {resource['path']}, found repeats")
    return by_key, columns


def _table_schema(resource: dict, where: str) -> tuple[list[str], list[str]]:
    """The primary key and the column names of a resource's schema, after checking the schema's shape."""
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        raise CheckError(where, f"expected the schema of {resource.get('name')} to list named fields, found none")
    keys = schema.get("primaryKey")
    if not (isinstance(keys, list) and len(keys) == 1 and isinstance(keys[0], str)):
        raise CheckError(where, f"expected the schema of {resource.get('name')} to have a primary key of one "
                                f"column, found {keys!r}")
    return keys, [field["name"] for field in fields]


# Reports


def report_lines(diff: PackageDiff) -> list[str]:
    """The diff as printed by `python -m pipeline diff`: a line per side, then per table its counts and ids."""
    lines = [f"old: {diff.old.where} ({diff.old.label})", f"new: {diff.new.where} ({diff.new.label})"]
    for table in diff.tables:
        lines.append(f"{table.table}: {table.old_rows} → {table.new_rows} rows; {len(table.added)} added, "
                     f"{len(table.removed)} removed, {len(table.changed)} changed")
        for change, columns, keys in _groups(table):
            what = f"{change} ({', '.join(columns)})" if columns else change
            lines.append(f"  {what}: {', '.join(keys)}")
    return lines


def csv_text(diff: PackageDiff) -> str:
    """The same as the report, one row per id (or per column added or removed): table, change, id, columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for table in diff.tables:
        for change, columns, keys in _groups(table):
            if change.startswith("column"):
                writer.writerows((table.table, change, "", column) for column in keys)
            else:
                writer.writerows((table.table, change, key, ";".join(columns)) for key in keys)
    return buffer.getvalue()


def changelog_section(diff: PackageDiff) -> str:
    """Markdown for a release's changelog entry: per table, what changed since the previous release."""
    version = diff.old.descriptor.get("version", "?")
    out = [f"### Compared with {version}", "",
           f"Rows added, removed and changed since release {version}, by `python -m pipeline diff`:", ""]
    for table in diff.tables:
        parts = [f"{len(table.added)} added", f"{len(table.removed)} removed", f"{len(table.changed)} changed"]
        out.append(f"- `{table.table}`: {table.old_rows} → {table.new_rows} rows; {', '.join(parts)}.")
        for change, columns, keys in _groups(table):
            what = f"{change} ({', '.join(f'`{c}`' for c in columns)})" if columns else change
            if change == "changed" and len(keys) == len(diff.old.rows[table.table]):
                listed = f"every row of release {version}"
            else:
                listed = ", ".join(f"`{key}`" for key in keys)
            out.append(f"  - {what}: {listed}")
    return "\n".join(out) + "\n"


def _groups(table: TableDiff) -> list[tuple[str, list[str], list[str]]]:
    """(change, columns, ids) in report order: columns added and removed, ids added, removed, then changed ids
    grouped by the columns that changed, in order of first appearance."""
    groups = []
    if table.columns_added:
        groups.append(("columns added", [], table.columns_added))
    if table.columns_removed:
        groups.append(("columns removed", [], table.columns_removed))
    if table.added:
        groups.append(("added", [], table.added))
    if table.removed:
        groups.append(("removed", [], table.removed))
    by_columns: dict[tuple[str, ...], list[str]] = {}
    for key, columns in table.changed:
        by_columns.setdefault(tuple(columns), []).append(key)
    groups += [("changed", list(columns), keys) for columns, keys in by_columns.items()]
    return groups
