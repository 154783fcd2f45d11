"""The spreadsheet read back with openpyxl and pandas: the same rows and types as the Parquet copy, and a sheet that
describes every column."""

import datetime as dt
import json
import re
import shutil

import openpyxl
import pandas as pd
import pytest

from pipeline.counts import units_sentence
from pipeline.errors import CheckError
from pipeline.publish.formats import xlsx
from pipeline.schema import TABLES, dictionary_entries, field_names, list_fields, package_metadata, table_schema
from pipeline.stages.tabulate import Tables


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
    assert "codes" in workbook.sheetnames


def present_columns(built, table: str) -> list[str]:
    """The schema's columns that have a value in some row: the spreadsheet leaves out a column empty in every row."""
    frame = pd.read_parquet(built / f"{table}.parquet")
    kinds = {spec["name"]: spec["type"] for spec in table_schema(table)["fields"]}
    return [name for name in field_names(table)
            if kinds[name] == "array" or frame[name].notna().any()]


@pytest.mark.parametrize("table", TABLES)
def test_openpyxl_reads_the_parquet_rows_with_their_types(workbook, built, table):
    sheet = workbook[table]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    names = field_names(table)
    assert set(present_columns(built, table)) <= set(rows[0])
    expected = parquet_rows(built, table)
    assert len(rows) - 1 == len(expected) > 0
    for name in present_columns(built, table):
        index, position = rows[0].index(name), names.index(name)
        assert [row[index] for row in rows[1:]] == [row[position] for row in expected], name
    kinds = {spec["name"]: spec["type"] for spec in table_schema(table)["fields"]}
    for column, cell in zip(rows[0], sheet[2]):
        if column not in kinds:
            continue
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
    assert set(present_columns(built, table)) <= set(from_excel.columns)
    for spec in table_schema(table)["fields"]:
        if spec["name"] not in present_columns(built, table):
            continue
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


def test_recommendations_open_text_first_with_labels_and_keep_the_codes_further_right(workbook, built, rules):
    from pipeline.codes import Codes

    labels = Codes.of_rules(rules).labels

    sheet = workbook["recommendations"]
    header = [cell.value for cell in sheet[1]]
    assert header[:10] == ["id", "meeting", "year", "text", "Addressee", "How firmly", "Themes", "Groups of people",
                           "strength", "Kind"]
    assert header.index("seq") > header.index("addressee") and header[-1] in xlsx.PROVENANCE
    assert header.index("full_text") > header.index("sdg_targets")
    recs = pd.read_parquet(built / "recommendations.parquet")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    for label_column, code_column in (("Addressee", "addressee"), ("How firmly", "modality"), ("Kind", "kind")):
        words = labels(code_column)
        assert [row[header.index(label_column)] for row in rows] == [words[c] for c in recs[code_column]]
    theme_words = labels("themes")
    assert [row[header.index("Themes")] for row in rows] == [
        xlsx.LIST_SEPARATOR.join(theme_words[c] for c in codes) or None for codes in recs["themes"]]


def test_a_column_empty_in_every_row_is_left_out(workbook, built):
    recs = pd.read_parquet(built / "recommendations.parquet")
    assert recs["page"].isna().all()  # a text source has no pages
    assert "page" not in [cell.value for cell in workbook["recommendations"][1]]


def test_every_sheet_prints_landscape_on_a4_one_page_wide_with_its_header_on_every_page(workbook):
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, int(setup.paperSize)) == ("landscape", 9), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight == 0, sheet.title
        assert sheet.print_title_rows == "$1:$1", sheet.title
    header = [cell.value for cell in workbook["recommendations"][1]]
    last = openpyxl.utils.get_column_letter(header.index("Groups of people") + 1)
    assert str(workbook["recommendations"].print_area).endswith(f"$A$1:${last}${workbook['recommendations'].max_row}")


def test_rows_are_as_tall_as_their_wrapped_text(workbook):
    sheet = workbook["recommendations"]
    header = [cell.value for cell in sheet[1]]
    text = header.index("text")
    width = widths(sheet)[text + 1]
    for row in range(2, sheet.max_row + 1):
        value = sheet.cell(row, text + 1).value
        lines = xlsx.wrapped_lines(value, width)
        height = sheet.row_dimensions[row].height
        assert (height or xlsx.LINE_HEIGHT) >= lines * xlsx.LINE_HEIGHT, row
    assert max(sheet.row_dimensions[row].height or 0 for row in range(2, sheet.max_row + 1)) >= 3 * xlsx.LINE_HEIGHT


def test_about_sheet_gives_the_source_the_citation_and_the_licences(workbook, built):
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    rows = list(workbook["about"].iter_rows(min_row=2, values_only=True))
    about = dict(rows)
    assert descriptor["sources"][0]["title"] in about["source"]
    assert about["citation"].startswith("Contributors to ") and descriptor["title"] in about["citation"]
    recs = pd.read_parquet(built / "recommendations.parquet")
    assert about["units"].startswith(units_sentence(recs["kind"]) + ".")
    licences = [value for key, value in rows if key == "licence"]
    assert [lic["path"] for lic in descriptor["licenses"]] == [value.rsplit(": ", 1)[1] for value in licences]


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


def test_writing_twice_gives_the_same_bytes(source_build, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    xlsx.write(source_build.tables(), first)
    xlsx.write(source_build.tables(), second)
    assert (first / xlsx.filename()).read_bytes() == (second / xlsx.filename()).read_bytes()


def test_a_value_xlsxwriter_refuses_fails_with_one_line_naming_the_sheet_row_and_column(source_build, tmp_path):
    tables = source_build.tables()
    frame = tables.recommendations.copy()
    frame.loc[0, "text"] = "x" * 40_000  # over Excel's limit of 32 767 characters in a cell
    column = 4  # the text is the fourth column a reader sees
    assert xlsx.READER_FIRST["recommendations"].index("text") + 1 == column
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
