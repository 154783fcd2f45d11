"""Two builds from the same source give byte-identical files."""

from pipeline import DEFAULT_SOURCE
from pipeline.cli import main


def test_two_builds_of_the_real_source_are_byte_identical(built, tmp_path):
    again = tmp_path / "again"
    assert main(["build", "--source", str(DEFAULT_SOURCE), "--out", str(again)]) == 0
    first = {p.name: p.read_bytes() for p in built.iterdir()}
    second = {p.name: p.read_bytes() for p in again.iterdir()}
    assert first.keys() == second.keys() and len(first) == 12
    for name in first:
        assert first[name] == second[name], name
