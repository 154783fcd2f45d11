"""The Python the README and docs/ show runs as shown, from the project's folder, and does what they say: dates as
dates, list columns as lists, ids and references as text from CSV, words for codes, search by dictionary form. The
project runs as `python -m pipeline` from any folder (installed editable into .venv by `make venv`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from pipeline import PROJECT_ROOT
from pipeline.release.docs import README, documents
from pipeline.search import matches

MARK = "<!-- tested by tests/test_readme_python.py"
BLOCK = re.compile(re.escape(MARK) + r"[^\n]*-->\n```python\n(.*?)```", re.S)


def marked_blocks(path) -> list[str]:
    return BLOCK.findall(path.read_text(encoding="utf-8"))


def run_block(code: str, monkeypatch) -> dict:
    monkeypatch.chdir(PROJECT_ROOT)
    namespace: dict = {"__name__": "__readme__"}
    exec(compile(code, "README", "exec"), namespace)  # noqa: S102 - the project's own documentation
    return namespace


def test_the_readme_and_the_python_page_mark_their_examples():
    assert len(marked_blocks(README)) == 1
    assert sum(len(marked_blocks(path)) for path in documents()) == 2


def test_the_readme_python_section_runs_and_its_idioms_work(monkeypatch):
    [code] = marked_blocks(README)
    found = run_block(code, monkeypatch)
    recs = found["recs"]
    assert recs["meeting_start"].dt.year.tolist() == recs["year"].tolist()
    assert len(found["at_sea"]) > 0 and all("smuggling_by_sea" in themes for themes in found["at_sea"]["themes"])
    assert found["words"]["states_parties"] == "States parties"
    refers = found["csv"].set_index("id")["refers_to"].dropna()
    assert refers.to_dict() == {"4.12": "4.11"}
    assert found["csv"]["id"].tolist()[:10] == [f"1.{n}" for n in range(1, 11)]  # 1.10 stays 1.10, not 1.1


def test_the_pymorphy3_recipe_finds_what_the_project_search_finds(monkeypatch):
    [code] = [block for path in documents() if path != README for block in marked_blocks(path)]
    found = run_block(code, monkeypatch)
    recs = pd.read_parquet(PROJECT_ROOT / "output" / "recommendations.parquet")
    expected = [rid for rid, text in zip(recs["id"], recs["text"]) if matches(text, "права мигрантов")]
    assert found["found"]["id"].tolist() == expected and expected


@pytest.mark.slow
def test_the_pipeline_runs_as_a_module_from_any_folder(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0 and "No module named pipeline" in result.stderr and not os.environ.get("CI"):
        pytest.skip("the project is not installed in this environment: `make venv` installs it")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m pipeline")
