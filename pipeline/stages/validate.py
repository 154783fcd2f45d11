"""Validate stage: check the tables' structure and research columns, and that nothing of the source was lost.

The package written from the tables is checked by the publish stage (pipeline/publish/check.py)."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from pipeline.errors import CheckError
from pipeline.schema import field_spec, item_pattern, list_fields
from pipeline.stages.extract import Line, Source
from pipeline.stages.tabulate import Tables, paragraph_id

# Independent of the parser on purpose: the conservation check must not share its mistakes.
HEADING_LINE = re.compile(r"^\s*[IVXLCDM]+\.\s")
MARKER = re.compile(r"^\s*(?:[-–—•]\s*)?(?:\d+\.|[^\W\d_]\))\s+")
# Markdown decorations a converter may add, which row texts leave out; pipeline.stages.markdown says which.
DECORATIONS = (
    (re.compile(r"^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$"), ""),  # a thematic break
    (re.compile(r"^\s*#+(?:\s+(.*?))??(?:\s+#+)?\s*$"), r"\1"),  # an ATX heading, with any closing #s
    (re.compile(r"\[\^[^\]\s]+\]|\*"), ""),  # footnote references, and every asterisk
    (re.compile(r"(?<!\w)_+|_+(?!\w)"), ""),  # underscores but those between two word characters
    (re.compile(r"(?<=\S)\s*(?:[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\[[0-9]+\]|<sup>[^<]*</sup>)\s*$"), ""),  # a trailing footnote mark
)


def validate(tables: Tables, source: Source) -> int:
    """Validate stage: structure of both tables and conservation of the source body; returns body lines checked."""
    meetings, recommendations = _records(tables.meetings), _records(tables.recommendations)  # converted once
    check_meetings(meetings)
    check_recommendations(recommendations, meetings)
    check_research_columns(recommendations)
    check_themes(recommendations, tables.themes)
    check_pages(tables, source)
    return check_conservation(tables, source)


def fail(where: str, message: str, line: int | None = None) -> CheckError:
    return CheckError(where, message, line=line)


Rows = pd.DataFrame | list[dict]


def _records(table: Rows) -> list[dict]:
    """Rows as plain dicts with None for missing values (pandas row access is too slow for per-row checks); rows
    already converted are returned as they are."""
    if isinstance(table, list):
        return table
    return [{k: (None if v is pd.NA else v) for k, v in row.items()} for row in table.to_dict("records")]


def check_meetings(meetings: Rows) -> None:
    rows = _records(meetings)
    if not rows:
        raise fail("meetings", "expected at least one meeting, found none")
    numbers = [row["meeting"] for row in rows]
    if numbers != list(range(1, len(rows) + 1)):
        raise fail("meetings", f"expected meetings numbered 1..{len(rows)} in order, found {numbers}")
    previous_end = None
    for row in rows:
        number, start, end = row["meeting"], row["meeting_start"], row["meeting_end"]
        if start > end:
            raise fail("meetings", f"expected meeting {number} to start on or before its end, found {start} > {end}")
        if previous_end is not None and start <= previous_end:
            raise fail("meetings", f"expected meeting {number} to start after {previous_end}, found {start}")
        if row["year"] != start.year:
            raise fail("meetings", f"expected year {start.year} for meeting {number}, found {row['year']}")
        if row["paragraphs"] < 1:
            raise fail("meetings", f"expected paragraphs in meeting {number}, found {row['paragraphs']}")
        previous_end = end


def check_recommendations(recommendations: Rows, meetings: Rows) -> None:
    rows, meetings = _records(recommendations), _records(meetings)
    seqs = [row["seq"] for row in rows]
    if seqs != list(range(1, len(rows) + 1)):
        raise fail("recommendations", f"expected seq 1..{len(rows)} in row order, found {seqs[:5]}…")
    by_meeting: dict[int, list[dict]] = {}
    for row in rows:
        by_meeting.setdefault(row["meeting"], []).append(row)
    for info in meetings:
        meeting = info["meeting"]
        _check_meeting_rows(meeting, by_meeting.get(meeting, []), info)
    if unknown := set(by_meeting) - {info["meeting"] for info in meetings}:
        raise fail("recommendations", f"expected meetings listed in the meetings table, found meeting {min(unknown)}")


def _check_meeting_rows(meeting: int, rows: list[dict], info: dict) -> None:
    for column in ("meeting_start", "meeting_end", "year"):
        if found := {row[column] for row in rows} - {info[column]}:
            raise fail("recommendations", f"expected {column} {info[column]} for meeting {meeting}, found {sorted(found)[0]}")
    paragraphs = [row for row in rows if row["kind"] != "subparagraph"]
    subs = [row for row in rows if row["kind"] == "subparagraph"]
    numbers = [row["number"] for row in paragraphs]
    if not numbers:
        raise fail("recommendations", f"expected paragraphs for meeting {meeting}, found none")
    if numbers != list(range(1, len(numbers) + 1)):
        gap = next(i for i, n in enumerate(numbers, start=1) if n != i)
        raise fail("recommendations", f"expected paragraph {gap} of meeting {meeting}, found {numbers[gap - 1]}")
    if len(paragraphs) != info["paragraphs"] or len(subs) != info["subparagraphs"]:
        raise fail("meetings", f"expected {len(paragraphs)} paragraphs and {len(subs)} subparagraphs for meeting {meeting}, found {info['paragraphs']} and {info['subparagraphs']}")
    subs_of: dict[int, list[dict]] = {}
    for sub in subs:
        subs_of.setdefault(sub["number"], []).append(sub)
    for row in paragraphs:
        _check_paragraph(meeting, row, subs_of.get(row["number"], []))


def _check_paragraph(meeting: int, row: dict, subs: list[dict]) -> None:
    rid = paragraph_id(meeting, row["number"])
    if row["id"] != rid or row["sub_letter"] is not None or row["full_text"] != row["text"]:
        raise fail("recommendations", f"expected paragraph {rid} with no letter and full_text equal to text, found id {row['id']}")
    if (row["kind"] == "chapeau") != bool(subs):
        raise fail("recommendations", f"expected {rid} to be a chapeau exactly when it has subparagraphs, found kind {row['kind']} with {len(subs)}")
    letters = [sub["sub_letter"] for sub in subs]
    expected = [chr(ord("a") + i) for i in range(len(letters))]
    if letters != expected:
        raise fail("recommendations", f"expected subparagraphs {''.join(expected)} under {rid}, found {''.join(map(str, letters))}")
    for offset, sub in enumerate(subs, start=1):
        if sub["id"] != f"{rid}.{sub['sub_letter']}" or sub["full_text"] != f"{row['text']} {sub['text']}":
            raise fail("recommendations", f"expected {rid}.{sub['sub_letter']} with full_text = chapeau + text, found id {sub['id']}")
        if sub["seq"] != row["seq"] + offset:
            raise fail("recommendations", f"expected {sub['id']} right after its chapeau and earlier letters, found seq {sub['seq']}")


def check_research_columns(recommendations: Rows) -> None:
    """List items match their schema pattern (frictionless cannot check them in Parquet), references point at
    other rows, subparagraphs share their chapeau's addressee, and eid follows from the id."""
    rows = _records(recommendations)
    by_id = {row["id"]: row for row in rows}
    for name in list_fields("recommendations"):
        pattern = item_pattern(field_spec("recommendations", name))
        item = re.compile(pattern)
        for row in rows:
            value = row[name]
            if not isinstance(value, list) or not all(isinstance(i, str) and item.fullmatch(i) for i in value):
                raise fail("recommendations", f"expected {name} of {row['id']} to be a list of items matching {pattern}, found {value!r}")
    for row in rows:
        for target in row["refers_to"]:
            if target not in by_id or target == row["id"]:
                raise fail("recommendations", f"expected refers_to of {row['id']} to name another recommendation, found {target}")
        eid = f"meeting_{row['meeting']}__para_{row['number']}"
        if row["kind"] == "subparagraph":
            eid += f"__list_1__point_{row['sub_letter']}"
            chapeau = by_id[paragraph_id(row["meeting"], row["number"])]
            if row["addressee"] != chapeau["addressee"]:
                raise fail("recommendations", f"expected {row['id']} to share the addressee of its chapeau, {chapeau['addressee']}, found {row['addressee']}")
        if row["eid"] != eid:
            raise fail("recommendations", f"expected eid {eid} for {row['id']}, found {row['eid']}")


