"""Classify stage: read each unit's addressee, modality, strength, citations and cross-references from its text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipeline.codes import codes_rows
from pipeline.numerals import ROMAN, roman_to_int
from pipeline.rules import CLASSIFIED_FIELDS, RULES_FILE, UNCLASSIFIED, Rule, Rules
from pipeline.schema import field_names, pandas_dtypes
from pipeline.stages.tabulate import Tables, paragraph_id
from pipeline.stages.themes.matching import classify_themes, themes_summary, units_without_theme

TEMPLATE = re.compile(r"\{([a-z_]+)\}")
PROVISION_JOINER = re.compile(r"\s*(?:,|\bи\b)\s*", re.IGNORECASE)
SENTENCE_BREAK = re.compile(r"[.;]")


@dataclass(frozen=True)
class Hit:
    """Where a rule matched a text."""

    start: int
    end: int
    rule: Rule
    match: re.Match


# Reading one text


def first_hit(rules: list[Rule], text: str) -> Hit | None:
    """The rule that matches earliest in `text`; of rules matching at the same place, the first in the table."""
    best = None
    for rule in rules:
        match = rule.pattern.search(text)
        if match and (best is None or match.start() < best.start):
            best = Hit(match.start(), match.end(), rule, match)
    return best


def read_label(field: str, text: str, ruleset: Rules) -> str:
    hit = first_hit(ruleset.of(field), text)
    return hit.rule.label if hit else UNCLASSIFIED


def read_cites(text: str, ruleset: Rules) -> list[str]:
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


def read_refers_to(text: str, meeting: int, ruleset: Rules) -> list[str]:
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


def classify(tables: Tables, rules: Rules, warn: Callable[[str], None]) -> Tables:
    """Classify stage: fill the research columns of every unit, the themes table and the codes table from `rules`;
    units no rule covers are reported through `warn`."""
    ruleset = rules
    frame = tables.recommendations
    addressees: dict[str, str] = {}
    columns: dict[str, list] = {"addressee": [], "modality": [], "strength": [], "cites": [], "refers_to": []}
    for row in frame[["id", "meeting", "number", "kind", "text", "full_text"]].to_dict("records"):
        if row["kind"] == "subparagraph":
            addressee = addressees[paragraph_id(row["meeting"], row["number"])]  # the chapeau names the addressee
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
    classified, themes = classify_themes(classified, rules.lexicon)
    _warn_unclassified(classified, warn)
    return Tables(classified, tables.meetings, themes, codes_table(rules))


def codes_table(rules: Rules) -> pd.DataFrame:
    """The codes table: every code of every coded column of recommendations, with its label and definition."""
    return pd.DataFrame(codes_rows(rules), columns=field_names("codes")).astype(pandas_dtypes("codes"))


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


def _warn_unclassified(frame: pd.DataFrame, warn: Callable[[str], None]) -> None:
    for field in CLASSIFIED_FIELDS:
        if ids := unclassified_ids(frame, field):
            warn(f"{len(ids)} units match no {field} rule in {RULES_FILE}: {', '.join(ids)}")
    if ids := units_without_theme(frame):
        warn(f"{len(ids)} units have no theme: {', '.join(ids)}")
