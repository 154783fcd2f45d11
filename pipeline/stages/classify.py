"""Classify stage: read each unit's addressee, modality, strength, citations and cross-references from its text."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from pipeline.errors import CheckError
from pipeline.schema import field_names, pandas_dtypes, table_schema
from pipeline.stages.headings import ROMAN, roman_to_int
from pipeline.stages.rule_tables import RULES_DIR, read_rule_table
from pipeline.stages.tabulate import Tables
from pipeline.stages.themes import classify_themes, themes_summary, units_without_theme

RULES_CSV = RULES_DIR / "rules.csv"
LABELS_CSV = RULES_DIR / "labels.csv"
UNCLASSIFIED = "unclassified"

RULE_COLUMNS = ["field", "label", "pattern", "example", "covers"]
LABEL_COLUMNS = ["field", "label", "short", "strength", "meaning", "example"]
SHORT_LABEL_LENGTH = 40  # a short label names a filter button on the browse page, so it must fit a phone's width
# What each `field` of rules.csv is for; see the README section "Research columns".
RULE_FIELDS = {
    "macro": "a named piece of pattern, written {NAME} inside other patterns",
    "addressee": "who is asked to act",
    "modality": "how the request is worded",
    "instrument": "an instrument whose provisions are cited (a bare mention is not a citation)",
    "cites": "an instrument cited as a whole whenever it is named",
    "provision": "an article, paragraph or chapter; the label is a template filled from the pattern's named groups",
    "default_instrument": "the instrument of a provision when none is named after it or earlier in its sentence",
    "refers_to": "a reference to another recommendation; the label is a template",
}
CLASSIFIED_FIELDS = ("addressee", "modality")
# The fields whose codes rules/labels.csv puts in words: those the rules classify, and the kind of unit.
LABELLED_FIELDS = ("kind", *CLASSIFIED_FIELDS)
MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
TEMPLATE = re.compile(r"\{([a-z_]+)\}")
PROVISION_JOINER = re.compile(r"\s*(?:,|\bи\b)\s*", re.IGNORECASE)
SENTENCE_BREAK = re.compile(r"[.;]")
FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class Rule:
    field: str
    label: str
    pattern: re.Pattern | None
    example: str
    covers: str
    line: int


@dataclass(frozen=True)
class Label:
    field: str
    label: str
    short: str  # a few human words for the code, as the browse page shows it
    strength: int | None
    meaning: str
    example: str


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    labels: tuple[Label, ...]

    def of(self, field: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.field == field]

    def labels_of(self, field: str) -> list[str]:
        return [label.label for label in self.labels if label.field == field]

    def strength(self, modality: str) -> int | None:
        return next(label.strength for label in self.labels if label.field == "modality" and label.label == modality)

    @property
    def default_instrument(self) -> str | None:
        rules = self.of("default_instrument")
        return rules[0].label if rules else None


@dataclass(frozen=True)
class Hit:
    """Where a rule matched a text."""

    start: int
    end: int
    rule: Rule
    match: re.Match


# Loading


@cache
def load_rules(rules_path: Path = RULES_CSV, labels_path: Path = LABELS_CSV) -> RuleSet:
    """Read and check the rule table and the label table; raise CheckError naming the line of any mistake."""
    labels = tuple(_read_labels(Path(labels_path)))
    rules = tuple(_read_rules(Path(rules_path), labels))
    return RuleSet(rules, labels)


def _read_labels(path: Path) -> list[Label]:
    schema = {spec["name"]: spec for spec in table_schema("recommendations")["fields"]}
    labels = []
    for line, row in read_rule_table(path, LABEL_COLUMNS):
        if row["field"] not in LABELLED_FIELDS:
            raise CheckError(path, f"expected field {', '.join(LABELLED_FIELDS)}, found {row['field']!r}", line)
        strength = None
        if row["strength"]:
            if row["field"] != "modality" or not row["strength"].isdigit() or not 1 <= int(row["strength"]) <= 5:
                found = row["strength"]
                raise CheckError(path, f"expected a strength from 1 to 5 for a modality, found {found!r}", line)
            strength = int(row["strength"])
        elif row["field"] == "modality" and row["label"] != UNCLASSIFIED:
            raise CheckError(path, f"expected a strength from 1 to 5 for modality {row['label']}, found none", line)
        if not 0 < len(row["short"].strip()) <= SHORT_LABEL_LENGTH:
            raise CheckError(path, f"expected a short label of 1 to {SHORT_LABEL_LENGTH} characters for "
                                   f"{row['label']}, found {row['short']!r}", line)
        labels.append(Label(row["field"], row["label"], row["short"], strength, row["meaning"], row["example"]))
    for field in LABELLED_FIELDS:
        listed = [label.label for label in labels if label.field == field]
        enum = schema[field]["constraints"]["enum"]
        if listed != enum:
            raise CheckError(path, f"expected the {field} labels to be the schema's enum in its order {enum}, "
                                   f"found {listed}")
    return labels


def _read_rules(path: Path, labels: tuple[Label, ...]) -> list[Rule]:
    rows = read_rule_table(path, RULE_COLUMNS)
    macros = {row["label"]: row["pattern"] for _, row in rows if row["field"] == "macro"}
    known = {(label.field, label.label) for label in labels}
    rules = []
    for line, row in rows:
        field, label = row["field"], row["label"]
        if field not in RULE_FIELDS:
            raise CheckError(path, f"expected field to be one of {', '.join(RULE_FIELDS)}, found {field!r}", line)
        if field in CLASSIFIED_FIELDS and ((field, label) not in known or label == UNCLASSIFIED):
            raise CheckError(path, f"expected a {field} label listed in {LABELS_CSV.name}, found {label!r}", line)
        if not row["covers"].strip():
            raise CheckError(path, "expected a comment naming the source wording the rule covers, found none", line)
        pattern = None
        if field == "macro":
            _expand(row["pattern"], macros, path, line)
        elif field != "default_instrument":
            try:
                pattern = re.compile(_expand(row["pattern"], macros, path, line), FLAGS)
            except re.error as exc:
                raise CheckError(path, f"expected a valid regular expression, found {exc}", line) from exc
        rules.append(Rule(field, label, pattern, row["example"], row["covers"], line))
    return rules


def _expand(pattern: str, macros: dict[str, str], path: Path, line: int) -> str:
    for _ in range(10):
        names = MACRO.findall(pattern)
        if not names:
            return pattern
        for name in names:
            if name not in macros:
                raise CheckError(path, f"expected a macro named {name} defined in the table, found none", line)
        pattern = MACRO.sub(lambda m: macros[m[1]], pattern)
    raise CheckError(path, "expected macros to expand in at most 10 steps; is one defined in terms of itself?", line)


# Reading one text


def first_hit(rules: list[Rule], text: str) -> Hit | None:
    """The rule that matches earliest in `text`; of rules matching at the same place, the first in the table."""
    best = None
    for rule in rules:
        match = rule.pattern.search(text)
        if match and (best is None or match.start() < best.start):
            best = Hit(match.start(), match.end(), rule, match)
    return best


def read_label(field: str, text: str, ruleset: RuleSet) -> str:
    hit = first_hit(ruleset.of(field), text)
    return hit.rule.label if hit else UNCLASSIFIED


def read_cites(text: str, ruleset: RuleSet) -> list[str]:
    """Normalised references to the provisions and instruments `text` names, in order of first mention."""
    instruments = _all_hits(ruleset.of("instrument") + ruleset.of("cites"), text)
    found: list[tuple[int, str]] = [(hit.start, hit.rule.label) for hit in instruments if hit.rule.field == "cites"]
    provisions = _non_overlapping(_all_hits(ruleset.of("provision"), text))
    for chain in _chains(provisions, text):
        after = _instrument_after(chain[-1].end, instruments, text)
        for hit in chain:
            instrument = after or _instrument_before(hit.start, instruments, text) or ruleset.default_instrument
            found.extend((hit.start, ref) for ref in _fill(hit, {"instrument": instrument}))
    return _unique(ref for _, ref in sorted(found, key=lambda item: item[0]))


def read_refers_to(text: str, meeting: int, ruleset: RuleSet) -> list[str]:
    """Ids of the recommendations `text` refers to, in order of first mention."""
    hits = _all_hits(ruleset.of("refers_to"), text)
    return _unique(ref for hit in hits for ref in _fill(hit, {"meeting": str(meeting)}))


def _all_hits(rules: list[Rule], text: str) -> list[Hit]:
    hits = [Hit(m.start(), m.end(), rule, m) for rule in rules for m in rule.pattern.finditer(text)]
    return sorted(hits, key=lambda hit: (hit.start, -hit.end))


def _non_overlapping(hits: list[Hit]) -> list[Hit]:
    """Keep the earliest, then longest, of overlapping matches ("пункте 3 статьи 6" over "статьи 6")."""
    kept: list[Hit] = []
    for hit in hits:
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def _chains(provisions: list[Hit], text: str) -> list[list[Hit]]:
    """Group provisions joined only by "и" or a comma ("статьи 5 и пункта 4 статьи 6 Протокола")."""
    chains: list[list[Hit]] = []
    for hit in provisions:
        if chains and PROVISION_JOINER.fullmatch(text[chains[-1][-1].end:hit.start]):
            chains[-1].append(hit)
        else:
            chains.append([hit])
    return chains


def _instrument_after(end: int, instruments: list[Hit], text: str) -> str | None:
    gap = len(text[end:]) - len(text[end:].lstrip())
    return next((hit.rule.label for hit in instruments if hit.start == end + gap), None)


def _instrument_before(start: int, instruments: list[Hit], text: str) -> str | None:
    before = [hit for hit in instruments if hit.end <= start and not SENTENCE_BREAK.search(text, hit.end, start)]
    return before[-1].rule.label if before else None


def _fill(hit: Hit, values: dict[str, str]) -> list[str]:
    """Fill the rule's label template; a group holding several numbers ("32 и 37") gives one reference each."""
    groups = {name: value for name, value in hit.match.groupdict().items() if value is not None}
    options = {name: [_arabic(number) for number in re.findall(r"[0-9]+|[IVXLC]+", value, re.IGNORECASE)]
               for name, value in groups.items()}
    results = [hit.rule.label]
    for name, numbers in options.items():
        results = [result.replace("{" + name + "}", number) for result in results for number in numbers]
    results = [TEMPLATE.sub(lambda m: values.get(m[1]) or m[0], result) for result in results]
    return [result for result in results if not TEMPLATE.search(result)]


