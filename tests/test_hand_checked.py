"""The pipeline's research columns against tests/data/hand_checked.csv, written by reading the Russian text."""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline.rules import UNCLASSIFIED

HAND_CHECKED = Path(__file__).parent / "data" / "hand_checked.csv"
COMPARED = ("addressee", "modality", "cites", "refers_to")


def hand_checked() -> list[dict]:
    with HAND_CHECKED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_hand_checked_table_spans_all_meetings_and_every_chapeau_and_subparagraph(source_build):
    rows = hand_checked()
    built = source_build.recommendations()
    assert len(rows) >= 50
    assert {row["id"].split(".")[0] for row in rows} == {"1", "2", "3", "4", "5"}
    must = set(built.loc[built["kind"].isin(["chapeau", "subparagraph"]), "id"])
    assert len(must) == 29 and must <= {row["id"] for row in rows}


def test_pipeline_agrees_with_the_hand_checked_table_in_full(source_build):
    built = source_build.recommendations().set_index("id")
    differences = []
    for row in hand_checked():
        got = built.loc[row["id"]]
        found = {
            "addressee": got["addressee"],
            "modality": got["modality"],
            "cites": ";".join(got["cites"]),
            "refers_to": ";".join(got["refers_to"]),
        }
        for column in COMPARED:
            if found[column] != row[column]:
                differences.append(f"{row['id']} {column}: hand-checked {row[column]!r}, pipeline {found[column]!r}")
    assert differences == []


def test_no_unit_of_the_document_is_unclassified(source_build):
    built = source_build.recommendations()
    for column in ("addressee", "modality"):
        assert built.loc[built[column] == UNCLASSIFIED, "id"].tolist() == [], column
    assert built["strength"].notna().all()
