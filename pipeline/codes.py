"""Words for every code: the labels and definitions of the coded columns of recommendations, from rules/.

One place for them, so that datapackage.json (Table Schema `categories`), the `codes` table in every format, the
browse page, the spreadsheet, the database and the charts say the same. A coded column is one whose values (or list
items) the schema lists as an enum; kind, addressee and modality take their words from rules/labels.csv, themes and
groups from the vocabulary in rules/themes.csv and rules/groups.csv.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.schema import table_schema

CODES_TABLE = "codes"


@dataclass(frozen=True)
class Code:
    field: str
    code: str
    label: str
    definition: str


def coded_fields() -> list[str]:
    """The columns of recommendations whose values, or list items, the schema lists as an enum, in schema order."""
    out = []
    for spec in table_schema("recommendations")["fields"]:
        holder = spec.get("arrayItem", {}) if spec["type"] == "array" else spec
        if "enum" in holder.get("constraints", {}):
            out.append(spec["name"])
    return out


def all_codes() -> list[Code]:
    """Every code of every coded column with its words, in column order, then in the order of its vocabulary."""
    from pipeline.stages.classify import LABELLED_FIELDS, load_rules
    from pipeline.stages.lexicon import load_lexicon

    vocabulary = load_lexicon().vocabulary
    found: dict[str, list[Code]] = {field: [] for field in LABELLED_FIELDS}
    for label in load_rules().labels:
        found[label.field].append(Code(label.field, label.label, label.short, label.meaning))
    found["themes"] = [Code("themes", t.code, t.name, t.definition) for t in vocabulary.themes]
    found["groups"] = [Code("groups", g.code, g.name, g.definition) for g in vocabulary.groups]
    fields = coded_fields()
    if missing := [field for field in fields if field not in found]:
        raise KeyError(f"expected words for every coded column, found none for {', '.join(missing)}")
    return [code for field in fields for code in found[field]]


def labels(field: str) -> dict[str, str]:
    """{code: label} of one coded column."""
    return {code.code: code.label for code in all_codes() if code.field == field}


def definitions(field: str) -> dict[str, str]:
    """{code: definition} of one coded column."""
    return {code.code: code.definition for code in all_codes() if code.field == field}


def categories(field: str) -> list[dict[str, str]]:
    """The Table Schema `categories` of a coded column: [{"value": code, "label": words}, …]."""
    return [{"value": code, "label": label} for code, label in labels(field).items()]


def label_of(field: str, code) -> str:
    """The label of `code` in `field`; failing one, the code with underscores read as spaces, capitalised."""
    found = labels(field).get(str(code))
    if found is not None:
        return found
    words = str(code).replace("_", " ")
    return words[:1].upper() + words[1:]


def codes_rows() -> list[dict[str, str]]:
    """The rows of the codes table."""
    return [{"field": c.field, "code": c.code, "label": c.label, "definition": c.definition} for c in all_codes()]
