"""The generated sections of README.md and docs/ (research counts, themes) and the counts chart are made from the data
and stay current."""

from __future__ import annotations

import csv
import json
import struct
from collections import Counter

from pipeline import DEFAULT_OUT
from pipeline.publish.formats.chart import CHART_NAME, chart_png
from pipeline.release.docs import (
    COUNTS_START,
    README,
    document_holding,
    documents,
    documents_with_generated,
    readme_with_generated,
    research_counts,
)


def test_readme_generated_sections_are_current():
    current = README.read_text(encoding="utf-8")
    assert readme_with_generated(current) == current, "run `make docs` and commit README.md"


def test_every_generated_section_of_the_docs_is_current():
    current = {path: path.read_text(encoding="utf-8") for path in documents()}
    stale = [path.name for path, text in documents_with_generated(current).items() if text != current[path]]
    assert stale == [], "run `make docs` and commit the documents"


def test_readme_counts_agree_with_a_count_of_the_committed_csv():
    with (DEFAULT_OUT / "recommendations.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["kind"] != "chapeau"]
    document = document_holding(COUNTS_START).read_text(encoding="utf-8")
    section = document.partition(COUNTS_START)[2]
    checked = 0
    meetings = sorted({int(row["meeting"]) for row in rows})
    for field in ("addressee", "modality"):
        expected = Counter((row[field], row["meeting"]) for row in rows)
        for line in section.splitlines():
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if cells[0].startswith("`") and cells[0].strip("`") in {row[field] for row in rows}:
                per_meeting = [int(c) for c in cells[-1 - len(meetings):-1]]
                label = cells[0].strip("`")
                assert per_meeting == [expected[(label, str(m))] for m in meetings], label
                checked += 1
    assert checked >= 10
    assert research_counts() in document


def test_counts_leave_out_chapeaus_so_the_totals_are_170():
    assert "| total | 55 | 37 | 41 | 15 | 22 | 170 |" in research_counts()


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        chunks.append((data[at + 4:at + 8], data[at + 8:at + 8 + length]))
        at += 12 + length
    return chunks


def test_chart_is_the_same_png_byte_for_byte_when_drawn_twice_with_no_software_stamp(source_build):
    frame = source_build.recommendations()
    first, second = chart_png(frame), chart_png(frame)
    assert first == second
    texts = [body for kind, body in png_chunks(first) if kind in (b"tEXt", b"iTXt", b"zTXt", b"tIME")]
    assert not any(body.startswith(b"Software") for body in texts)
    assert not any(kind == b"tIME" for kind, _ in png_chunks(first))


def test_chart_is_published_in_the_package_with_its_size_and_hash(source_build):
    package = json.loads((source_build.folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == CHART_NAME)
    assert resource["type"] == "file" and resource["mediatype"] == "image/png"
    assert resource["bytes"] == (source_build.folder / CHART_NAME).stat().st_size
    assert resource["hash"].startswith("sha256:")


def test_themes_chart_is_the_same_png_when_drawn_twice_and_is_published_with_its_hash(source_build):
    import pandas as pd

    from pipeline.publish.formats.themes_chart import CHART_NAME as THEMES_CHART
    from pipeline.publish.formats.themes_chart import themes_chart_png

    folder = source_build.folder
    frame, themes = source_build.recommendations(), pd.read_parquet(folder / "themes.parquet")
    first = themes_chart_png(frame, themes)
    assert first == themes_chart_png(frame, themes) == (folder / THEMES_CHART).read_bytes()
    assert not any(kind == b"tIME" or body.startswith(b"Software") for kind, body in png_chunks(first))
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == THEMES_CHART)
    assert resource["mediatype"] == "image/png" and resource["bytes"] == len(first)


def test_readme_shares_of_themes_agree_with_a_count_of_the_committed_csv():
    from pipeline.release.docs import SHARES_START

    with (DEFAULT_OUT / "recommendations.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["kind"] != "chapeau"]
    section = document_holding(SHARES_START).read_text(encoding="utf-8").partition(SHARES_START)[2]
    sea = next(line for line in section.splitlines() if line.startswith("| `smuggling_by_sea` |"))
    per_meeting = [cell.strip() for cell in sea.strip("|").split("|")][1:6]
    for meeting, cell in zip(range(1, 6), per_meeting):
        units = [row for row in rows if row["meeting"] == str(meeting)]
        at_sea = sum("smuggling_by_sea" in row["themes"].split(";") for row in units)
        assert cell == f"{at_sea / len(units):.0%}", meeting
