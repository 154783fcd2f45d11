"""Spreadsheet: one sheet per table, typed cells, then a sheet describing every column and one about the package.

Written with XlsxWriter from the Table Schemas: integers are numbers, dates are dates (shown as yyyy-mm-dd), list
items are joined by "; ", a missing value is an empty cell. Every sheet has its header row frozen, an autofilter,
column widths from its contents, long text wrapped in rows tall enough for it, and a print set-up: landscape A4, one
page wide, the header row on every page. The document's creation date is fixed and the zip entries are dated
1980-01-01 (XlsxWriter's in-memory mode), so the same tables give the same bytes.

A sheet opens on what a reader reads (READER_FIRST): for recommendations the id, meeting, year and text, then the
coded columns in words (the labels of the codes table) and the strength; the columns as the schema names them follow,
with the codes in their own columns, and the provenance and repeated columns (PROVENANCE) come last. A column empty
in every row (page, for a source without pages) is left out. The printed page holds the reader's columns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pipeline.errors import CheckError
from pipeline.publish.datapackage import coverage, file_resource
from pipeline.publish.formats import package_file
from pipeline.codes import Codes
from pipeline.schema import (
    DICTIONARY_COLUMNS,
    TABLES,
    coded_fields,
    dictionary_entries,
    field_spec,
    package_metadata,
    table_schema,
)

FORMAT = "xlsx"
MEDIATYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_SEPARATOR = "; "
CREATED = dt.datetime(2000, 1, 1)  # fixed, so that the bytes do not depend on when the file was built
DATE_FORMAT = "yyyy-mm-dd"
WRAP_OVER = 60  # characters: a longer value gets its column WRAP_WIDTH wide, with its text wrapped
WRAP_WIDTH = 80
DESCRIPTION = (
    "Every table in one spreadsheet for Excel or LibreOffice: a sheet per table (integers as numbers, dates as "
    "dates, list items joined by \"; \", header row frozen, autofilter on, set to print landscape on A4 one page "
    "wide), the recommendations text-first with their codes also in words, a sheet `columns` describing every "
    "column, and a sheet `about` with the source, the citation and the licences."
)
DESCRIBES_PACKAGE = True  # write() takes the package descriptor, for the about sheet
# The columns a reader reads first, in this order; a coded column among them shows its codes' labels under the
# header LABEL_HEADERS gives (its schema title by default), and keeps its codes in a column of its own further right.
READER_FIRST = {"recommendations": ("id", "meeting", "year", "text", "addressee", "modality", "themes", "groups",
                                    "strength", "kind")}
LABEL_HEADERS = {"modality": "How firmly"}
# The columns that only say where a row comes from or repeat another (full_text repeats text but for subparagraphs).
PROVENANCE = ("seq", "number", "sub_letter", "meeting_start", "meeting_end", "full_text", "eid", "line_start",
              "line_end", "page", "heading_line", "heading_page")
PRINTED_OVER = {"recommendations": "groups"}  # the printed page holds the columns up to this one's label
LABEL_WIDTH = 24  # characters: a label column wider than this wraps
LINE_HEIGHT = 15  # points per line of wrapped text (Calibri 11)
A4 = 9  # XlsxWriter's paper code


def filename() -> str:
    return package_file(FORMAT)


def write(tables, folder: Path, package: dict | None = None) -> list[dict]:
    """Write the spreadsheet of every table into `folder`; return its resource. `package` is the descriptor (without
    resources) whose source and licences the about sheet gives."""
    import xlsxwriter

    path = Path(folder) / filename()
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    title = package_title(dict(tables.items())["meetings"])
    workbook.set_properties(document_properties(title))
    styles = _styles(workbook)
    codes = Codes(tables.codes.to_dict("records"))
    for table, frame in tables.items():
        columns = reader_columns(table, table_columns(table, frame), codes)
        printed = _printed_columns(table, columns)
        _write_sheet(workbook.add_worksheet(table), columns, styles, printed)
    _write_sheet(workbook.add_worksheet("columns"), dictionary_columns(), styles)
    kinds = dict(tables.items())["recommendations"]["kind"].tolist()
    _write_sheet(workbook.add_worksheet("about"), about_columns(title, package, kinds), styles)
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


def label_header(column: str) -> str:
    """The header of the column that shows a coded column's labels."""
    spec = field_spec("recommendations", column)
    return LABEL_HEADERS.get(column, spec.get("title") or column)


def reader_columns(table: str, columns: list[tuple[str, str, list]], codes: Codes) -> list[tuple[str, str, list]]:
    """The sheet's columns in reading order: READER_FIRST (coded columns as labels), the other columns (a coded one
    as codes), then PROVENANCE; a column without a value in any row is left out; `codes` gives the labels."""
    by_name = {name: (name, kind, values) for name, kind, values in columns}
    coded = set(coded_fields()) if table == "recommendations" else set()
    first = []
    for name in READER_FIRST.get(table, ()):
        if name not in by_name:
            continue
        if name in coded:
            words = codes.labels(name)
            joined = [None if v is None else LIST_SEPARATOR.join(words.get(code, code) for code in v.split(
                LIST_SEPARATOR)) for v in by_name[name][2]]
            first.append((label_header(name), "string", joined))
        else:
            first.append(by_name[name])
    placed = {name for name in READER_FIRST.get(table, ()) if name not in coded}
    rest = [column for column in columns if column[0] not in placed and column[0] not in PROVENANCE]
    last = [column for column in columns if column[0] in PROVENANCE and column[0] not in placed]
    return [column for column in first + rest + last if any(value is not None for value in column[2])]


