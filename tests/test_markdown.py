"""Markdown from other PDF-to-Markdown converters: headings, emphasis and footnote marks never reach the text."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline import DEFAULT_SOURCE
from pipeline.build import build
from pipeline.stages.extract import Line
from pipeline.stages.markdown import undecorate
from pipeline.stages.parse import parse_lines
from pipeline.stages.validate import without_decorations
from tests.conftest import MINI_DOCUMENT

HEADING = "I. Первое совещание, Вена, 30 мая — 1 июня 2012 года"
DRESSED_HEADINGS = [
    f"# {HEADING}", f"###### {HEADING}", f"## {HEADING} ##", f"**{HEADING}**", f"__{HEADING}__", f"*{HEADING}*",
    f"## **{HEADING}**", "**I.** Первое совещание, Вена, 30 мая — 1 июня 2012 года",
    "I. **Первое совещание**, Вена, 30 мая — 1 июня 2012 года", f"{HEADING}*", f"{HEADING}**", f"{HEADING}¹",
    f"{HEADING}[1]", f"{HEADING} [^1]", f"**{HEADING}**[^note]", f"### **{HEADING}¹**", f"{HEADING}<sup>2</sup>",
]


def rows(text: str) -> list[tuple]:
    document = parse_lines([Line(n, t) for n, t in enumerate(text.split("\n"), start=1)], "doc.md")
    out = []
    for meeting in document.meetings:
        out.append((meeting.roman, meeting.name, meeting.place, meeting.start, meeting.end, meeting.heading_line))
        for paragraph in meeting.paragraphs:
            out.append((paragraph.number, paragraph.text, paragraph.lines))
            out.extend((sub.letter, sub.text, sub.lines) for sub in paragraph.subparagraphs)
    return out


@pytest.mark.parametrize("heading", DRESSED_HEADINGS)
def test_meeting_heading_dressed_by_a_converter_parses_as_the_plain_heading(heading):
    assert HEADING in MINI_DOCUMENT
    assert rows(MINI_DOCUMENT.replace(HEADING, heading)) == rows(MINI_DOCUMENT)


@pytest.mark.parametrize("plain, dressed", [
    ("1. Государствам-участникам", "**1.** Государствам-участникам"),
    ("2. Государствам следует:", "__2.__ Государствам следует:"),
    (" - a) первое;", " - **a)** первое;"),
    ("b) второе", "**b)** второе"),
    ("с) третье.", "**с)** третье."),
])
def test_paragraph_number_or_subparagraph_letter_in_bold_parses_and_stays_out_of_the_text(plain, dressed):
    assert plain in MINI_DOCUMENT
    assert rows(MINI_DOCUMENT.replace(plain, dressed)) == rows(MINI_DOCUMENT)


def test_a_thematic_break_between_pages_is_a_blank_line():
    dressed = MINI_DOCUMENT.replace("\nпосле разрыва страницы;", "\n---\n\nпосле разрыва страницы;")
    assert rows(dressed) != []
    assert [r[1] for r in rows(dressed)] == [r[1] for r in rows(MINI_DOCUMENT)]


@pytest.mark.parametrize("line, plain", [
    ("## **I.** Первое совещание ##", "I. Первое совещание"),
    ("#хештег остается", "#хештег остается"),
    ("слово_с_подчеркиванием и _курсив_", "слово_с_подчеркиванием и курсив"),
    ("м² в середине строки", "м² в середине строки"),
    ("[1] в начале строки", "[1] в начале строки"),
    ("* * *", ""),
])
def test_undecorate_takes_off_decorations_only(line, plain):
    assert undecorate(line) == plain


def test_front_matter_keeps_its_bold_blocks_and_footnote():
    document = parse_lines([Line(n, t) for n, t in enumerate(DEFAULT_SOURCE.read_text().split("\n"), start=1)])
    assert document.front_matter.issuing_body.startswith("Конференция участников")
    assert document.front_matter.agenda_symbol == "CTOC/COP/WG.7/2019/1"


decorated_line = st.text(alphabet="#*_[]^¹² 12.)aбв-<>sup/", max_size=30)


@settings(max_examples=300, deadline=None)
@given(decorated_line)
@example("[^]")  # an empty footnote label is no footnote reference, to either of them
def test_conservation_check_takes_off_the_same_decorations_as_the_parser(line):
    assert without_decorations(line).split() == undecorate(line).split()


def dress(text: str) -> str:
    """The real source as another converter writes it: headings as ATX headings in bold with a footnote reference,
    paragraph numbers and subparagraph letters in bold."""
    text = re.sub(r"^([IVX]+\.) (.*)$", r"## **\1 \2**[^1]", text, flags=re.M)
    text = re.sub(r"^(\d+\.) ", r"**\1** ", text, flags=re.M)
    return re.sub(r"^( ?- )?(\w\)) ", r"\1**\2** ", text, flags=re.M)


def test_real_source_from_another_converter_builds_the_same_dataset(tmp_path, built):
    source = tmp_path / "dressed.md"
    dressed = dress(DEFAULT_SOURCE.read_text(encoding="utf-8"))
    assert dressed.count("## **") == 5 and dressed.count("**1.**") == 5
    source.write_text(dressed, encoding="utf-8")
    build(source, tmp_path / "out", log=lambda line: None, warn=lambda message: None)
    for table in ("recommendations", "meetings"):
        found = pd.read_csv(tmp_path / "out" / f"{table}.csv", dtype=str, keep_default_na=False)
        expected = pd.read_csv(built / f"{table}.csv", dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(found, expected)
