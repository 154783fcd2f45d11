"""A PDF of the document builds the same dataset as its text, with every row traced to its page and line."""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.stages.markdown import undecorate
from tests.fixtures import LAYOUTS

pytestmark = pytest.mark.slow  # renders PDFs and builds from them

LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")

PROVENANCE = {
    "recommendations": ["line_start", "line_end", "page"],
    "meetings": ["heading_line", "heading_page"],
}


def read_csv(folder, table: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)


def read_json(folder, table: str) -> list[dict]:
    return json.loads((folder / f"{table}.json").read_text(encoding="utf-8"))


def published_text(build) -> list[str]:
    return (build.out / f"{build.rendered.path.stem}.txt").read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize("table", sorted(PROVENANCE))
def test_pdf_dataset_equals_text_dataset_except_provenance_columns(pdf_build, built, table):
    from_pdf = read_csv(pdf_build.out, table).drop(columns=PROVENANCE[table])
    from_text = read_csv(built, table).drop(columns=PROVENANCE[table])
    assert len(from_pdf) == len(from_text) == {"recommendations": 174, "meetings": 5}[table]
    pd.testing.assert_frame_equal(from_pdf, from_text)
    strip = lambda rows: [{k: v for k, v in row.items() if k not in PROVENANCE[table]} for row in rows]  # noqa: E731
    assert strip(read_json(pdf_build.out, table)) == strip(read_json(built, table))


def test_fixture_pdf_splits_paragraphs_across_pages_and_has_many_pages(pdf_build):
    assert pdf_build.rendered.pages >= 15
    assert pdf_build.rendered.split_units >= 5


def test_fixture_with_hyphen_breaks_really_breaks_compound_words(fixture_pdfs):
    assert fixture_pdfs["wide-11pt"].hyphen_breaks >= 5
    assert fixture_pdfs["un-a4-10pt"].hyphen_breaks == 0


def test_layouts_cover_fonts_heading_sizes_hyphenation_and_footnote_marks():
    assert {layout.font for layout in LAYOUTS} == {"pt-serif", "liberation-serif"}
    assert {layout.heading_extra for layout in LAYOUTS} >= {0.0, 1.0, 2.0}
    assert {layout.symbol_even_side for layout in LAYOUTS} == {"left", "right"}
    hyphenated = [layout for layout in LAYOUTS if layout.hyphenate]
    assert {layout.font for layout in hyphenated} == {"pt-serif", "liberation-serif"}
    assert any(layout.hyphen_breaks for layout in hyphenated)
    assert {layout.superscript_marks for layout in LAYOUTS} == {True, False}


HYPHEN_COUNTS = re.compile(r"line-end hyphens: (\d+) seen, (\d+) joined, (\d+) kept in compounds, (\d+) kept "
                           r"undecided, (\d+) left at a line end")


def extract_log_counts(log: list[str]) -> tuple[int, int, int]:
    """(joined, kept, kept undecided) from the extract line of a build log, which must account for every hyphen."""
    line = next(line for line in log if line.startswith("extract: "))
    seen, joined, kept, unsure, left = map(int, HYPHEN_COUNTS.search(line).groups())
    assert seen == joined + kept + unsure + left
    assert left == 0, line  # the fixtures end no paragraph in a hyphen
    return joined, kept, unsure


def test_build_log_counts_every_line_end_hyphen_the_typesetter_made(pdf_build):
    joined, kept, unsure = extract_log_counts(pdf_build.log)
    rendered = pdf_build.rendered
    assert joined == rendered.syllable_breaks
    assert kept + unsure == rendered.hyphen_breaks
    if pdf_build.layout.hyphenate:
        assert rendered.syllable_breaks >= 100


def test_page_column_gives_the_page_on_which_each_unit_starts(pdf_build):
    pages = read_csv(pdf_build.out, "recommendations")["page"].astype(int).tolist()
    assert pages == pdf_build.rendered.unit_pages
    headings = read_csv(pdf_build.out, "meetings")["heading_page"]
    assert all(1 <= int(page) <= pdf_build.rendered.pages for page in headings)


