"""Words for every code: the labels and definitions of the coded columns of recommendations, from the rules.

One place for them, so that datapackage.json (Table Schema `categories`), the `codes` table in every format, the
browse page, the spreadsheet, the database and the charts say the same. A coded column is one whose values (or list
items) the schema lists as an enum; kind, addressee and modality take their words from rules/labels.csv, themes and
groups from the vocabulary in rules/themes.csv and rules/groups.csv. The build makes the codes table from the loaded
`Rules` (codes_rows); the formats and the release read the words back from that table (`Codes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.rules import LABELLED_FIELDS, Rules
from pipeline.schema import coded_fields

CODES_TABLE = "codes"


@dataclass(frozen=True)
class Code:
    field: str
    code: str
    label: str
    definition: str


def all_codes(rules: Rules) -> list[Code]:
    """Every code of every coded column with its words, in column order, then in the order of its vocabulary."""
    found: dict[str, list[Code]] = {field: [] for field in LABELLED_FIELDS}
    for label in rules.labels:
        found[label.field].append(Code(label.field, label.label, label.short, label.meaning))
    found["themes"] = [Code("themes", t.code, t.name, t.definition) for t in rules.vocabulary.themes]
    found["groups"] = [Code("groups", g.code, g.name, g.definition) for g in rules.vocabulary.groups]
    fields = coded_fields()
    if missing := [field for field in fields if field not in found]:
        raise KeyError(f"expected words for every coded column, found none for {', '.join(missing)}")
    return [code for field in fields for code in found[field]]


def codes_rows(rules: Rules) -> list[dict[str, str]]:
    """The rows of the codes table."""
    return [{"field": c.field, "code": c.code, "label": c.label, "definition": c.definition} for c in all_codes(rules)]


class Codes:
    """The words of the codes, read from rows of the codes table (codes_rows, or the table of a built package)."""

    def __init__(self, rows: Iterable[dict]):
        self.codes = [Code(row["field"], row["code"], row["label"], row["definition"]) for row in rows]

    @classmethod
    def of_rules(cls, rules: Rules) -> Codes:
        return cls(codes_rows(rules))

    def labels(self, field: str) -> dict[str, str]:
        """{code: label} of one coded column."""
        return {code.code: code.label for code in self.codes if code.field == field}

    def definitions(self, field: str) -> dict[str, str]:
        """{code: definition} of one coded column."""
        return {code.code: code.definition for code in self.codes if code.field == field}

    def categories(self, field: str) -> list[dict[str, str]]:
        """The Table Schema `categories` of a coded column: [{"value": code, "label": words}, …]."""
        return [{"value": code, "label": label} for code, label in self.labels(field).items()]

    def label_of(self, field: str, code) -> str:
        """The label of `code` in `field`; failing one, the code with underscores read as spaces, capitalised."""
        found = self.labels(field).get(str(code))
        if found is not None:
            return found
        words = str(code).replace("_", " ")
        return words[:1].upper() + words[1:]
