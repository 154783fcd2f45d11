"""Spreadsheet: one sheet per table, typed cells, then a sheet describing every column and one about the package.

Written with XlsxWriter from the Table Schemas: integers are numbers, dates are dates (shown as yyyy-mm-dd), list
items are joined by "; ", a missing value is an empty cell. Every sheet has its header row frozen, an autofilter,
column widths from its contents, and long text wrapped. The document's creation date is fixed and the zip entries are
dated 1980-01-01 (XlsxWriter's in-memory mode), so the same tables give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pipeline.errors import CheckError
from pipeline.publish.datapackage import coverage, file_resource
from pipeline.publish.formats import package_file
from pipeline.schema import DICTIONARY_COLUMNS, TABLES, dictionary_entries, package_metadata, table_schema

FORMAT = "xlsx"
MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_SEPARATOR = "; "
CREATED = dt.datetime(2000, 1, 1)  # fixed, so that the bytes do not depend on when the file was built
DATE_FORMAT = "yyyy-mm-dd"
WRAP_OVER = 60  # characters: a longer value gets its column WRAP_WIDTH wide, with its text wrapped
WRAP_WIDTH = 80
DESCRIPTION = (
    "Every table in one spreadsheet for Excel or LibreOffice: a sheet per table (integers as numbers, dates as "
    "dates, list items joined by \"; \", header row frozen, autofilter on), a sheet `columns` describing every "
    "column, and a sheet `about` with the title, version and licences."
)


def filename() -> str:
    return package_file(FORMAT)


def write(tables, folder: Path) -> list[dict]:
    """Write the spreadsheet of every table into `folder`; return its resource."""
    import xlsxwriter

    path = Path(folder) / filename()
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    title = package_title(dict(tables.items())["meetings"])
    workbook.set_properties(document_properties(title))
    styles = _styles(workbook)
    for table, frame in tables.items():
        _write_sheet(workbook.add_worksheet(table), table_columns(table, frame), styles)
    _write_sheet(workbook.add_worksheet("columns"), dictionary_columns(), styles)
    _write_sheet(workbook.add_worksheet("about"), about_columns(title), styles)
    workbook.close()
    return [file_resource(path, name="spreadsheet", kind="file", title="Every table in one spreadsheet (Excel)",
                          description=DESCRIPTION, fmt=FORMAT, mediatype=MEDIATYPE)]


def package_title(meetings: pd.DataFrame) -> str:
    """The package's title as datapackage.json gives it: its {placeholders} filled from the meetings."""
    return package_metadata()["title"].format_map(coverage(len(meetings), meetings["year"].tolist()))


def document_properties(title: str) -> dict:
    """Title, keywords, licences and a fixed creation date."""
    meta = package_metadata()
    return {
        "title": title,
        "keywords": ", ".join(meta.get("keywords", [])),
        "comments": " ".join(f"{lic['title']}: {lic['path']}." for lic in meta["licenses"]),
        "created": CREATED,
    }


def table_columns(table: str, frame: pd.DataFrame) -> list[tuple[str, str, list]]:
    """(name, Table Schema type, values) of each column of `table`, in schema order; lists joined."""
    columns = []
    for spec in table_schema(table)["fields"]:
        values = [None if _missing(v) else v for v in frame[spec["name"]].tolist()]
        if spec["type"] == "array":
            values = [LIST_SEPARATOR.join(v) if v is not None and len(v) else None for v in values]
        columns.append((spec["name"], spec["type"], values))
    return columns


def dictionary_columns() -> list[tuple[str, str, list]]:
    """The data dictionary of every table as sheet columns: the table, then DICTIONARY_COLUMNS."""
    entries = [{"table": table, **entry} for table in TABLES for entry in dictionary_entries(table)]
    return [(key, "string", [entry[key].replace("`", "") for entry in entries])
            for key in ("table",) + DICTIONARY_COLUMNS]


def about_columns(title: str) -> list[tuple[str, str, list]]:
    """What the workbook is: title, version, licences, and what each sheet holds."""
    meta = package_metadata()
    rows = [("title", title), ("version", meta["version"])]
    rows += [("licence", f"{lic['title']}: {lic['path']}") for lic in meta["licenses"]]
    rows += [(f"sheet {table}", table_schema(table)["description"]) for table in TABLES]
    rows += [("sheet columns", "Every column of every table: its type, whether it is required, its constraints "
                               "and what it means."),
             ("lists", f"A list column's items are joined by \"{LIST_SEPARATOR}\"; an empty cell is an empty list.")]
    return [("item", "string", [key for key, _ in rows]), ("value", "string", [value for _, value in rows])]


def _styles(workbook) -> dict:
    top = {"valign": "top"}
    return {
        "header": workbook.add_format({**top, "bold": True, "bg_color": "#DDEBF7", "bottom": 1}),
        "string": workbook.add_format(top),
        "wrap": workbook.add_format({**top, "text_wrap": True}),
        "integer": workbook.add_format(top),
        "date": workbook.add_format({**top, "num_format": DATE_FORMAT}),
    }


def _write_sheet(sheet, columns: list[tuple[str, str, list]], styles: dict) -> None:
    """Header row, typed cells, widths, frozen header and autofilter."""
    rows = len(columns[0][2])
    for col, (name, kind, values) in enumerate(columns):
        sheet.write_string(0, col, name, styles["header"])
        width, wrap = _width(name, kind, values)
        sheet.set_column(col, col, width)
        _write_cells(sheet, col, kind, values, styles["wrap"] if wrap else styles.get(kind, styles["string"]))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, rows, len(columns) - 1)


def _write_cells(sheet, col: int, kind: str, values: list, style) -> None:
    write = {"integer": sheet.write_number, "date": sheet.write_datetime}.get(kind, sheet.write_string)
    for row, value in enumerate(values, start=1):
        if value is not None and write(row, col, value, style) != 0:
            raise CheckError(sheet.name, f"expected to write {kind} {str(value)[:40]!r} in row {row + 1}, "
                                         f"column {col + 1}, found that XlsxWriter refused it")


def _width(name: str, kind: str, values: list) -> tuple[float, bool]:
    """Column width in characters, and whether its text wraps."""
    longest = max([len(name)] + [len(DATE_FORMAT) if kind == "date" else len(str(v)) for v in values if v is not None])
    if longest > WRAP_OVER:
        return WRAP_WIDTH, True
    return longest + 2, False


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)
