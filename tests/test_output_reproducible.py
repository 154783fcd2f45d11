"""A fresh build reproduces the committed output/ byte for byte."""

from __future__ import annotations

from pipeline import DEFAULT_OUT
from tests.research_build import fresh_build


def test_fresh_build_reproduces_the_committed_output_byte_for_byte():
    built = fresh_build().folder
    committed = sorted(path.name for path in DEFAULT_OUT.iterdir())
    assert sorted(path.name for path in built.iterdir()) == committed
    differing = [name for name in committed if (built / name).read_bytes() != (DEFAULT_OUT / name).read_bytes()]
    assert differing == [], "run `make dataset` and commit output/"
