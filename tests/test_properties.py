"""Round trip: any well-formed document rendered to text parses back to the same rows."""

from __future__ import annotations

import pytest
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.stages.extract import Line
from pipeline.stages.parse import parse_lines
from tests.heading_forms import PLACES, heading_text

pytestmark = pytest.mark.slow  # long hypothesis properties

word = st.text(alphabet="абвгдежзиклмнопрстуфхцчшщыэюя", min_size=1, max_size=9)
words = st.lists(word, min_size=1, max_size=12)


@st.composite
def unit_text(draw, capitalised: bool) -> list[str]:
    """Words of one unit; the first capitalised for a paragraph, every later word lower-case."""
    parts = draw(words)
    if capitalised:
        parts[0] = parts[0].capitalize()
    parts[-1] += draw(st.sampled_from([".", ";", ":", ""]))
    return parts


@st.composite
def paragraph(draw) -> dict:
    letters = draw(st.integers(0, 5))
    return {
        "words": draw(unit_text(capitalised=True)),
        "subs": [draw(unit_text(capitalised=False)) for _ in range(letters)],
    }


@st.composite
def document(draw) -> list[dict]:
    meetings = []
    day = dt.date(2012, 1, 1)
    for _ in range(draw(st.integers(1, 6))):
        start = day + dt.timedelta(days=draw(st.integers(1, 400)))
        end = start + dt.timedelta(days=draw(st.integers(0, 4)))
        meetings.append({
            "start": start, "end": end, "place": draw(st.sampled_from(PLACES)),
            "paragraphs": draw(st.lists(paragraph(), min_size=1, max_size=5)),
        })
        day = end
    return meetings


def render_unit(draw, marker: str, parts: list[str]) -> list[str]:
    """The unit's lines: a marker line, then page-break fragments split at random word boundaries."""
    cuts = sorted(draw(st.sets(st.integers(1, len(parts) - 1), max_size=2))) if len(parts) > 1 else []
    pieces = [parts[a:b] for a, b in zip([0, *cuts], [*cuts, len(parts)])]
    lines = [f"{marker} {' '.join(pieces[0])}"]
    for piece in pieces[1:]:
        lines += ["", " ".join(piece)]
    return lines


def render(draw, meetings: list[dict]) -> list[str]:
    lines = ["**Документ**", ""]
    for number, meeting in enumerate(meetings, start=1):
        lines += [draw(heading_text(number, meeting["start"], meeting["end"], meeting["place"])), ""]
        for index, para in enumerate(meeting["paragraphs"], start=1):
            lines += render_unit(draw, f"{index}.", para["words"])
            for letter_index, sub in enumerate(para["subs"]):
                marker = draw(st.sampled_from(["{}) ", " - {}) "])).format(chr(ord("a") + letter_index)).rstrip()
                lines += render_unit(draw, marker, sub)
            if draw(st.booleans()):
                lines.append("")
    return lines


def expected_rows(meetings: list[dict]) -> list[tuple]:
    rows = []
    for number, meeting in enumerate(meetings, start=1):
        for index, para in enumerate(meeting["paragraphs"], start=1):
            chapeau = " ".join(para["words"])
            rows.append((f"{number}.{index}", meeting["start"], meeting["end"], chapeau, chapeau))
            for letter_index, sub in enumerate(para["subs"]):
                text = " ".join(sub)
                rows.append((f"{number}.{index}.{chr(ord('a') + letter_index)}", meeting["start"], meeting["end"],
                             text, f"{chapeau} {text}"))
    return rows


def parsed_rows(lines: list[str]) -> list[tuple]:
    parsed = parse_lines([Line(n, text) for n, text in enumerate(lines, start=1)], "generated.md")
    rows = []
    for meeting in parsed.meetings:
        for para in meeting.paragraphs:
            rows.append((f"{meeting.number}.{para.number}", meeting.start, meeting.end, para.text, para.text))
            for sub in para.subparagraphs:
                rows.append((f"{meeting.number}.{para.number}.{sub.letter}", meeting.start, meeting.end,
                             sub.text, f"{para.text} {sub.text}"))
    return rows


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_rendered_document_parses_back_to_the_same_rows(data):
    meetings = data.draw(document())
    lines = render(data.draw, meetings)
    assert parsed_rows(lines) == expected_rows(meetings)


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_every_non_blank_body_line_belongs_to_exactly_one_unit_or_heading(data):
    lines = render(data.draw, data.draw(document()))
    parsed = parse_lines([Line(n, text) for n, text in enumerate(lines, start=1)], "generated.md")
    claimed = [m.heading_line for m in parsed.meetings]
    for meeting in parsed.meetings:
        for para in meeting.paragraphs:
            claimed += para.lines + [n for sub in para.subparagraphs for n in sub.lines]
    body = [n for n, text in enumerate(lines, start=1) if text.strip() and n >= parsed.body_start]
    assert sorted(claimed) == body


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(), st.one_of(st.none(), st.integers(-2**62, 2**62)),
                          st.lists(st.text(), max_size=3), st.dates()), max_size=6))
def test_json_copy_is_written_as_json_dumps_with_an_indent_of_two_writes_it(tmp_path_factory, rows):
    import json

    import pandas as pd

    from pipeline.publish.formats import json as json_format

    frame = pd.DataFrame({"id": pd.Series([r[0] for r in rows], dtype="string"),
                          "count": pd.array([r[1] for r in rows], dtype="Int64"),
                          "items": pd.Series([r[2] for r in rows], dtype=object),
                          "day": pd.Series([r[3] for r in rows], dtype=object)})
    path = tmp_path_factory.mktemp("json") / "table.json"
    json_format.write_file("table", frame, path)
    records = [{key: json_format.json_value(value) for key, value in row.items()} for row in frame.to_dict("records")]
    assert path.read_bytes() == (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
