"""SQLite database: a table per table with its keys, a link table per list column, full-text search, views.

Built with sqlite-utils from the Table Schemas, so new columns and tables flow through: each column gets the
declared type of its Table Schema type (dates as ISO 8601 text, lists as JSON arrays), NOT NULL when required, a
unique index when unique; the primary and foreign keys of the schema. Each list column also gets a link table of one
row per item (`recommendation_cites(id, position, cite)`). A table with the columns of SEARCHED gets a contentless
FTS5 index `<table>_fts` over them, as written and as their Russian lemmas (so «мигрант» finds «мигрантов» and
«мигрантам»). Each coded column of one code (kind, addressee, modality) points at a table of its codes and labels
(`codes_addressee(code, label, definition)`, made from the codes table) and the link tables of themes and groups at
the themes table and `codes_groups`, so that Datasette shows words beside the codes. The database is built in a
scratch file in the output folder (no journal: a build that stops removes its folder) and written with VACUUM INTO:
pages in order, nothing unused, no timestamps, so the same tables give the same bytes with the same SQLite library.
A scratch file rather than an in-memory database, so that the pages are not held in the build's memory.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import CheckError
from pipeline.guards import TABLE_MAX_ROWS
from pipeline.publish.datapackage import file_resource
from pipeline.publish.formats import iso_date, package_file
from pipeline.schema import TABLES, coded_fields, field_names, is_required, list_fields, table_schema

if TYPE_CHECKING:  # the names that `make serve` needs load without pandas
    import pandas as pd

FORMAT = "sqlite"
MEDIATYPE = "application/vnd.sqlite3"
SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "date": "TEXT", "array": "TEXT"}
# A column the database adds to a table for Datasette to name its rows by (its label column), computed from the
# table's own columns: a meeting reads "I · 2012".
DISPLAY_LABELS = {"meetings": ("label", "roman || ' · ' || year")}
DISPLAY_LABEL_DESCRIPTION = ("The meeting as the browse page names it: its Roman numeral and year (added by the "
                             "database).")
SEARCHED = ("text", "full_text")  # columns searched, each as written and as lemmas in `<column>_lemmas`
LEMMAS = "_lemmas"
# Questions people ask first. A chapeau is not counted: its subparagraphs make its requests.
VIEWS = {
    "recommendations_per_meeting_and_addressee": (
        "Recommendations (chapeaus not counted) per meeting and addressee.",
        """SELECT r.meeting, m.roman, m.year, r.addressee, count(*) AS recommendations
FROM recommendations AS r JOIN meetings AS m ON m.meeting = r.meeting
WHERE r.kind != 'chapeau'
GROUP BY r.meeting, r.addressee
ORDER BY r.meeting, recommendations DESC, r.addressee""",
    ),
    "recommendations_per_meeting_and_strength": (
        "Recommendations (chapeaus not counted) per meeting and strength of wording, 5 firmest; empty for "
        "unclassified wording.",
        """SELECT r.meeting, m.roman, m.year, r.strength, count(*) AS recommendations
