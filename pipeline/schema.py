"""Table Schemas in schemas/ and what is derived from them: pyarrow schemas, pandas dtypes, docs."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from functools import cache

import pyarrow as pa

from pipeline import SCHEMAS_DIR
from pipeline.metadata import package_metadata  # noqa: F401  (one home, used through schema too)

TABLES = ("recommendations", "meetings", "themes", "codes")
ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "date": pa.date32()}
PANDAS_DTYPES = {"string": "string", "integer": "int64", "date": "object", "array": "object"}
NULLABLE_PANDAS_DTYPES = {**PANDAS_DTYPES, "integer": "Int64"}
# A field of type "array" holds a list of its `arrayItem` type: a JSON array in JSON, an Arrow list in Parquet,
# and in CSV its items joined by this delimiter (an empty cell is an empty list).
LIST_DELIMITER = ";"


@cache
def table_schema(table: str) -> dict:
    """The Frictionless Table Schema of `table`, as stored in schemas/."""
    return json.loads((SCHEMAS_DIR / f"{table}.schema.json").read_text(encoding="utf-8"))


@cache
def coded_fields() -> list[str]:
    """The columns of recommendations whose values, or list items, the schema lists as an enum, in schema order."""
    out = []
    for spec in table_schema("recommendations")["fields"]:
        holder = spec.get("arrayItem", {}) if spec["type"] == "array" else spec
        if "enum" in holder.get("constraints", {}):
            out.append(spec["name"])
    return out


def field_spec(table: str, name: str) -> dict:
    """The Table Schema field `name` of `table`."""
    found = [spec for spec in table_schema(table)["fields"] if spec["name"] == name]
    if not found:
        raise KeyError(f"expected a field {name!r} in the schema of {table}, found {', '.join(field_names(table))}")
    return found[0]


def field_names(table: str) -> list[str]:
    return [f["name"] for f in table_schema(table)["fields"]]


def is_required(spec: dict) -> bool:
    return bool(spec.get("constraints", {}).get("required"))


def arrow_schema(table: str) -> pa.Schema:
    """The pyarrow schema of `table`: types from the Table Schema, descriptions as field metadata."""
    return pa.schema(
        [
            pa.field(
                spec["name"],
                arrow_type(spec),
                nullable=not is_required(spec),
                metadata={"description": spec["description"]},
            )
            for spec in table_schema(table)["fields"]
        ],
        metadata={"description": table_schema(table)["description"]},
    )


def arrow_type(spec: dict) -> pa.DataType:
    """The Arrow type of a Table Schema field; an array is a list of its item type."""
    if spec["type"] == "array":
        return pa.list_(ARROW_TYPES[spec["arrayItem"]["type"]])
    return ARROW_TYPES[spec["type"]]


def pandas_dtypes(table: str) -> dict[str, str]:
    """pandas dtypes for `table`: nullable integers only where the schema allows a missing value."""
    return {
        spec["name"]: (PANDAS_DTYPES if is_required(spec) else NULLABLE_PANDAS_DTYPES)[spec["type"]]
        for spec in table_schema(table)["fields"]
    }


def list_fields(table: str) -> list[str]:
    return [spec["name"] for spec in table_schema(table)["fields"] if spec["type"] == "array"]


def item_pattern(spec: dict) -> str:
    """The regular expression every item of the list field `spec` matches: its pattern, or its enum's values."""
    constraints = spec["arrayItem"]["constraints"]
    if "pattern" in constraints:
        return constraints["pattern"]
    return "(" + "|".join(re.escape(value) for value in constraints["enum"]) + ")"


