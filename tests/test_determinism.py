"""Two builds from the same source give byte-identical files."""

import json
import os
import subprocess
import sys

import pytest

from pipeline import DEFAULT_SOURCE, PROJECT_ROOT
from pipeline.cli import main


@pytest.mark.slow
def test_two_builds_of_the_real_source_are_byte_identical(built, tmp_path):
    again = tmp_path / "again"
    assert main(["build", "--source", str(DEFAULT_SOURCE), "--out", str(again)]) == 0
    first = {p.name: p.read_bytes() for p in built.iterdir()}
    second = {p.name: p.read_bytes() for p in again.iterdir()}
    listed = json.loads(first["datapackage.json"])["resources"]
    assert first.keys() == second.keys() == {"datapackage.json"} | {r["path"] for r in listed}
    for name in first:
        assert first[name] == second[name], name


@pytest.mark.slow
def test_a_build_in_another_process_with_another_hash_seed_is_byte_identical(built, tmp_path):
    """Set and dict orders that depend on Python's hash seed must not reach any file (the database included)."""
    again = tmp_path / "seeded"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "pipeline", "build", "--out", str(again)], cwd=PROJECT_ROOT, env=env,
                   check=True, capture_output=True)
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in built.iterdir())
    for path in built.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