def _arabic(number: str) -> str:
    return str(roman_to_int(number.upper())) if ROMAN.match(number.upper()) and not number.isdigit() else number


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


# The stage


def classify(tables: Tables) -> Tables:
    """Classify stage: fill the research columns of every unit and the themes table from the rules in rules/."""
    ruleset = load_rules()
    frame = tables.recommendations
    addressees: dict[str, str] = {}
    columns: dict[str, list] = {"addressee": [], "modality": [], "strength": [], "cites": [], "refers_to": []}
    for row in frame[["id", "meeting", "number", "kind", "text", "full_text"]].to_dict("records"):
        if row["kind"] == "subparagraph":
            addressee = addressees[f"{row['meeting']}.{row['number']}"]  # the chapeau names the addressee
        else:
            addressee = addressees[row["id"]] = read_label("addressee", row["full_text"], ruleset)
        modality = read_label("modality", row["full_text"], ruleset)
        columns["addressee"].append(addressee)
        columns["modality"].append(modality)
        columns["strength"].append(ruleset.strength(modality))
        columns["cites"].append(read_cites(row["text"], ruleset))
        columns["refers_to"].append(read_refers_to(row["text"], row["meeting"], ruleset))
    classified = frame.assign(
        addressee=pd.array(columns["addressee"], dtype="string"),
        modality=pd.array(columns["modality"], dtype="string"),
        strength=pd.array(columns["strength"], dtype="Int64"),
        cites=pd.Series(columns["cites"], index=frame.index, dtype=object),
        refers_to=pd.Series(columns["refers_to"], index=frame.index, dtype=object),
    )
    classified, themes = classify_themes(classified)
    _warn_unclassified(classified)
    return Tables(classified, tables.meetings, themes, codes_table())