def test_text_build_leaves_page_columns_empty(built):
    assert set(read_csv(built, "recommendations")["page"]) == {""}
    assert set(read_csv(built, "meetings")["heading_page"]) == {""}


def test_line_numbers_point_at_the_unit_in_the_published_extracted_text(pdf_build):
    lines = published_text(pdf_build)
    for row in read_json(pdf_build.out, "recommendations"):
        assert row["line_start"] == row["line_end"], row["id"]  # a paragraph is one line, page breaks joined
        marker, _, text = lines[row["line_start"] - 1].partition(" ")
        expected_marker = f"{row['number']}." if row["kind"] != "subparagraph" else r"\w\)"
        assert re.fullmatch(expected_marker, marker), (row["id"], marker)
        assert text == row["text"], row["id"]
    for meeting in read_json(pdf_build.out, "meetings"):
        heading = undecorate(lines[meeting["heading_line"] - 1])
        assert heading.startswith(f"{meeting['roman']}. {meeting['name']}, {meeting['place']}, ")


def test_published_extracted_text_is_listed_with_its_size_and_sha256(pdf_build):
    descriptor = json.loads((pdf_build.out / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "source-text")
    data = (pdf_build.out / resource["path"]).read_bytes()
    assert resource["path"] == f"{pdf_build.rendered.path.stem}.txt"
    assert (resource["type"], resource["format"], resource["mediatype"]) == ("text", "txt", "text/plain")
    assert resource["bytes"] == len(data)
    assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    source = descriptor["sources"][0]
    pdf = pdf_build.rendered.path.read_bytes()
    assert (source["path"], source["mediatype"]) == (pdf_build.rendered.path.name, "application/pdf")
    assert (source["bytes"], source["hash"]) == (len(pdf), "sha256:" + hashlib.sha256(pdf).hexdigest())


def test_extracted_text_has_no_running_header_footer_or_footnote(pdf_build, raw_text):
    text = "\n".join(published_text(pdf_build))
    layout, pages = pdf_build.layout, pdf_build.rendered.pages
    assert layout.symbol not in text
    assert layout.job not in text
    assert not [n for n in range(2, pages + 1) if f"{n}/{pages}" in text]
    footnotes = [LINK.sub(r"\1", line[2:]) for line in raw_text.split("\n") if line.startswith("* ")]
    assert footnotes
    assert not [note for note in footnotes if note in text]


def test_superscript_footnote_marks_are_dropped(pdf_build, raw_text):
    text = "\n".join(published_text(pdf_build)).replace("**", "")
    assert "*" in raw_text.replace("**", "")
    assert ("*" in text) != pdf_build.layout.superscript_marks


def test_justified_spacing_leaves_no_doubled_spaces(pdf_build):
    lines = published_text(pdf_build)
    assert not [line for line in lines if "  " in line or line != line.strip()]


def test_front_matter_read_from_pdf_matches_text_except_the_footnote(pdf_build, built):
    from_pdf = json.loads((pdf_build.out / "datapackage.json").read_text(encoding="utf-8"))["document"]
    from_text = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))["document"]
    assert from_text.pop("agenda_symbol") == "CTOC/COP/WG.7/2019/1"  # the footnote is page furniture in a PDF
    assert from_pdf == from_text


def test_cli_reads_a_pdf_by_its_content_whatever_its_name(fixture_pdfs, tmp_path, capsys):
    source = tmp_path / "document.bin"
    shutil.copyfile(fixture_pdfs["un-a4-10pt"].path, source)
    code = main(["build", "--source", str(source), "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 0
    assert "provenance unrecorded" in captured.err
    assert re.search(r"^extract: \d+ lines", captured.out, re.M)
    assert "parse: 5 meetings, 149 paragraphs, 25 subparagraphs" in captured.out
    assert (tmp_path / "out" / "document.txt").exists()
