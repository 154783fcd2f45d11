"""The Table Schemas are the single source of truth: everything derived from them agrees with them."""

import json

import frictionless
import pyarrow.parquet as pq
import pytest

from pipeline import SCHEMAS_DIR
from pipeline.codes import Codes
from pipeline.release.docs import START, document_holding, readme_with_dictionary
from pipeline.schema import TABLES, arrow_schema, field_names, resource_schema, table_schema


@pytest.mark.parametrize("table", TABLES)
def test_schema_file_is_a_valid_frictionless_table_schema(table):
    descriptor = {k: v for k, v in table_schema(table).items() if k not in ("name", "title", "description")}
    schema = frictionless.Schema.from_descriptor(descriptor)
    assert schema.field_names == field_names(table)
    assert all(spec.get("description") for spec in table_schema(table)["fields"])


def test_every_schema_file_is_a_published_table():
    assert sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS_DIR.glob("*.schema.json")) == sorted(TABLES)


@pytest.mark.parametrize("table", TABLES)
def test_parquet_file_schema_is_the_one_generated_from_the_table_schema(built, table):
    written = pq.read_schema(built / f"{table}.parquet")
    expected = arrow_schema(table)
    assert written.remove_metadata() == expected.remove_metadata()
    for field in expected:
        assert written.field(field.name).metadata == field.metadata


@pytest.mark.parametrize("table", TABLES)
def test_datapackage_resources_carry_the_table_schema(built, table, rules):
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    source = table_schema(table)
    categories = Codes.of_rules(rules).categories
    for resource in descriptor["resources"]:
        if resource["name"].split("-")[0] == table:
            assert resource["schema"]["fields"] == resource_schema(table, resource["format"], categories)["fields"]
            assert resource["schema"]["primaryKey"] == source["primaryKey"]
            assert resource["description"] == source["description"]


@pytest.mark.parametrize("table", TABLES)
def test_csv_header_is_the_schema_column_order(built, table):
    header = (built / f"{table}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.split(",") == field_names(table)


def test_data_dictionary_in_the_docs_matches_the_schemas():
    current = document_holding(START).read_text(encoding="utf-8")
    assert readme_with_dictionary(current) == current, "data dictionary is stale: run make docs"
    for table in TABLES:
        for name in field_names(table):
            assert f"| `{name}` |" in current
