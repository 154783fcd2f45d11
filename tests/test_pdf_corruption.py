"""Corrupted PDFs end in a finished build or in one error line and exit 2, with nothing else on the terminal."""

from __future__ import annotations

import random
import re
import warnings

import pytest

from pipeline.cli import main
from tests.conftest import EARLIER_DESCRIPTOR
from pipeline.provenance import update_sidecar
from tests.fixtures import LAYOUTS, render_pdf

pytestmark = pytest.mark.slow  # renders PDFs

SEEDS = range(30)
STAGE_LINE = re.compile(r"^(extract|parse|tabulate|classify|validate|publish): ")


@pytest.fixture(scope="module")
def valid_pdf(tmp_path_factory, raw_text) -> bytes:
    """The document's front matter and first meeting as a PDF (a few pages, so that 30 builds take seconds)."""
    second_heading = re.search(r"^II\. ", raw_text, re.M).start()
    path = tmp_path_factory.mktemp("valid") / "first-meeting.pdf"
    render_pdf(raw_text[:second_heading], path, LAYOUTS[0])
    return path.read_bytes()


def corrupt(data: bytes, seed: int) -> bytes:
    """Random bytes overwritten, a range cut out, or a stream truncated, as the seed says."""
    rng = random.Random(seed)
    damaged = bytearray(data)
    if seed % 3 == 0:
        for _ in range(rng.randint(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    elif seed % 3 == 1:
        start = rng.randrange(len(damaged))
        del damaged[start:start + rng.randint(1, 2000)]
    else:
        starts = [m.end() for m in re.finditer(rb"(?<!end)stream\r?\n", data)]
        start = rng.choice(starts)
        end = data.index(b"endstream", start)
        del damaged[rng.randint(start, end - 1):end]
    return bytes(damaged)


def test_the_corruptions_change_the_file(valid_pdf):
    assert all(corrupt(valid_pdf, seed) != valid_pdf for seed in SEEDS)


def test_each_corrupted_pdf_builds_or_is_refused_in_one_line(valid_pdf, tmp_path, capsys):
    outcomes = {0: 0, 2: 0}
    for seed in SEEDS:
        source = tmp_path / f"corrupt-{seed}.pdf"
        source.write_bytes(corrupt(valid_pdf, seed))
        update_sidecar(source)  # so that a finished build has no provenance warning either
        out = tmp_path / f"out-{seed}"
        out.mkdir()
        (out / "datapackage.json").write_text(EARLIER_DESCRIPTOR, encoding="utf-8")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            code = main(["build", "--source", str(source), "--out", str(out)])
        captured = capsys.readouterr()
        assert not caught, (seed, [str(w.message) for w in caught])
        assert all(STAGE_LINE.match(line) for line in captured.out.splitlines()), (seed, captured.out)
        assert code in outcomes, (seed, code)
        outcomes[code] += 1
        if code == 0:
            assert captured.err == "", seed
            assert (out / "datapackage.json").read_text(encoding="utf-8") != EARLIER_DESCRIPTOR
        else:
            assert len(captured.err.splitlines()) == 1 and captured.err.startswith(f"error: {source}"), \
                (seed, captured.err)
            assert [p.name for p in out.iterdir()] == ["datapackage.json"], seed
            assert (out / "datapackage.json").read_text(encoding="utf-8") == EARLIER_DESCRIPTOR
    assert outcomes[2] >= len(SEEDS) // 2  # most corruptions are refused, so the error path is what is tested
