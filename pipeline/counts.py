"""One way to count the units, said the same everywhere: the browse page, the spreadsheet, the data card, the docs,
the charts and the Markdown tables of the README and docs/.

A unit is a row of recommendations: a numbered paragraph or a lettered subparagraph. A chapeau is a paragraph that
introduces subparagraphs; its requests are made by them, so counts of recommendations by addressee or wording leave
chapeaus out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pipeline.codes import Codes
from pipeline.numerals import int_to_roman
from pipeline.rules import load_rules

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.publish.periods import Columns


def units_sentence(kinds: Iterable[str]) -> str:
    """"174 units: 149 paragraphs (4 of them chapeaus that introduce 25 subparagraphs) and 25 subparagraphs"."""
    found = Counter(kinds)
    subparagraphs = found["subparagraph"]
    paragraphs = found["paragraph"] + found["chapeau"]
    total = sum(found.values())
    chapeaus = ""
    if found["chapeau"]:
        which = "a chapeau that introduces" if found["chapeau"] == 1 else "chapeaus that introduce"
        chapeaus = f" ({found['chapeau']} of them {which} {subparagraphs} {_plural(subparagraphs, 'subparagraph')})"
    return (f"{total} {_plural(total, 'unit')}: {paragraphs} {_plural(paragraphs, 'paragraph')}{chapeaus} and "
            f"{subparagraphs} {_plural(subparagraphs, 'subparagraph')}")


def counted_sentence(kinds: Iterable[str]) -> str:
    """"170 recommendations (the 4 chapeaus left out: their subparagraphs make their requests)"."""
    found = Counter(kinds)
    counted = sum(n for kind, n in found.items() if kind != "chapeau")
    return (f"{counted} {_plural(counted, 'recommendation')} (the {found['chapeau']} "
            f"{_plural(found['chapeau'], 'chapeau')} left out: their subparagraphs make their requests)")


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def counted(recommendations: pd.DataFrame) -> pd.DataFrame:
    """The rows that count as one recommendation each: all but chapeaus, whose requests their subparagraphs make."""
    return recommendations[recommendations["kind"] != "chapeau"]


def meeting_years(recommendations: pd.DataFrame) -> dict[int, int]:
    """The year of each meeting of the recommendations table."""
    return dict(zip(recommendations["meeting"].tolist(), recommendations["year"].tolist()))


def counts(recommendations: pd.DataFrame, field: str, codes: Codes | None = None) -> tuple[list[int],
                                                                                         dict[str, list[int]]]:
    """The meetings, and for every code of `field` (in the order of the codes table, that of rules/labels.csv) its
    number of recommendations at each meeting; `codes` from the build's codes table, or from rules/ when not given.
    A chapeau is not counted: its subparagraphs make its requests."""
    codes = codes or Codes.of_rules(load_rules())
    columns = (recommendations[name].tolist() for name in ("kind", field, "meeting"))
    found = Counter((str(label), meeting) for kind, label, meeting in zip(*columns) if kind != "chapeau")
    meetings = sorted(set(recommendations["meeting"].tolist()))
    return meetings, {label: [found[label, meeting] for meeting in meetings] for label in codes.labels(field)}


def column_counts(recommendations: pd.DataFrame, field: str, columns: Columns,
                  codes: Codes | None = None) -> dict[str, list[int]]:
    """For every label of `field` that occurs (in the order of rules/labels.csv), its number of recommendations in
    each of `columns` (a meeting each, or the meetings of a year or period)."""
    meetings, table = counts(recommendations, field, codes)
    column_of = columns.index_of()
    summed = {}
    for label, values in table.items():
        if sum(values):
            summed[label] = [0] * len(columns.columns)
            for meeting, value in zip(meetings, values):
                summed[label][column_of[meeting]] += value
    return summed


def column_shares(recommendations: pd.DataFrame, codes: list[str], columns: Columns) -> tuple[list[list[float]],
                                                                                              list[int]]:
    """Share (0 to 1) of the recommendations of each column's meetings that have each theme of `codes` (a row per
    code), and the number of recommendations of each column."""
    rows = counted(recommendations)
    column_of = columns.index_of()
    sizes = Counter(column_of[meeting] for meeting in rows["meeting"].tolist())
    found = Counter((column_of[meeting], code)
                    for meeting, themes in zip(rows["meeting"].tolist(), rows["themes"].tolist())
                    for code in set(themes))
    indices = range(len(columns.columns))
    return [[found[i, code] / sizes[i] for i in indices] for code in codes], [sizes[i] for i in indices]


def markdown_counts(recommendations: pd.DataFrame) -> str:
    """Two Markdown tables: counts by addressee and by modality (with its strength) per meeting."""
    ruleset = load_rules()
    codes = Codes.of_rules(ruleset)
    out = []
    for field in ("addressee", "modality"):
        meetings, table = counts(recommendations, field, codes)
        head = [field] + (["strength"] if field == "modality" else []) + [int_to_roman(m) for m in meetings]
        out.append("| " + " | ".join(head + ["total"]) + " |")
        out.append("|---|" + "---:|" * len(head))
        for label, values in table.items():
            cells = [f"`{label}`"]
            if field == "modality":
                strength = ruleset.strength(label)
                cells.append(str(strength) if strength is not None else "—")
            out.append("| " + " | ".join(cells + [str(v) for v in values] + [str(sum(values))]) + " |")
        totals = [sum(column) for column in zip(*table.values())]
        filler = [""] if field == "modality" else []
        out.append("| total | " + " | ".join(filler + [str(v) for v in totals] + [str(sum(totals))]) + " |")
        out.append("")
    return "\n".join(out)


def markdown_shares(recommendations: pd.DataFrame, themes: pd.DataFrame) -> str:
    """Markdown table of the share in per cent of each meeting's recommendations that have each theme, with each
    meeting's number of recommendations."""
    codes = themes["code"].tolist()
    rows = counted(recommendations)
    meetings = sorted(recommendations["meeting"].unique().tolist())
    sizes = Counter(rows["meeting"].tolist())
    found = Counter((meeting, code) for meeting, unit_themes in zip(rows["meeting"].tolist(), rows["themes"].tolist())
                    for code in set(unit_themes))
    head = ["theme"] + [f"{int_to_roman(m)} ({sizes[m]})" for m in meetings] + ["all"]
    out = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for code in codes:
        values = [found[meeting, code] / sizes[meeting] for meeting in meetings]
        total = sum(code in unit_themes for unit_themes in rows["themes"]) / len(rows)
        out.append(f"| `{code}` | " + " | ".join(f"{v:.0%}" for v in values + [total]) + " |")
    return "\n".join(out) + "\n"
