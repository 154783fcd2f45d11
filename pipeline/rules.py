"""The rules in rules/, read and checked: the classification rules and their labels, the themes vocabulary and the
lexicon. Loading and checking only; the stages receive the loaded `Rules` (see pipeline/build.py).

- rules/rules.csv: regular expressions that read a unit's addressee, modality, citations and cross-references;
- rules/labels.csv: the words for the codes of kind, addressee and modality (the schema's enums, in their order);
- rules/themes.csv, rules/groups.csv: the closed lists of theme and group codes, with their words and crosswalk;
- rules/lexicon.csv: the lemma sequences that give a theme or a group. pymorphy3 turns every word form into its
  lemmas, so one entry covers every inflected form. See the README section "Themes, groups of people and SDG targets".

Every mistake is a CheckError naming the file and line.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline import RULES_DIR
from pipeline.errors import CheckError
from pipeline.morphology import dictionary_forms, plain
from pipeline.schema import LIST_DELIMITER, field_spec

RULES_FILE = "rules.csv"
LABELS_FILE = "labels.csv"
THEMES_FILE = "themes.csv"
GROUPS_FILE = "groups.csv"
LEXICON_FILE = "lexicon.csv"
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
FLAGS = re.IGNORECASE

THEME_COLUMNS = ["code", "name", "name_ru", "definition", "articles", "sdg_targets"]
GROUP_COLUMNS = ["code", "name", "name_ru", "definition"]
LEXICON_COLUMNS = ["field", "code", "match", "covers", "example"]
# What each `field` of lexicon.csv is for; see the README section "Themes, groups of people and SDG targets".
LEXICON_FIELDS = {
    "theme": "a lemma sequence that gives the theme `code`",
    "group": "a lemma sequence that gives the group `code`",
    "addressee": "an addressee label (rules/labels.csv) whose paragraphs get the theme `code`",
}
ALTERNATIVE = "|"
ARTICLE = re.compile(r"(protocol|convention):[1-9][0-9]*")
SDG_TARGET = re.compile(r"(1[0-7]|[1-9])\.([1-9][0-9]?|[a-z])")
LEMMA = re.compile(r"[0-9a-zа-яе]+")


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
class Theme:
    code: str
    name: str
    name_ru: str
    definition: str
    articles: tuple[str, ...]
    sdg_targets: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    name_ru: str
    definition: str


@dataclass(frozen=True)
class Vocabulary:
    themes: tuple[Theme, ...]
    groups: tuple[Group, ...]

    @property
    def theme_codes(self) -> list[str]:
        return [theme.code for theme in self.themes]

    @property
    def group_codes(self) -> list[str]:
        return [group.code for group in self.groups]

    def themes_citing(self, article: str) -> list[str]:
        return [theme.code for theme in self.themes if article in theme.articles]

    def sdg_targets(self, codes: list[str]) -> list[str]:
        """The union of the SDG targets of the themes `codes`, ordered by goal and target."""
        targets = {target for theme in self.themes if theme.code in codes for target in theme.sdg_targets}
        return sorted(targets, key=target_order)


@dataclass(frozen=True)
class Entry:
    field: str
    code: str
    lemmas: tuple[frozenset[str], ...]  # one set of alternative lemmas per position
    covers: str
    example: str
    line: int


@dataclass(frozen=True)
class Lexicon:
    vocabulary: Vocabulary
    entries: tuple[Entry, ...]

    def of(self, field: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.field == field]


@dataclass(frozen=True)
class Rules:
    """Everything in a rules folder, checked: what the classify stage reads and what the codes are called."""

    folder: Path
    rules: tuple[Rule, ...]
    labels: tuple[Label, ...]
    lexicon: Lexicon

    @property
    def vocabulary(self) -> Vocabulary:
        return self.lexicon.vocabulary

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


# Loading


def load_rules(rules_dir: Path = RULES_DIR) -> Rules:
    """Read and check the five tables of `rules_dir`; raise CheckError naming the file and line of any mistake."""
    folder = Path(rules_dir)
    labels = tuple(_read_labels(folder / LABELS_FILE))
    rules = tuple(_read_rules(folder / RULES_FILE, labels))
    vocabulary = Vocabulary(tuple(_read_themes(folder / THEMES_FILE)), tuple(_read_groups(folder / GROUPS_FILE)))
    addressees = [label.label for label in labels if label.field == "addressee"]
    lexicon = Lexicon(vocabulary, tuple(_read_entries(folder / LEXICON_FILE, vocabulary, addressees)))
    return Rules(folder, rules, labels, lexicon)


def read_rule_table(path: Path, columns: list[str]) -> list[tuple[int, dict]]:
    """(line number, row) of every row of the CSV file `path`, whose header must be `columns`."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != columns:
            found = ",".join(reader.fieldnames or [])
            raise CheckError(path, f"expected the columns {','.join(columns)}, found {found}", 1)
        return [(reader.line_num, row) for row in reader]


def _read_labels(path: Path) -> list[Label]:
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
        enum = field_spec("recommendations", field)["constraints"]["enum"]
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
            raise CheckError(path, f"expected a {field} label listed in {LABELS_FILE}, found {label!r}", line)
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


