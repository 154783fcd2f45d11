"""What changed between two editions of the dataset: per table, the ids added, removed and changed.

Each side is a release zip, a package or release folder, or a datapackage.json. Rows are matched by the primary key
of their table and compared column by column on the JSON copy (the same rows as CSV and Parquet, as the build and
verify-release check); a column that only one side has is reported once, not as a change of every row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import CheckError
from pipeline.package import Package
from pipeline.schema import LIST_DELIMITER, package_metadata

CSV_COLUMNS = ("table", "change", "id", "columns")

# The tables compared row by row, by their one-column primary key. The codes table is left out: it holds the words
# of rules/, not data read from the source, and editions before it have none.
DIFFED_TABLES = ("recommendations", "meetings", "themes")


@dataclass(frozen=True)
class Edition:
    """One side of a diff: its package and the rows of each table, keyed by primary key."""

    package: Package
    rows: dict[str, dict[str, dict]]
    columns: dict[str, list[str]]

    @property
    def where(self) -> str:
        return self.package.where

    @property
    def descriptor(self) -> dict:
        return self.package.descriptor

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
    old: Edition
    new: Edition
    tables: list[TableDiff]


def diff_packages(old_path: Path, new_path: Path) -> PackageDiff:
    """Read both packages and compare every table of the dataset."""
    old, new = read_edition(Path(old_path)), read_edition(Path(new_path))
    return PackageDiff(old, new, [diff_table(table, old, new) for table in DIFFED_TABLES])


def diff_table(table: str, old: Edition, new: Edition) -> TableDiff:
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


def read_edition(path: Path) -> Edition:
    """A release zip, a folder holding datapackage.json, or a datapackage.json (see pipeline.package); CheckError if
    it is not this dataset's package. Each table's JSON copy is checked against its sha256 and its schema's
    primary key. The descriptor's shape is checked before it is used, so any other exception is a bug, not bad
    input, and is left to show as one."""
    package = Package.open(path)
    name = package_metadata()["name"]
    if package.name != name:
        raise CheckError(package.where, f"expected a data package named {name}, found {package.name!r}")
    rows, columns = {}, {}
    for table in DIFFED_TABLES:
        rows[table], columns[table] = _read_table(package, table)
    return Edition(package, rows, columns)


def _read_table(package: Package, table: str) -> tuple[dict[str, dict], list[str]]:
    resource = package.resource(table, "json")
    where, path = package.where, resource["path"]
    schema = resource.get("schema", {})
    keys, fields = schema.get("primaryKey"), schema.get("fields")
    if not (isinstance(keys, list) and len(keys) == 1 and isinstance(keys[0], str) and isinstance(fields, list)
            and all(isinstance(field, dict) and isinstance(field.get("name"), str) for field in fields)):
        raise CheckError(where, f"expected the schema of {resource['name']} to list its fields and a primary key of "
                                f"one column, found another shape")
    columns = [field["name"] for field in fields]
    records = package.rows(table, verify=True)
    if not all(keys[0] in row for row in records):
        raise CheckError(where, f"expected every row of {path} to have its primary key {keys}, found rows without")
    by_key = {str(row[keys[0]]): row for row in records}
    if len(by_key) != len(records):
        raise CheckError(where, f"expected unique values of {keys[0]} in {path}, found repeats")
    return by_key, columns


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
                writer.writerows((table.table, change, key, LIST_DELIMITER.join(columns)) for key in keys)
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