def check_themes(recommendations: Rows, themes: pd.DataFrame) -> None:
    """The themes table lists the schema's themes with their unit counts; a chapeau has its subparagraphs' themes
    and groups; a unit's SDG targets are those of its themes."""
    enum = field_spec("recommendations", "themes")["arrayItem"]
    if themes["code"].tolist() != enum["constraints"]["enum"]:
        raise fail("themes", f"expected the schema's themes in its order, found {themes['code'].tolist()}")
    targets = dict(zip(themes["code"], themes["sdg_targets"]))
    rows = _records(recommendations)
    by_id = {row["id"]: row for row in rows}
    counted = Counter(code for row in rows for code in set(row["themes"]))
    for code, units in zip(themes["code"], themes["units"]):
        if units != counted[code]:
            raise fail("themes", f"expected units of {code} to count the recommendations with it, found {units}")
    for row in rows:
        _check_unit_themes(row, by_id, targets)


def _check_unit_themes(row: dict, by_id: dict, targets: dict) -> None:
    expected = {target for code in row["themes"] for target in targets[code]}
    if set(row["sdg_targets"]) != expected:
        raise fail("recommendations", f"expected sdg_targets of {row['id']} to be those of its themes, "
                                      f"{sorted(expected)}, found {row['sdg_targets']}")
    if row["kind"] == "subparagraph":
        chapeau = by_id[paragraph_id(row["meeting"], row["number"])]
        for column in ("themes", "groups"):
            if missing := set(row[column]) - set(chapeau[column]):
                raise fail("recommendations", f"expected chapeau {chapeau['id']} to have the {column} of "
                                              f"{row['id']}, found it without {', '.join(sorted(missing))}")