FROM recommendations AS r JOIN meetings AS m ON m.meeting = r.meeting
WHERE r.kind != 'chapeau'
GROUP BY r.meeting, r.strength
ORDER BY r.meeting, r.strength DESC""",
    ),
}
DESCRIPTION = (
    "Every table in one SQLite database: a table per table with its declared types, primary and foreign keys; list "
    "columns as JSON arrays and as link tables (recommendation_cites: one row per citation); full-text search "
    "(recommendations_fts) over text and full_text as written and as Russian lemmas; views of the recommendations "
    "per meeting and addressee and per meeting and strength. Serve it with Datasette: make serve."
)


def filename() -> str:
    return package_file(FORMAT)


def write(tables, folder: Path) -> list[dict]:
    """Write the database of every table into `folder`; return its resource."""
    import sqlite_utils

    frames = dict(tables.items())
    path = Path(folder) / filename()
    handle, name = tempfile.mkstemp(prefix=".database-", suffix=".scratch", dir=folder)  # a new, empty file
    scratch = Path(name)
    try:
        os.close(handle)
        with closing(sqlite_utils.Database(scratch)) as db:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            _fill(db, frames)
            path.unlink(missing_ok=True)  # VACUUM INTO writes only a new file
            db.conn.commit()
            try:
                db.execute("VACUUM INTO ?", [str(path)])
            except BaseException:
                path.unlink(missing_ok=True)  # what VACUUM INTO had written of it
                raise
    finally:
        scratch.unlink(missing_ok=True)
    return [file_resource(path, name="database", kind="file", title="Every table in one SQLite database",
                          description=DESCRIPTION, fmt=FORMAT, mediatype=MEDIATYPE)]


def _fill(db, frames: dict[str, pd.DataFrame]) -> None:
    """Create every table of `frames` in `db` with its label, link and search tables, and the views."""
    if "codes" in frames:
        create_label_tables(db, frames["codes"])
    for table in creation_order(frames):
        create_table(db, table, frames[table])
    for table in frames:
        for column in list_fields(table):
            create_link_table(db, table, column)
        if set(SEARCHED) <= set(frames[table].columns):
            create_search_index(db, table)
    for name, (_, sql) in VIEWS.items():
        db.create_view(name, sql)
    check_foreign_keys(db)


def read_tables(path: Path) -> dict[str, dict[str, list]]:
    """Every table of the package as the database holds it, opened read-only: its columns {name: values}, rows in
    rowid order, as Python values (dates from ISO 8601 text, lists from JSON arrays), for the package check to
    compare with the CSV copies."""
    try:
        with closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)) as db:
            present = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if missing := [table for table in TABLES if table not in present]:
                raise CheckError(str(path), f"expected a table named {missing[0]}, found none")
            for table in TABLES:
                (rows,) = db.execute(f"SELECT count(*) FROM [{table}]").fetchone()
                if rows > TABLE_MAX_ROWS:
                    raise CheckError(str(path), f"expected at most {TABLE_MAX_ROWS:,} rows in {table}, found {rows:,}")
            return {table: _python_columns(table, db.execute(
                        f"SELECT {', '.join(f'[{name}]' for name in field_names(table))} FROM [{table}] ORDER BY rowid"))
                    for table in TABLES}
    except sqlite3.Error as exc:
        raise CheckError(str(path), f"expected an SQLite database, found one SQLite cannot read ({exc})") from None
    except (ValueError, RecursionError) as exc:
        raise CheckError(str(path), f"expected ISO dates and JSON arrays where the schema has them, found a value "
                                    f"that cannot be read ({type(exc).__name__})") from None


def _python_columns(table: str, cursor) -> dict[str, list]:
    kinds = {spec["name"]: spec["type"] for spec in table_schema(table)["fields"]}
    names = [description[0] for description in cursor.description]
    rows = cursor.fetchall()
    columns = zip(*rows) if rows else [()] * len(names)
    return {name: _python_values(values, kinds.get(name)) for name, values in zip(names, columns)}


def _python_values(values, kind: str | None) -> list:
    if kind == "date":
        return [iso_date(value) for value in values]
    if kind == "array":
        return [_json_list(value) if isinstance(value, str) else value for value in values]
    return list(values)


def _json_list(value: str):
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def creation_order(frames: dict) -> list[str]:
    """The tables in an order that creates every table before the tables whose foreign keys point at it."""
    order: list[str] = []
    pending = list(frames)
    while pending:
        ready = [t for t in pending if all(ref in order or ref == t or ref not in frames for ref in _references(t))]
        if not ready:
            raise CheckError("schemas/", f"expected foreign keys without a cycle, found one among {pending}")
        order += ready
        pending = [t for t in pending if t not in ready]
    return order


def label_table_name(column: str) -> str:
    """The table of the codes of one coded column, with their labels: `codes_addressee`."""
    return f"codes_{column}"


def label_tables(table: str) -> dict[str, str]:
    """{column: label table} for the coded columns of `table` that hold one code (not a list)."""
    if table != "recommendations":
        return {}
    kinds = {spec["name"]: spec["type"] for spec in table_schema(table)["fields"]}
    return {column: label_table_name(column) for column in coded_fields() if kinds[column] != "array"}


def item_references(table: str, column: str) -> tuple[str, str] | None:
    """The table and column that name the items of list column `column`, when it has a vocabulary: the themes
    table for themes, a label table for another coded column."""
    if table != "recommendations" or column not in coded_fields():
        return None
    return ("themes", "code") if column == "themes" else (label_table_name(column), "code")


def label_table_fields() -> list[str]:
    """The coded columns that get a table of their codes: all but themes, which the themes table names."""
    return [column for column in coded_fields() if item_references("recommendations", column) != ("themes", "code")]


def create_label_tables(db, codes: pd.DataFrame) -> None:
    """One table per coded column, (code, label, definition) from the codes table, so that a foreign key from the
    column gives Datasette the words to show for each code."""
    for column, rows in codes.groupby("field", sort=False):
        if column not in label_table_fields():
            continue
        name = label_table_name(column)
        db[name].create({"code": "TEXT", "label": "TEXT", "definition": "TEXT"}, pk="code",
                        not_null={"code", "label", "definition"})
        db[name].insert_all(rows[["code", "label", "definition"]].astype(object).to_dict("records"))


def create_table(db, table: str, frame: pd.DataFrame) -> None:
    """Create `table` from its schema, insert its rows in order, and index its unique and foreign-key columns.
    A coded column also points at its label table (created before, from the codes table)."""
    schema = table_schema(table)
    fields = schema["fields"]
    coded = [(column, name, "code") for column, name in label_tables(table).items()]
    db[table].create(
        {spec["name"]: SQL_TYPES[spec["type"]] for spec in fields},
        pk=tuple(schema["primaryKey"]),
        not_null={spec["name"] for spec in fields if is_required(spec)},
        foreign_keys=[_foreign_key(fk) for fk in schema.get("foreignKeys", [])] + coded,
    )
    names = [spec["name"] for spec in fields]
    db.conn.executemany(f"INSERT INTO [{table}] ({', '.join(f'[{name}]' for name in names)}) "
                        f"VALUES ({', '.join('?' * len(names))})", sql_rows(table, frame))
    for spec in fields:
        if spec.get("constraints", {}).get("unique") and [spec["name"]] != schema["primaryKey"]:
            db[table].create_index([spec["name"]], unique=True)
    for fk in schema.get("foreignKeys", []):
        db[table].create_index(fk["fields"])
    if table in DISPLAY_LABELS:
        column, expression = DISPLAY_LABELS[table]
        db.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] TEXT GENERATED ALWAYS AS ({expression}) VIRTUAL")


def sql_rows(table: str, frame: pd.DataFrame) -> list[tuple]:
    """The rows of `table` as SQLite stores them, values in schema order: ISO 8601 dates, JSON arrays for lists,
    None for missing; converted column by column."""
    columns = []
    for spec in table_schema(table)["fields"]:
        convert = {"date": _iso, "array": _json_array}.get(spec["type"], _plain)
        column = frame[spec["name"]]
        columns.append([convert(None if missing else value)
                        for value, missing in zip(column.tolist(), column.isna().tolist())])
    return list(zip(*columns))


def link_table_name(table: str, column: str) -> str:
    return f"{_singular(table)}_{column}"


def link_item_name(column: str) -> str:
    """The column of a link table that holds one item: `cite` for `cites`."""
    return _singular(column)


def create_link_table(db, table: str, column: str) -> None:
    """One row per item of list column `column`: the row's primary key, the item's position (from 1), the item."""
    keys = table_schema(table)["primaryKey"]
    item = link_item_name(column)
    name = link_table_name(table, column)
    references = [(keys[0], table, keys[0])] if len(keys) == 1 else []
    if vocabulary := item_references(table, column):
        references.append((item, *vocabulary))
    db[name].create({**{key: "TEXT" for key in keys}, "position": "INTEGER", item: "TEXT"},
                    pk=(*keys, "position"), not_null={*keys, "position", item}, foreign_keys=references)
    db.execute(f"INSERT INTO [{name}] SELECT {', '.join(f't.[{k}]' for k in keys)}, CAST(j.key AS INTEGER) + 1, "
               f"j.value FROM [{table}] AS t, json_each(t.[{column}]) AS j ORDER BY t.rowid, j.key")
    db[name].create_index([item])


def search_table_name(table: str) -> str:
    return f"{table}_fts"


def create_search_index(db, table: str) -> None:
    """A contentless FTS5 index of each SEARCHED column as written and as lemmas (ё as е), keyed by `table`'s rowid."""
    from pipeline.morphology import lemmas

    name = search_table_name(table)
    indexed = [*SEARCHED, *(column + LEMMAS for column in SEARCHED)]
    db.execute(f"CREATE VIRTUAL TABLE [{name}] USING fts5({', '.join(indexed)}, content='')")
    rows = db.execute(f"SELECT rowid, {', '.join(SEARCHED)} FROM [{table}] ORDER BY rowid").fetchall()
    lemma_texts: dict[str, str] = {}  # a text repeated (a paragraph's full_text is its text) is read once

    def lemma_text(text: str) -> str:
        if text not in lemma_texts:
            lemma_texts[text] = " ".join(lemmas(text)).replace("ё", "е")
        return lemma_texts[text]

    records = [(*row, *(lemma_text(text) for text in row[1:])) for row in rows]
    placeholders = ", ".join("?" * (1 + len(indexed)))
    db.conn.executemany(f"INSERT INTO [{name}](rowid, {', '.join(indexed)}) VALUES ({placeholders})", records)


def check_foreign_keys(db) -> None:
    if problem := db.execute("PRAGMA foreign_key_check").fetchone():
        raise CheckError(filename(), f"expected every foreign key to match a row, found row {problem[1]} of "
                                     f"{problem[0]} pointing at no row of {problem[2]}")


def _references(table: str) -> list[str]:
    return [fk["reference"]["resource"] for fk in table_schema(table).get("foreignKeys", [])]


def _foreign_key(fk: dict) -> tuple:
    """A Table Schema foreign key as sqlite-utils takes it: column(s), table, column(s)."""
    columns, other = fk["fields"], fk["reference"]["fields"]
    if len(columns) == 1:
        return columns[0], fk["reference"]["resource"], other[0]
    return tuple(columns), fk["reference"]["resource"], tuple(other)


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def _plain(value):
    return value


def _iso(value):
    return None if value is None else value.isoformat()


def _json_array(value):
    return json.dumps([] if value is None else list(value), ensure_ascii=False)
