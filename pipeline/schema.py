"""Table Schemas in schemas/ and what is derived from them: pyarrow schemas, pandas dtypes, docs."""

from __future__ import annotations

import json
from functools import cache

import pyarrow as pa

from pipeline import SCHEMAS_DIR

TABLES = ("recommendations", "meetings")
ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "date": pa.date32()}
PANDAS_DTYPES = {"string": "string", "integer": "int64", "date": "object"}
NULLABLE_PANDAS_DTYPES = {**PANDAS_DTYPES, "integer": "Int64"}


@cache
def table_schema(table: str) -> dict:
    """The Frictionless Table Schema of `table`, as stored in schemas/."""
    return json.loads((SCHEMAS_DIR / f"{table}.schema.json").read_text(encoding="utf-8"))


@cache
def package_metadata() -> dict:
    """Package-level metadata (name, title, version, licences) from schemas/package.json."""
    return json.loads((SCHEMAS_DIR / "package.json").read_text(encoding="utf-8"))


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
                ARROW_TYPES[spec["type"]],
                nullable=not is_required(spec),
                metadata={"description": spec["description"]},
            )
            for spec in table_schema(table)["fields"]
        ],
        metadata={"description": table_schema(table)["description"]},
    )


def pandas_dtypes(table: str) -> dict[str, str]:
    """pandas dtypes for `table`: nullable integers only where the schema allows a missing value."""
    return {
        spec["name"]: (PANDAS_DTYPES if is_required(spec) else NULLABLE_PANDAS_DTYPES)[spec["type"]]
        for spec in table_schema(table)["fields"]
    }


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
        for spec in schema["fields"]:
            description = spec["description"].replace("|", "\\|")
            out.append(
                f"| `{spec['name']}` | {spec['type']} | {'yes' if is_required(spec) else 'no'} "
                f"| {_constraints(spec)} | {description} |"
            )
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _constraints(spec: dict) -> str:
    parts = []
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
