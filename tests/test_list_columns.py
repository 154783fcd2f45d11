"""List columns (cites, refers_to) in CSV, JSON and Parquet: what frictionless 5.21 does, and what it rejects.

The first group measures frictionless itself on the built files (the README's table); the second proves that
the package as published rejects a broken list value in each format.
"""

from __future__ import annotations

import copy
import csv
import json
import shutil

import duckdb
import frictionless
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.errors import CheckError
from pipeline.publish.check import check_parquet_schema
from pipeline.schema import arrow_schema, list_fields, resource_schema, table_schema
from pipeline.stages.validate import check_research_columns

SUFFIX = {"csv": "", "json": "-json", "parquet": "-parquet"}


def published_resource(source_build, fmt: str) -> dict:
    """The recommendations resource of `fmt` as published, without its foreign key, size or hash."""
    package = json.loads((source_build.folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "recommendations" + SUFFIX[fmt])
    resource = copy.deepcopy(resource)
    resource["schema"].pop("foreignKeys", None)
    for key in ("bytes", "hash"):
        resource.pop(key, None)
    return resource


def with_cites_field(resource: dict, field: dict) -> dict:
    resource = copy.deepcopy(resource)
    resource["schema"]["fields"] = [
        {"name": "cites", **field} if spec["name"] == "cites" else spec for spec in resource["schema"]["fields"]
    ]
    return resource


def validate(resource: dict, folder) -> list[tuple[str, str | None, int | None]]:
    """(error type, field name, row number) of every error frictionless reports."""
    report = frictionless.Resource(resource, basepath=str(folder)).validate()
    errors = [(e.type, getattr(e, "field_name", None), getattr(e, "row_number", None)) for e in report.errors]
    for task in report.tasks:
        errors += [(e.type, getattr(e, "field_name", None), getattr(e, "row_number", None)) for e in task.errors]
    return errors


def copy_file(source_build, tmp_path, fmt: str):
    name = f"recommendations.{fmt}"
    shutil.copy(source_build.folder / name, tmp_path / name)
    return tmp_path / name


def cites_errors(errors) -> list[tuple[str, str | None, int | None]]:
    return [error for error in errors if error[1] == "cites"]


ROW_1_12 = 13  # frictionless row number (header is row 1) of unit 1.12, which cites protocol:6.3;protocol:6.1


# What frictionless 5.21 does with each typing (measured, not assumed)


def test_frictionless_array_type_rejects_semicolon_joined_items_in_csv(source_build, tmp_path):
    copy_file(source_build, tmp_path, "csv")
    resource = with_cites_field(published_resource(source_build, "csv"), {"type": "array"})
    errors = cites_errors(validate(resource, tmp_path))
    assert ("type-error", "cites", ROW_1_12) in errors


def test_frictionless_list_type_accepts_any_text_in_csv_so_it_cannot_reject_a_broken_list(source_build, tmp_path):
    path = copy_file(source_build, tmp_path, "csv")
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    column = rows[0].index("cites")
    rows[ROW_1_12 - 1][column] = "not a reference, at all"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    resource = with_cites_field(published_resource(source_build, "csv"),
                                {"type": "list", "delimiter": ";", "itemType": "string"})
    assert cites_errors(validate(resource, tmp_path)) == []


def test_frictionless_list_type_splits_a_json_string_instead_of_rejecting_it(source_build, tmp_path):
    path = copy_file(source_build, tmp_path, "json")
    records = json.loads(path.read_text(encoding="utf-8"))
    records[ROW_1_12 - 2]["cites"] = "protocol:6.3;protocol:6.1"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    resource = with_cites_field(published_resource(source_build, "json"),
                                {"type": "list", "delimiter": ";", "itemType": "string"})
    assert cites_errors(validate(resource, tmp_path)) == []


@pytest.mark.parametrize("field", [{"type": "array"}, {"type": "list", "delimiter": ";", "itemType": "string"}],
                         ids=["array", "list"])
def test_frictionless_cannot_read_a_valid_parquet_list_column_as_a_list(source_build, tmp_path, field):
    copy_file(source_build, tmp_path, "parquet")
    errors = cites_errors(validate(with_cites_field(published_resource(source_build, "parquet"), field), tmp_path))
    assert len(errors) == 174 and {error[0] for error in errors} == {"type-error"}


# The package as published


def test_published_package_is_valid_in_all_three_formats(source_build):
    report = frictionless.validate(str(source_build.folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:3]


def test_each_format_declares_the_list_typing_frictionless_can_check(source_build):
    declared = {fmt: next(f for f in published_resource(source_build, fmt)["schema"]["fields"] if f["name"] == "cites")
                for fmt in SUFFIX}
    assert declared["csv"]["type"] == "string" and ";" in declared["csv"]["constraints"]["pattern"]
    assert declared["json"]["type"] == "array" and "pattern" in declared["json"]["arrayItem"]["constraints"]
    assert declared["parquet"]["type"] == "any" and declared["parquet"]["constraints"] == {"required": True}


def test_the_schema_in_schemas_stays_the_single_declaration():
    for fmt in SUFFIX:
        resource_schema("recommendations", fmt)
    cites = next(f for f in table_schema("recommendations")["fields"] if f["name"] == "cites")
    assert cites["type"] == "array" and "arrayItem" in cites


@pytest.mark.parametrize(
    "broken",
    ["protocol:6.3, protocol:6.1", "protocol:6.3;", "protocol 6.3", "protocol:6.3;article 6"],
    ids=["wrong-separator", "empty-item", "malformed-item", "one-bad-item"],
)
def test_frictionless_rejects_a_broken_list_value_in_csv(source_build, tmp_path, broken):
    path = copy_file(source_build, tmp_path, "csv")
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[ROW_1_12 - 1][rows[0].index("cites")] = broken
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    assert validate(published_resource(source_build, "csv"), tmp_path) == [("constraint-error", "cites", ROW_1_12)]


@pytest.mark.parametrize(
    ("broken", "error"),
    [("protocol:6.3;protocol:6.1", "type-error"), (["protocol 6.3"], "constraint-error"), ([6], "type-error"),
     (None, "constraint-error")],
    ids=["string-not-array", "malformed-item", "number-item", "missing"],
)
def test_frictionless_rejects_a_broken_list_value_in_json(source_build, tmp_path, broken, error):
    path = copy_file(source_build, tmp_path, "json")
    records = json.loads(path.read_text(encoding="utf-8"))
    records[ROW_1_12 - 2]["cites"] = broken
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert validate(published_resource(source_build, "json"), tmp_path) == [(error, "cites", ROW_1_12)]


def _rewrite_parquet(path, cites_type: pa.DataType, cites: list, nullable: bool) -> None:
    table = pq.read_table(path)
    index = table.schema.get_field_index("cites")
    field = pa.field("cites", cites_type, nullable=nullable)
    pq.write_table(table.set_column(index, field, pa.array(cites, type=cites_type)), path)


def test_frictionless_rejects_a_missing_list_value_in_parquet(source_build, tmp_path):
    path = copy_file(source_build, tmp_path, "parquet")
    cites = pq.read_table(path).column("cites").to_pylist()
    cites[ROW_1_12 - 2] = None
    _rewrite_parquet(path, pa.list_(pa.string()), cites, nullable=True)
    assert validate(published_resource(source_build, "parquet"), tmp_path) == [("constraint-error", "cites", ROW_1_12)]


def test_a_parquet_list_column_of_the_wrong_type_passes_frictionless_but_not_the_build(source_build, tmp_path):
    path = copy_file(source_build, tmp_path, "parquet")
    as_text = [json.dumps(items) for items in pq.read_table(path).column("cites").to_pylist()]  # never empty
    _rewrite_parquet(path, pa.string(), as_text, nullable=False)
    assert validate(published_resource(source_build, "parquet"), tmp_path) == []
    with pytest.raises(CheckError, match="expected column cites of type list<item: string> not null, found string"):
        check_parquet_schema(path)


def built_with_python_lists(source_build) -> pd.DataFrame:
    """The built recommendations with list cells as Python lists, as the classify stage makes them."""
    frame = source_build.recommendations()
    for name in list_fields("recommendations"):
        frame[name] = [list(items) for items in frame[name]]
    return frame


def test_a_malformed_list_item_is_refused_by_the_build_before_any_format_is_written(source_build):
    frame = built_with_python_lists(source_build)
    frame.at[11, "cites"] = ["protocol 6.3"]
    with pytest.raises(CheckError, match="expected cites of 1.12 to be a list of items matching"):
        check_research_columns(frame)


def test_a_reference_to_a_missing_recommendation_is_refused_by_the_build(source_build):
    frame = built_with_python_lists(source_build)
    frame.at[0, "refers_to"] = ["1.99"]
    with pytest.raises(CheckError, match="expected refers_to of 1.1 to name another recommendation, found 1.99"):
        check_research_columns(frame)


# Readers


def test_parquet_list_columns_load_as_lists_of_strings_in_pandas_polars_and_duckdb(source_build):
    path = source_build.folder / "recommendations.parquet"
    assert pq.read_schema(path).field("cites").type == arrow_schema("recommendations").field("cites").type
    frame = pd.read_parquet(path).set_index("id")
    assert list(frame.loc["1.12", "cites"]) == ["protocol:6.3", "protocol:6.1"]
    assert list(frame.loc["4.12", "refers_to"]) == ["4.11"]
    assert pl.read_parquet(path).schema["cites"] == pl.List(pl.String)
    column_type = duckdb.sql(f"SELECT typeof(cites) FROM '{path}' LIMIT 1").fetchall()[0][0]
    assert column_type == "VARCHAR[]"


def test_csv_joins_items_with_a_semicolon_and_writes_an_empty_list_as_an_empty_cell(source_build):
    folder = source_build.folder
    rows = {row["id"]: row for row in csv.DictReader((folder / "recommendations.csv").open(encoding="utf-8"))}
    assert rows["1.12"]["cites"] == "protocol:6.3;protocol:6.1"
    assert rows["1.1"]["cites"] == ""
    records = {r["id"]: r for r in json.loads((folder / "recommendations.json").read_text(encoding="utf-8"))}
    assert records["1.12"]["cites"] == ["protocol:6.3", "protocol:6.1"] and records["1.1"]["cites"] == []
