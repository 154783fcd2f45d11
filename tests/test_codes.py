"""Words for every code: the codes table, the `categories` of datapackage.json and the rules/ they come from agree."""

from __future__ import annotations

import json
import shutil

import frictionless
import pandas as pd
import pytest

from pipeline.codes import Codes, all_codes, codes_rows
from pipeline.errors import CheckError
from pipeline.rules import RULES_DIR, load_rules
from pipeline.schema import coded_fields, field_names, table_schema


def schema_codes(field: str) -> list[str]:
    spec = next(spec for spec in table_schema("recommendations")["fields"] if spec["name"] == field)
    holder = spec["arrayItem"] if spec["type"] == "array" else spec
    return holder["constraints"]["enum"]


def test_the_coded_columns_are_those_with_an_enum_and_the_codes_schema_lists_them():
    assert coded_fields() == ["kind", "addressee", "modality", "themes", "groups"]
    codes_field = next(spec for spec in table_schema("codes")["fields"] if spec["name"] == "field")
    assert codes_field["constraints"]["enum"] == coded_fields()


@pytest.mark.parametrize("field", ["kind", "addressee", "modality", "themes", "groups"])
def test_every_code_the_schema_allows_has_one_label_in_the_schema_order(field, rules):
    words = [code for code in all_codes(rules) if code.field == field]
    assert [code.code for code in words] == schema_codes(field)
    assert all(code.label.strip() and code.definition.strip() for code in words)
    assert len({code.label for code in words}) == len(words), "two codes of one column share a label"


def test_labels_come_from_the_rule_tables(rules):
    short = {(label.field, label.label): label.short for label in rules.labels}
    themes = {theme.code: theme.name for theme in rules.vocabulary.themes}
    for code in all_codes(rules):
        expected = themes[code.code] if code.field == "themes" else (
            {g.code: g.name for g in rules.vocabulary.groups}[code.code] if code.field == "groups"
            else short[code.field, code.code])
        assert code.label == expected


def test_an_unknown_code_reads_as_its_words(rules):
    assert Codes.of_rules(rules).label_of("addressee", "states_parties") == "States parties"
    assert Codes.of_rules(rules).label_of("addressee", "some_new_body") == "Some new body"


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_datapackage_labels_every_coded_column_in_every_format(built, fmt, rules):
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["path"] == f"recommendations.{fmt}")
    fields = {spec["name"]: spec for spec in resource["schema"]["fields"]}
    for field in coded_fields():
        assert fields[field]["categories"] == Codes.of_rules(rules).categories(field)
    assert not [name for name, spec in fields.items() if "categories" in spec and name not in coded_fields()]


def test_every_code_in_use_has_a_label_in_datapackage_json(built):
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["path"] == "recommendations.json")
    labelled = {spec["name"]: {c["value"] for c in spec.get("categories", [])} for spec in resource["schema"]["fields"]}
    rows = json.loads((built / "recommendations.json").read_text(encoding="utf-8"))
    for field in coded_fields():
        used = {v for row in rows for v in (row[field] if isinstance(row[field], list) else [row[field]])}
        assert used and used <= labelled[field], field


def test_frictionless_reads_the_categories(built):
    package = frictionless.Package(str(built / "datapackage.json"))
    field = package.get_resource("recommendations").schema.get_field("modality")
    assert field.to_descriptor()["categories"][0] == {"value": "should", "label": "Should"}


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_the_codes_table_is_published_in_every_format_as_rules_say(built, fmt, rules):
    path = built / f"codes.{fmt}"
    if fmt == "csv":
        frame = pd.read_csv(path, dtype=str)
    elif fmt == "json":
        frame = pd.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    else:
        frame = pd.read_parquet(path)
    assert frame.columns.tolist() == field_names("codes")
    assert frame.to_dict("records") == codes_rows(rules)


def test_the_codes_table_is_a_sheet_and_a_database_table(built, rules):
    import sqlite3

    from openpyxl import load_workbook

    sheet = load_workbook(built / "wg-som-recommendations.xlsx", read_only=True)["codes"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(field_names("codes"))
    assert [dict(zip(rows[0], row)) for row in rows[1:]] == codes_rows(rules)
    with sqlite3.connect(built / "wg-som-recommendations.sqlite") as db:
        found = db.execute("SELECT field, code, label, definition FROM codes ORDER BY rowid").fetchall()
    assert [dict(zip(field_names("codes"), row)) for row in found] == codes_rows(rules)


def test_a_label_row_for_a_column_without_labels_is_refused(tmp_path):
    labels = shutil.copytree(RULES_DIR, tmp_path / "rules") / "labels.csv"
    labels.write_text(labels.read_text(encoding="utf-8") + "tone,warm,Warm,,Warm words,\n", encoding="utf-8")
    with pytest.raises(CheckError) as error:
        load_rules(labels.parent)
    assert str(error.value).endswith("expected field kind, addressee, modality, found 'tone'")


def test_a_kind_without_words_is_refused(tmp_path):
    labels = shutil.copytree(RULES_DIR, tmp_path / "rules") / "labels.csv"
    kept = [line for line in labels.read_text(encoding="utf-8").splitlines()
            if not line.startswith("kind,chapeau,")]
    labels.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(CheckError) as error:
        load_rules(labels.parent)
    assert "expected the kind labels to be the schema's enum in its order ['paragraph', 'chapeau', " \
           "'subparagraph'], found ['paragraph', 'subparagraph']" in str(error.value)