def _read_themes(path: Path) -> list[Theme]:
    rows = read_rule_table(path, THEME_COLUMNS)
    _check_codes(path, rows, _schema_enum("themes"), "theme")
    return [Theme(row["code"], _text(path, line, row, "name"), _text(path, line, row, "name_ru"),
                  _text(path, line, row, "definition"), _list(path, line, row, "articles", ARTICLE),
                  _list(path, line, row, "sdg_targets", SDG_TARGET)) for line, row in rows]


def _read_groups(path: Path) -> list[Group]:
    rows = read_rule_table(path, GROUP_COLUMNS)
    _check_codes(path, rows, _schema_enum("groups"), "group")
    return [Group(row["code"], _text(path, line, row, "name"), _text(path, line, row, "name_ru"),
                  _text(path, line, row, "definition")) for line, row in rows]


def _schema_enum(column: str) -> list[str]:
    return field_spec("recommendations", column)["arrayItem"]["constraints"]["enum"]


def _check_codes(path: Path, rows: list[tuple[int, dict]], enum: list[str], kind: str) -> None:
    """Every code is one of the schema's, listed once, and together they are the schema's list in its order."""
    first_line: dict[str, int] = {}
    for line, row in rows:
        code = row["code"]
        if code not in enum:
            raise CheckError(path, f"expected a {kind} code of the schema ({', '.join(enum)}), found {code!r}", line)
        if code in first_line:
            raise CheckError(path, f"expected each {kind} once, found {code!r} again (first on line "
                                   f"{first_line[code]})", line)
        first_line[code] = line
    if list(first_line) != enum:
        raise CheckError(path, f"expected the {kind} codes of the schema in its order {enum}, found {list(first_line)}")


def _text(path: Path, line: int, row: dict, column: str) -> str:
    if not row[column].strip():
        raise CheckError(path, f"expected a {column}, found none", line)
    return row[column]


def _list(path: Path, line: int, row: dict, column: str, item: re.Pattern) -> tuple[str, ...]:
    items = tuple(row[column].split(LIST_DELIMITER)) if row[column] else ()
    for value in items:
        if not item.fullmatch(value):
            raise CheckError(path, f"expected {column} items like {item.pattern} joined by "
                                   f"{LIST_DELIMITER!r}, found {value!r}", line)
    return items


def _read_entries(path: Path, vocabulary: Vocabulary, addressees: list[str]) -> list[Entry]:
    seen: dict[tuple, int] = {}
    entries = []
    for line, row in read_rule_table(path, LEXICON_COLUMNS):
        entry = _entry(path, line, row, vocabulary, addressees)
        key = (entry.field, entry.code, entry.lemmas)
        if key in seen:
            raise CheckError(path, f"expected each entry once, found the entry of line {seen[key]} again", line)
        seen[key] = line
        entries.append(entry)
    return entries


def _entry(path: Path, line: int, row: dict, vocabulary: Vocabulary, addressees: list[str]) -> Entry:
    field, code = row["field"], row["code"]
    if field not in LEXICON_FIELDS:
        raise CheckError(path, f"expected field to be one of {', '.join(LEXICON_FIELDS)}, found {field!r}", line)
    codes = vocabulary.group_codes if field == "group" else vocabulary.theme_codes
    if code not in codes:
        kind, listing = ("group", GROUPS_FILE) if field == "group" else ("theme", THEMES_FILE)
        raise CheckError(path, f"expected a {kind} code listed in {listing}, found {code!r}", line)
    if not row["covers"].strip():
        raise CheckError(path, "expected a comment naming the wording the entry covers, found none", line)
    if field == "addressee":
        lemmas = (frozenset({_addressee(path, line, row["match"], addressees)}),)
    else:
        lemmas = tuple(_position(path, line, part) for part in row["match"].split())
    if not lemmas:
        raise CheckError(path, "expected a lemma or a sequence of lemmas, found none", line)
    return Entry(field, code, lemmas, row["covers"], row["example"], line)


def _addressee(path: Path, line: int, label: str, addressees: list[str]) -> str:
    if label not in addressees:
        raise CheckError(path, f"expected an addressee label listed in {LABELS_FILE}, found {label!r}", line)
    return label


def _position(path: Path, line: int, part: str) -> frozenset[str]:
    """One position of a lemma sequence: lemmas separated by "|", each a dictionary form that lemmatizes to itself."""
    alternatives = frozenset(plain(lemma) for lemma in part.split(ALTERNATIVE))
    for lemma in sorted(alternatives):
        if not LEMMA.fullmatch(lemma):
            raise CheckError(path, f"expected lower-case words separated by spaces and |, found {lemma!r}", line)
        if lemma not in (found := dictionary_forms(lemma)):
            raise CheckError(path, f"expected a lemma (the dictionary form of a word), found {lemma!r}, which "
                                   f"lemmatizes to {' or '.join(sorted(found))}", line)
    return alternatives


def target_order(target: str) -> tuple:
    goal, part = target.split(".")
    return (int(goal), 0, int(part), "") if part.isdigit() else (int(goal), 1, 0, part)
