"""The spreadsheet read back with openpyxl and pandas: the same rows and types as the Parquet copy, and a sheet that
describes every column."""

import datetime as dt
import json
import re
import shutil

import openpyxl
import pandas as pd
import pytest

from pipeline.errors import CheckError
from pipeline.publish.formats import xlsx
from pipeline.schema import TABLES, dictionary_entries, field_names, list_fields, package_metadata, table_schema
from pipeline.stages.tabulate import Tables
from tests.source_tables import source_tables


@pytest.fixture(scope="module")
def path(built):
    return built / xlsx.filename()


@pytest.fixture(scope="module")
def workbook(path):
    return openpyxl.load_workbook(path)


def expected_cell(value, kind: str):
    """A Parquet value as the spreadsheet should hold it: datetime for a date, joined items for a list."""
    if kind == "array":
        return xlsx.LIST_SEPARATOR.join(value) if len(value) else None
    if value is None or value is pd.NA:
        return None
    if kind == "date":
        return dt.datetime.combine(value, dt.time())
    return value


def parquet_rows(built, table: str) -> list[list]:
    frame = pd.read_parquet(built / f"{table}.parquet")
    kinds = [spec["type"] for spec in table_schema(table)["fields"]]
    return [[expected_cell(value, kind) for value, kind in zip(row, kinds)]
            for row in frame.astype(object).itertuples(index=False)]


def test_sheets_are_the_tables_then_columns_and_about(workbook):
    assert workbook.sheetnames == [*TABLES, "columns", "about"]


@pytest.mark.parametrize("table", TABLES)
def test_openpyxl_reads_the_parquet_rows_with_their_types(workbook, built, table):
    sheet = workbook[table]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == field_names(table)
    expected = parquet_rows(built, table)
    assert len(rows) - 1 == len(expected) > 0
    assert rows[1:] == expected
    kinds = {spec["name"]: spec["type"] for spec in table_schema(table)["fields"]}
    for column, cell in zip(rows[0], sheet[2]):
        if cell.value is not None and kinds[column] == "integer":
            assert type(cell.value) is int and cell.data_type == "n", column
        if kinds[column] == "date":
            assert cell.is_date and cell.number_format == xlsx.DATE_FORMAT, column


@pytest.mark.parametrize("table", TABLES)
def test_pandas_reads_the_same_rows_and_types_as_from_parquet(path, built, table):
    # pandas guesses a column's type from its cells ("4.11" would become a number): text columns are named as text
    text = {spec["name"]: str for spec in table_schema(table)["fields"] if spec["type"] in ("string", "array")}
    from_excel = pd.read_excel(path, sheet_name=table, dtype=text)
    from_parquet = pd.read_parquet(built / f"{table}.parquet")
    assert list(from_excel.columns) == list(from_parquet.columns)
    for spec in table_schema(table)["fields"]:
        name, excel, parquet = spec["name"], from_excel[spec["name"]], from_parquet[spec["name"]]
        if spec["type"] == "date":
            assert excel.dtype.kind == "M" and excel.dt.date.tolist() == parquet.tolist(), name
        elif spec["type"] == "integer" and parquet.notna().all():
            assert excel.dtype == "int64" and excel.tolist() == parquet.tolist(), name
        elif spec["type"] == "integer":  # a column with missing values reads as float, NaN for missing
            assert excel.isna().tolist() == parquet.isna().tolist(), name
            assert excel.dropna().astype("int64").tolist() == parquet.dropna().astype("int64").tolist(), name
        elif spec["type"] == "array":
            joined = [xlsx.LIST_SEPARATOR.join(items) if len(items) else None for items in parquet]
            assert [None if pd.isna(v) else v for v in excel] == joined, name
        else:
            assert [None if pd.isna(v) else v for v in excel] == [None if pd.isna(v) else v for v in parquet], name


