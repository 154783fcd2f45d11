"""The themes vocabulary and lexicon in rules/, read and checked, with the lemmatizer that reads them (classify stage).

The vocabulary (rules/themes.csv, rules/groups.csv) is a closed list of codes; the lexicon (rules/lexicon.csv) says
which lemma sequences give a theme or a group. pymorphy3 turns every word form into its lemmas, so one entry covers
every inflected form. See the README section "Themes, groups of people and SDG targets".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from pipeline.errors import CheckError
from pipeline.morphology import analyzer as morph_analyzer
from pipeline.schema import table_schema
from pipeline.stages.lemmatizer import Lemmatizer, plain
from pipeline.stages.rule_tables import RULES_DIR, read_rule_table

THEMES_CSV = RULES_DIR / "themes.csv"
GROUPS_CSV = RULES_DIR / "groups.csv"
LEXICON_CSV = RULES_DIR / "lexicon.csv"

THEME_COLUMNS = ["code", "name", "name_ru", "definition", "articles", "sdg_targets"]
GROUP_COLUMNS = ["code", "name", "name_ru", "definition"]
LEXICON_COLUMNS = ["field", "code", "match", "covers", "example"]
# What each `field` of lexicon.csv is for; see the README section "Themes, groups of people and SDG targets".
LEXICON_FIELDS = {
    "theme": "a lemma sequence that gives the theme `code`",
    "group": "a lemma sequence that gives the group `code`",
    "addressee": "an addressee label (rules/labels.csv) whose paragraphs get the theme `code`",
}
LIST_SEPARATOR = ";"
ALTERNATIVE = "|"
ARTICLE = re.compile(r"(protocol|convention):[1-9][0-9]*")
SDG_TARGET = re.compile(r"(1[0-7]|[1-9])\.([1-9][0-9]?|[a-z])")
LEMMA = re.compile(r"[0-9a-zа-яе]+")


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

    @cached_property
    def lemmas(self) -> frozenset[str]:
        """Every lemma of the theme and group entries: the only ones a text needs to be searched for."""
        return frozenset(lemma for entry in self.of("theme") + self.of("group")
                         for alternatives in entry.lemmas for lemma in alternatives)

    @cached_property
    def forms(self) -> dict[str, frozenset[str]]:
        """Every inflected form of every lemma of the lexicon (ё read as е) → the lemmas it is a form of.

        pymorphy3 gives the forms of each lemma's paradigms in its dictionaries. A word of those dictionaries is a
        form of a lemma exactly when pymorphy3 reads it as that lemma, so a text is matched through this table, and
        only the words between two matched ones are analysed (to tell function words). A word that is not in the
        dictionaries, which pymorphy3 could only guess at, matches no entry.
        """
        found: dict[str, set[str]] = {}
        for lemma in self.lemmas:
            for reading in morph_analyzer().parse(lemma):
                if plain(reading.normal_form) == lemma:
                    for form in reading.lexeme:
                        found.setdefault(plain(form.word), set()).add(lemma)
        return {form: frozenset(lemmas) for form, lemmas in found.items()}

    @cached_property
    def by_first_lemma(self) -> dict[str, list[Entry]]:
        """The theme and group entries under each lemma that can start them."""
        index: dict[str, list[Entry]] = {}
        for entry in self.of("theme") + self.of("group"):
            for lemma in entry.lemmas[0]:
                index.setdefault(lemma, []).append(entry)
        return index


# Loading


def load_lexicon() -> Lexicon:
    """The vocabulary and lexicon in rules/, checked; CheckError names the file and line of any mistake.

    They are read again when a file changed since the last read (the cache key holds each file's size and time).
    """
    paths = (THEMES_CSV, GROUPS_CSV, LEXICON_CSV)
    return _load_lexicon(*paths, stamps=tuple(_stamp(path) for path in paths))


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = Path(path).stat()
    except FileNotFoundError:
        return None
    return status.st_size, status.st_mtime_ns


@cache
def _load_lexicon(themes_path: Path, groups_path: Path, lexicon_path: Path, stamps: tuple) -> Lexicon:
    vocabulary = Vocabulary(tuple(_read_themes(Path(themes_path))), tuple(_read_groups(Path(groups_path))))
    lexicon = Lexicon(vocabulary, tuple(_read_entries(Path(lexicon_path), vocabulary)))
    lexicon.forms  # the inflected forms of every lemma, made once with the lexicon rather than during a build
    return lexicon


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
    spec = next(f for f in table_schema("recommendations")["fields"] if f["name"] == column)
    return spec["arrayItem"]["constraints"]["enum"]


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
    items = tuple(row[column].split(LIST_SEPARATOR)) if row[column] else ()
    for value in items:
        if not item.fullmatch(value):
            raise CheckError(path, f"expected {column} items like {item.pattern} joined by "
                                   f"{LIST_SEPARATOR!r}, found {value!r}", line)
    return items


def _read_entries(path: Path, vocabulary: Vocabulary) -> list[Entry]:
    seen: dict[tuple, int] = {}
    entries = []
    lemmatizer = Lemmatizer()
    for line, row in read_rule_table(path, LEXICON_COLUMNS):
        entry = _entry(path, line, row, vocabulary, lemmatizer)
        key = (entry.field, entry.code, entry.lemmas)
        if key in seen:
            raise CheckError(path, f"expected each entry once, found the entry of line {seen[key]} again", line)
        seen[key] = line
        entries.append(entry)
    return entries


def _entry(path: Path, line: int, row: dict, vocabulary: Vocabulary, lemmatizer: Lemmatizer) -> Entry:
    field, code = row["field"], row["code"]
    if field not in LEXICON_FIELDS:
        raise CheckError(path, f"expected field to be one of {', '.join(LEXICON_FIELDS)}, found {field!r}", line)
    codes = vocabulary.group_codes if field == "group" else vocabulary.theme_codes
    if code not in codes:
        kind, listing = ("group", GROUPS_CSV.name) if field == "group" else ("theme", THEMES_CSV.name)
        raise CheckError(path, f"expected a {kind} code listed in {listing}, found {code!r}", line)
    if not row["covers"].strip():
        raise CheckError(path, "expected a comment naming the wording the entry covers, found none", line)
    if field == "addressee":
        lemmas = (frozenset({_addressee(path, line, row["match"])}),)
    else:
        lemmas = tuple(_position(path, line, part, lemmatizer) for part in row["match"].split())
    if not lemmas:
        raise CheckError(path, "expected a lemma or a sequence of lemmas, found none", line)
    return Entry(field, code, lemmas, row["covers"], row["example"], line)


def _addressee(path: Path, line: int, label: str) -> str:
    from pipeline.stages.classify import load_rules  # classify imports this module

    labels = load_rules().labels_of("addressee")
    if label not in labels:
        raise CheckError(path, f"expected an addressee label listed in labels.csv, found {label!r}", line)
    return label


def _position(path: Path, line: int, part: str, lemmatizer: Lemmatizer) -> frozenset[str]:
    """One position of a lemma sequence: lemmas separated by "|", each a dictionary form that lemmatizes to itself."""
    alternatives = frozenset(plain(lemma) for lemma in part.split(ALTERNATIVE))
    for lemma in sorted(alternatives):
        if not LEMMA.fullmatch(lemma):
            raise CheckError(path, f"expected lower-case words separated by spaces and |, found {lemma!r}", line)
        if lemma not in (found := lemmatizer.lemmas(lemma)):
            raise CheckError(path, f"expected a lemma (the dictionary form of a word), found {lemma!r}, which "
                                   f"lemmatizes to {' or '.join(sorted(found))}", line)
    return alternatives


def target_order(target: str) -> tuple:
    goal, part = target.split(".")
    return (int(goal), 0, int(part), "") if part.isdigit() else (int(goal), 1, 0, part)
