"""Agreement of the themes and groups columns with the hand-checked table in docs/data/, for the docs and tests.

The hand-checked table was written by reading each unit's Russian text against the vocabulary's definitions,
before the lexicon existed; it is the reference, and the columns are scored against it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import PROJECT_ROOT
from pipeline.schema import LIST_DELIMITER

HAND_CHECKED_THEMES = PROJECT_ROOT / "docs" / "data" / "themes_hand_checked.csv"


@dataclass(frozen=True)
class Score:
    code: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def hand_checked(path: Path = HAND_CHECKED_THEMES) -> dict[str, dict[str, list[str]]]:
    """id → {"themes": [...], "groups": [...]} from the hand-checked table."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return {row["id"]: {column: _split(row[column]) for column in ("themes", "groups")}
                for row in csv.DictReader(handle)}


def _split(cell: str) -> list[str]:
    return cell.split(LIST_DELIMITER) if cell else []


def scores(recommendations: pd.DataFrame, column: str, codes: list[str], expected: dict) -> list[Score]:
    """Per-code counts of agreement, in the order of `codes`."""
    found = dict(zip(recommendations["id"], recommendations[column]))
    out = []
    for code in codes:
        pairs = [(code in values[column], code in found[unit]) for unit, values in expected.items()]
        out.append(Score(code, pairs.count((True, True)), pairs.count((False, True)), pairs.count((True, False))))
    return out


def micro(scores_: list[Score], code: str = "all") -> Score:
    """The scores pooled over every code (micro-averaged)."""
    return Score(code, sum(s.true_positives for s in scores_), sum(s.false_positives for s in scores_),
                 sum(s.false_negatives for s in scores_))