def test_list_columns_exist_and_some_rows_hold_several_items(workbook):
    sheet = workbook["recommendations"]
    names = [cell.value for cell in sheet[1]]
    for column in list_fields("recommendations"):
        values = [row[names.index(column)] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert all(value is None or value.strip() == value for value in values)
    cites = [row[names.index("cites")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(value and xlsx.LIST_SEPARATOR in value for value in cites)


def widths(sheet) -> dict[int, float]:
    """The width set for each column (openpyxl keeps a run of equally wide columns as one entry)."""
    return {index: dimension.width for dimension in sheet.column_dimensions.values() if dimension.customWidth
            for index in range(dimension.min, dimension.max + 1)}


@pytest.mark.parametrize("sheet_name", [*TABLES, "columns", "about"])
def test_every_sheet_has_a_frozen_header_an_autofilter_and_set_widths(workbook, sheet_name):
    sheet = workbook[sheet_name]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(sheet.max_row, sheet.max_column).coordinate}"
    assert all(cell.font.b for cell in sheet[1])
    set_widths = widths(sheet)
    assert sorted(set_widths) == list(range(1, sheet.max_column + 1))
    assert all(set_widths[cell.column] >= len(cell.value) for cell in sheet[1])


def test_long_text_is_wrapped_in_a_wide_column_and_short_text_is_not(workbook):
    sheet = workbook["recommendations"]
    names = [cell.value for cell in sheet[1]]
    text, kind = names.index("text") + 1, names.index("kind") + 1
    assert sheet.cell(2, text).alignment.wrap_text and int(widths(sheet)[text]) == xlsx.WRAP_WIDTH
    assert not sheet.cell(2, kind).alignment.wrap_text
    longest_kind = max(len(cell.value) for (cell,) in sheet.iter_rows(min_col=kind, max_col=kind))
    assert longest_kind < widths(sheet)[kind] < xlsx.WRAP_WIDTH


def test_columns_sheet_describes_every_column_of_every_table_from_the_schemas(workbook):
    rows = list(workbook["columns"].iter_rows(values_only=True))
    assert rows[0] == ("table", "column", "type", "required", "constraints", "description")
    expected = [(table, entry["column"], entry["type"], entry["required"], entry["constraints"].replace("`", ""),
                 entry["description"]) for table in TABLES for entry in dictionary_entries(table)]
    assert rows[1:] == expected
    assert len(expected) == sum(len(field_names(table)) for table in TABLES)


def test_about_sheet_and_document_properties_name_the_dataset_its_version_and_licences(workbook, built):
    meta = package_metadata()
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    about = dict(list(workbook["about"].iter_rows(min_row=2, values_only=True)))
    assert about["title"] == descriptor["title"] and about["version"] == meta["version"]
    assert "{" not in about["title"] and workbook.properties.title == descriptor["title"]
    assert all(lic["path"] in workbook.properties.description for lic in meta["licenses"])
    assert workbook.properties.created == xlsx.CREATED and workbook.properties.modified == xlsx.CREATED


def test_writing_twice_gives_the_same_bytes(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    xlsx.write(source_tables(), first)
    xlsx.write(source_tables(), second)
    assert (first / xlsx.filename()).read_bytes() == (second / xlsx.filename()).read_bytes()


def test_a_value_xlsxwriter_refuses_fails_with_one_line_naming_the_sheet_row_and_column(tmp_path):
    tables = source_tables()
    frame = tables.recommendations.copy()
    frame.loc[0, "text"] = "x" * 40_000  # over Excel's limit of 32 767 characters in a cell
    column = field_names("recommendations").index("text") + 1
    with pytest.raises(CheckError, match=rf"^recommendations: expected to write string 'x+' in row 2, column {column}"):
        xlsx.write(Tables(frame, tables.meetings, tables.themes, tables.codes), tmp_path)


def test_a_spreadsheet_altered_after_publishing_fails_the_package_check(built, tmp_path):
    from pipeline.publish.check import validate_package

    package = tmp_path / "package"
    shutil.copytree(built, package)
    path = package / xlsx.filename()
    path.write_bytes(path.read_bytes() + b" ")
    with pytest.raises(CheckError, match=rf"^{re.escape(str(path))}: expected \d+ bytes with hash sha256:"):
        validate_package(package)