def codes_table() -> pd.DataFrame:
    """The codes table: every code of every coded column of recommendations, with its label and definition."""
    from pipeline.codes import codes_rows

    return pd.DataFrame(codes_rows(), columns=field_names("codes")).astype(pandas_dtypes("codes"))


def unclassified_ids(frame: pd.DataFrame, field: str) -> list[str]:
    return frame.loc[frame[field] == UNCLASSIFIED, "id"].tolist()


def summary(tables: Tables) -> str:
    """One line for the build log: rows classified, how many no rule covers, how many cite or refer."""
    frame = tables.recommendations
    unclassified = ", ".join(f"{len(unclassified_ids(frame, field))} without {field}" for field in CLASSIFIED_FIELDS)
    citing = int(frame["cites"].map(len).gt(0).sum())
    referring = int(frame["refers_to"].map(len).gt(0).sum())
    return (f"{len(frame)} units, {unclassified}; {citing} with citations, "
            f"{referring} with references to other recommendations; {themes_summary(tables)}")


def _warn_unclassified(frame: pd.DataFrame) -> None:
    for field in CLASSIFIED_FIELDS:
        if ids := unclassified_ids(frame, field):
            print(f"warning: {len(ids)} units match no {field} rule in {RULES_CSV.name}: {', '.join(ids)}",
                  file=sys.stderr)
    if ids := units_without_theme(frame):
        print(f"warning: {len(ids)} units have no theme: {', '.join(ids)}", file=sys.stderr)