def check_pages(tables: Tables, source: Source) -> None:
    """From a PDF every row and heading has its page, in document order; from a text, none has one."""
    for table, column in (("recommendations", "page"), ("meetings", "heading_page")):
        pages = getattr(tables, table)[column].tolist()
        if source.pages is None:
            if found := next((p for p in pages if not pd.isna(p)), None):
                raise fail(table, f"expected no {column} for a text source, found {found}")
            continue
        if any(pd.isna(p) or not 1 <= p <= source.pages for p in pages):
            raise fail(table, f"expected every {column} between 1 and {source.pages}, found {pages}")
        if pages != sorted(pages):
            raise fail(table, f"expected {column} never to decrease in document order, found {pages}")


def check_conservation(tables: Tables, source: Source) -> int:
    """Every non-blank body line belongs to exactly one heading or row, and the row texts rebuild the body."""
    where = str(source.path)
    body_start = int(tables.meetings["heading_line"].min())
    body = [Line(line.number, without_decorations(line.text)) for line in source.lines if line.number >= body_start]
    body = [line for line in body if line.text.strip()]
    claims: Counter[int] = Counter(int(n) for n in tables.meetings["heading_line"])
    nonblank = {line.number for line in body}
    for start, end in zip(tables.recommendations["line_start"], tables.recommendations["line_end"]):
        claims.update(n for n in range(int(start), int(end) + 1) if n in nonblank)
    for line in body:
        if claims[line.number] != 1:
            state = "no heading or row" if claims[line.number] == 0 else f"{claims[line.number]} rows"
            raise fail(where, f"expected the line to belong to exactly one heading or row, found {state}", line.number)
    if extra := sorted(set(claims) - nonblank):
        raise fail(where, "expected a heading or row to start on a non-blank body line, found a blank or missing line", extra[0])
    _check_text_conservation(tables, body, where)
    return len(body)


def without_decorations(text: str) -> str:
    for pattern, replacement in DECORATIONS:
        text = pattern.sub(replacement, text)
    return text


def _check_text_conservation(tables: Tables, body, where: str) -> None:
    expected = " ".join(
        MARKER.sub("", line.text, count=1) for line in body if not HEADING_LINE.match(line.text)
    )
    expected = " ".join(expected.split())
    found = " ".join(tables.recommendations.sort_values("seq")["text"].tolist())
    if found != expected:
        at = next((i for i, (a, b) in enumerate(zip(expected, found)) if a != b), min(len(expected), len(found)))
        raise fail(
            where,
            f"expected the row texts to rebuild the body text, found a difference at character {at}: "
            f"body {expected[at - 20:at + 40]!r} vs rows {found[at - 20:at + 40]!r}",
        )