def _printed_columns(table: str, columns: list[tuple[str, str, list]]) -> int:
    """How many columns, from the first, the printed page holds: up to PRINTED_OVER's, or all of them."""
    if table not in PRINTED_OVER:
        return len(columns)
    names = [name for name, _, _ in columns]
    header = label_header(PRINTED_OVER[table])
    return names.index(header) + 1 if header in names else len(columns)


def dictionary_columns() -> list[tuple[str, str, list]]:
    """The data dictionary of every table as sheet columns: the table, then DICTIONARY_COLUMNS."""
    entries = [{"table": table, **entry} for table in TABLES for entry in dictionary_entries(table)]
    return [(key, "string", [entry[key].replace("`", "") for entry in entries])
            for key in ("table",) + DICTIONARY_COLUMNS]


def about_columns(title: str, package: dict | None = None, kinds: list[str] | None = None) -> list[tuple[str, str, list]]:
    """What the workbook is: title, version, source, citation, licences, what it counts (the units of `kinds`), and
    what each sheet holds."""
    from pipeline.counts import counted_sentence, units_sentence
    from pipeline.release.card import derived_from
    from pipeline.release.info import AUTHOR

    meta = package_metadata()
    rows = [("title", title), ("version", meta["version"])]
    if package and package.get("sources"):
        source = package["sources"][0]
        rows.append(("source", derived_from(package) + (f" ({source['title_en']})" if source.get("title_en")
                                                         else "")))
        rows.append(("citation", f"{AUTHOR}. {title} (dataset, version {meta['version']}). Derived from: "
                                 f"{derived_from(package)}."))
    rows += [("licence", f"{lic['title']}: {lic['path']}") for lic in meta["licenses"]]
    if kinds is not None:
        rows.append(("units", f"{units_sentence(kinds)}. Counts of recommendations by addressee, wording or theme "
                              f"count {counted_sentence(kinds)}."))
    rows += [(f"sheet {table}", table_schema(table)["description"]) for table in TABLES]
    coded = ", ".join(f"{label_header(name)} ({name})" for name in READER_FIRST["recommendations"]
                      if name in coded_fields())
    rows.append(("words and codes", f"In the recommendations sheet the columns {coded} show the labels of the codes "
                                    "sheet; the columns named as in the schema, further right, hold the codes."))
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


def _write_sheet(sheet, columns: list[tuple[str, str, list]], styles: dict, printed: int | None = None) -> None:
    """Header row, typed cells, widths, row heights for wrapped text, frozen header, autofilter and print set-up."""
    rows = len(columns[0][2])
    lines = [1] * rows
    for col, (name, kind, values) in enumerate(columns):
        sheet.write_string(0, col, name, styles["header"])
        width, wrap = _width(name, kind, values)
        sheet.set_column(col, col, width)
        _write_cells(sheet, col, kind, values, styles["wrap"] if wrap else styles.get(kind, styles["string"]))
        if wrap:
            lines = [max(n, wrapped_lines(value, width)) for n, value in zip(lines, values)]
    for row, count in enumerate(lines, start=1):
        if count > 1:
            sheet.set_row(row, count * LINE_HEIGHT)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, rows, len(columns) - 1)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_footer("&L&A&RPage &P of &N")
    sheet.print_area(0, 0, rows, (printed or len(columns)) - 1)


def wrapped_lines(value, width: float) -> int:
    """About how many lines a wrapped value takes in a column `width` characters wide."""
    if value is None:
        return 1
    per_line = max(1, int(width) - 2)
    return sum(max(1, -(-len(part) // per_line)) for part in str(value).split("\n"))


def _write_cells(sheet, col: int, kind: str, values: list, style) -> None:
    write = {"integer": sheet.write_number, "date": sheet.write_datetime}.get(kind, sheet.write_string)
    for row, value in enumerate(values, start=1):
        if value is not None and write(row, col, value, style) != 0:
            raise CheckError(sheet.name, f"expected to write {kind} {str(value)[:40]!r} in row {row + 1}, "
                                         f"column {col + 1}, found that XlsxWriter refused it")


def _width(name: str, kind: str, values: list) -> tuple[float, bool]:
    """Column width in characters, and whether its text wraps: a long text WRAP_WIDTH wide, a list of labels or
    other text longer than LABEL_WIDTH that wide."""
    longest = max([len(name)] + [len(DATE_FORMAT) if kind == "date" else len(str(v)) for v in values if v is not None])
    if longest > WRAP_OVER:
        return WRAP_WIDTH, True
    if kind == "string" and longest > LABEL_WIDTH + 2 and any(v and " " in str(v) for v in values):
        return max(LABEL_WIDTH, len(name) + 2), True
    return longest + 2, False


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)
