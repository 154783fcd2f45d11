"""The tables in rules/: CSV files with a fixed header, read with each row's line number for error messages."""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline import PROJECT_ROOT
from pipeline.errors import CheckError

RULES_DIR = PROJECT_ROOT / "rules"


def read_rule_table(path: Path, columns: list[str]) -> list[tuple[int, dict]]:
    """(line number, row) of every row of the CSV file `path`, whose header must be `columns`."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != columns:
            found = ",".join(reader.fieldnames or [])
            raise CheckError(path, f"expected the columns {','.join(columns)}, found {found}", 1)
        return [(reader.line_num, row) for row in reader]