def resource_schema(table: str, fmt: str, categories: Callable[[str], list[dict]] | None = None) -> dict:
    """The Table Schema of `table` as declared for its copy in format `fmt` in datapackage.json.

    It is the schema in schemas/ except for list fields (type "array"), which frictionless 5.21 reads
    differently in each format (measured in tests/test_list_columns.py):
    - JSON: a JSON array validates as "array", and each item is checked against `arrayItem`. Kept as is.
    - CSV: "array" expects every cell to hold JSON text, so ";"-joined items fail; "list" with delimiter ";"
      reads them but can constrain neither the items nor the separators, so it accepts any text. The CSV copy
      declares a string whose pattern is the item pattern repeated with the delimiter, so frictionless checks
      every item and separator (an item enum becomes the pattern of its values joined by "|"); it is not
      required because an empty list is an empty cell, read as missing.
    - Parquet: frictionless reads Parquet through pandas, which hands over each list cell as a numpy array,
      and neither "array" nor "list" accepts one: every row fails. The Parquet copy declares "any", which
      still rejects a missing value; validate_package checks the column's Arrow type, list<string>, itself.

    Every coded column (an enum of values or of list items) also carries its words as Table Schema `categories`,
    [{"value": code, "label": words}], given by `categories(column)` (pipeline.codes.Codes.categories); for a list
    column they are the words of its items. Without `categories`, the schema has none. Frictionless 5.21 keeps them in the schema and does not check values against them (the enum does).
    """
    schema = copy.deepcopy(table_schema(table))
    coded = coded_fields() if table == "recommendations" and categories is not None else []
    for spec in schema["fields"]:
        if spec["name"] in coded:
            spec["categories"] = categories(spec["name"])
        if spec["type"] != "array":
            continue
        pattern = item_pattern(spec)
        item = spec.pop("arrayItem")
        if fmt == "csv":
            spec["type"] = "string"
            spec["constraints"] = {"pattern": f"({pattern})({re.escape(LIST_DELIMITER)}({pattern}))*"}
        elif fmt == "parquet":
            spec["type"] = "any"
            spec["constraints"] = {key: value for key, value in spec["constraints"].items() if key == "required"}
        else:
            spec["arrayItem"] = item
    return schema


def data_dictionary() -> str:
    """Markdown data dictionary of every table, for the README."""
    out = []
    for table in TABLES:
        schema = table_schema(table)
        out.append(f"### `{table}`\n\n{schema['description']}\n")
        keys = [f"primary key `{', '.join(schema['primaryKey'])}`"]
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            keys.append(f"foreign key `{', '.join(fk['fields'])}` → `{ref['resource']}.{', '.join(ref['fields'])}`")
        out.append("Keys: " + "; ".join(keys) + ".\n")
        out.append("| column | type | required | constraints | description |")
        out.append("|---|---|---|---|---|")
        for entry in dictionary_entries(table):
            cells = [f"`{entry['column']}`"] + [entry[key].replace("|", "\\|") for key in DICTIONARY_COLUMNS[1:]]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


DICTIONARY_COLUMNS = ("column", "type", "required", "constraints", "description")


def dictionary_entries(table: str) -> list[dict[str, str]]:
    """Each column of `table` as the data dictionary describes it, keyed by DICTIONARY_COLUMNS."""
    return [
        {
            "column": spec["name"],
            "type": f"array of {spec['arrayItem']['type']}" if spec["type"] == "array" else spec["type"],
            "required": "yes" if is_required(spec) else "no",
            "constraints": _constraints(spec),
            "description": spec["description"],
        }
        for spec in table_schema(table)["fields"]
    ]


def _constraints(spec: dict) -> str:
    parts = []
    if "arrayItem" in spec:
        parts += [f"items: {part}" for part in _constraints(spec["arrayItem"]).split("; ") if part != "—"]
    for key, value in spec.get("constraints", {}).items():
        if key == "required":
            continue
        if key == "enum":
            parts.append("one of " + ", ".join(f"`{v}`" for v in value))
        elif key == "pattern":
            parts.append(f"pattern `{value}`")
        elif value is True:
            parts.append(key)
        else:
            parts.append(f"{key} {value}")
    return "; ".join(parts) or "—"
