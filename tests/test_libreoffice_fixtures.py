"""A Word document and the PDFs LibreOffice makes of it, plain and hyphenated, build the text build's dataset.

The fixtures in tests/data/libreoffice/ are committed (`make fixtures` regenerates them with python-docx and
LibreOffice), so these tests need no LibreOffice. The hyphenated PDF's line-end hyphens are counted here from
pdfplumber's own text of the pages, each told apart by the source text: a syllable break when the joined word is a
word of the source, a compound when the hyphenated one is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest

from pipeline.build import build
from pipeline.stages.markdown import undecorate
from tests.fixtures.word import JOB, SYMBOL
from tests.test_pdf_build import HYPHEN_COUNTS, PROVENANCE, extract_log_counts, read_csv, read_json

FOLDER = Path(__file__).resolve().parent / "data" / "libreoffice"
FIXTURES = ("un-style.docx", "un-style.pdf", "un-style-hyphenated.pdf")
LINE_END_HYPHEN = re.compile(r"([^\W\d_]+(?:-[^\W\d_]+)*)-$")
LINE_START_WORD = re.compile(r"^([^\W\d_]+(?:-[^\W\d_]+)*)")
HYPHENATED_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")


@dataclass(frozen=True)
class FixtureBuild:
    source: Path
    out: Path
    log: list[str]
    warnings: list[str]

    def text_lines(self) -> list[str]:
        return (self.out / f"{self.source.stem}.txt").read_text(encoding="utf-8").split("\n")


# Building from a PDF reads every page with pdfplumber, some seconds each: those builds are slow tests.
@pytest.fixture(scope="module", params=[pytest.param(name, marks=pytest.mark.slow) if name.endswith(".pdf") else name
                                        for name in FIXTURES])
def fixture_build(request, tmp_path_factory) -> FixtureBuild:
    source = FOLDER / request.param
    out = tmp_path_factory.mktemp(request.param.replace(".", "-")) / "output"
    log: list[str] = []
    warnings: list[str] = []
    build(source, out, log=log.append, warn=warnings.append)
    return FixtureBuild(source, out, log, warnings)


@pytest.mark.parametrize("table", sorted(PROVENANCE))
def test_fixture_builds_exactly_the_text_builds_rows(fixture_build, built, table):
    from_fixture = read_csv(fixture_build.out, table).drop(columns=PROVENANCE[table])
    from_text = read_csv(built, table).drop(columns=PROVENANCE[table])
    assert len(from_fixture) == {"recommendations": 174, "meetings": 5}[table]
    pd.testing.assert_frame_equal(from_fixture, from_text)


def test_no_syllable_hyphen_survives_in_the_text_read(fixture_build, raw_text):
    source_words = set(HYPHENATED_WORD.findall(raw_text))
    read = set(HYPHENATED_WORD.findall("\n".join(fixture_build.text_lines())))
    assert read and read <= source_words, sorted(read - source_words)


def test_line_numbers_point_at_the_unit_in_the_published_text(fixture_build):
    lines = fixture_build.text_lines()
    for row in read_json(fixture_build.out, "recommendations"):
        assert row["line_start"] == row["line_end"], row["id"]
        marker, text = re.split(r"\s+", undecorate(lines[row["line_start"] - 1]), maxsplit=1)
        assert marker == (f"{row['number']}." if row["kind"] != "subparagraph" else f"{marker[0]})"), row["id"]
        assert text == row["text"], row["id"]


def test_front_matter_matches_the_text_except_the_footnote(fixture_build, built):
    from_fixture = json.loads((fixture_build.out / "datapackage.json").read_text(encoding="utf-8"))
    from_text = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))["document"]
    assert from_text.pop("agenda_symbol") == "CTOC/COP/WG.7/2019/1"  # a footnote: not body text in Word or PDF
    assert from_fixture["document"] == from_text
    mediatype = from_fixture["sources"][0]["mediatype"]
    assert mediatype == ("application/pdf" if fixture_build.source.suffix == ".pdf" else
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def test_the_word_fixture_is_set_as_un_documents_are(raw_text):
    import docx

    document = docx.Document(str(FOLDER / "un-style.docx"))
    section = document.sections[0]
    assert SYMBOL in section.header.paragraphs[0].text and SYMBOL in section.even_page_header.paragraphs[0].text
    assert JOB in section.footer.paragraphs[0].text
    assert "PAGE" in section.footer.paragraphs[0]._p.xml
    body = document.styles["SingleTxt"].paragraph_format
    assert body.first_line_indent < 0 and body.right_indent > 0  # a hanging and a right indent
    assert any(p.text.startswith("12.\t") for p in document.paragraphs)
    assert "w:footnoteReference" in document.element.xml
    assert len(document.tables) == 1  # the masthead beside the distribution block


def pdf_breaks(path: Path, raw_text: str) -> tuple[int, int]:
    """(syllable breaks, compound breaks) at the line ends of pdfplumber's text of the body, the running header,
    footer and footnote lines left out; a break that the source text explains neither way fails the test."""
    words = {word.lower() for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", raw_text)}
    lines = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            lines += [line for line in page.extract_text().split("\n")
                      if SYMBOL not in line and JOB not in line and not line.startswith("* ")]
    syllables = compounds = 0
    for line, following in zip(lines, lines[1:]):
        end, start = LINE_END_HYPHEN.search(line), LINE_START_WORD.match(following)
        if not end:
            continue
        first, second = end[1].lower(), start[1].lower()
        if first + second in words and f"{first}-{second}" not in words:
            syllables += 1
        elif f"{first}-{second}" in words:
            compounds += 1
        else:
            pytest.fail(f"a line-end hyphen the source text does not explain: {line!r} / {following!r}")
    return syllables, compounds


@pytest.mark.slow
@pytest.mark.parametrize("name", ["un-style.pdf", "un-style-hyphenated.pdf"])
def test_build_log_counts_the_line_end_hyphens_present(name, tmp_path, raw_text):
    log: list[str] = []
    warnings: list[str] = []
    build(FOLDER / name, tmp_path / "out", log=log.append, warn=warnings.append)
    joined, kept, unsure = extract_log_counts(log)
    syllables, compounds = pdf_breaks(FOLDER / name, raw_text)
    assert (joined, kept + unsure) == (syllables, compounds)
    if name == "un-style-hyphenated.pdf":
        assert syllables >= 150
    assert len([warning for warning in warnings if "line-end hyphen" in warning]) == unsure


def test_the_word_build_log_says_what_it_read(tmp_path):
    log: list[str] = []
    build(FOLDER / "un-style.docx", tmp_path / "out", log=log.append, warn=lambda message: None)
    line = next(line for line in log if line.startswith("extract: "))
    assert re.search(r"\d+ paragraphs, 1 tables, 0 with Word list numbers, 1 footnote marks dropped", line), line
    assert not HYPHEN_COUNTS.search(line)
