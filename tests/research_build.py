"""One fresh build of the committed source per test session, shared by the research-column tests."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from pipeline import DEFAULT_SOURCE
from pipeline.build import build


@dataclass(frozen=True)
class Built:
    folder: Path
    log: tuple[str, ...]

    def recommendations(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "recommendations.parquet")


@cache
def fresh_build() -> Built:
    root = Path(tempfile.mkdtemp(prefix="wg-som-test-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    log: list[str] = []
    build(DEFAULT_SOURCE, root / "output", log=log.append)
    return Built(root / "output", tuple(log))
