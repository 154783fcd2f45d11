"""Validate stage: check the tables' structure, that nothing of the source was lost, and the written package."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import frictionless
import pandas as pd

from pipeline.errors import CheckError
from pipeline.extract import Source
from pipeline.tabulate import Tables

# Independent of the parser on purpose: the conservation check must not share its mistakes.
HEADING_LINE = re.compile(r"^\s*[IVXLC]+\.\s")
MARKER = re.compile(r"^\s*(?:[-–—•]\s*)?(?:\d+\.|[^\W\d_]\))\s+")


def validate(tables: Tables, source: Source) -> int:
    """Validate stage: structure of both tables and conservation of the source body; returns body lines checked."""
    check_meetings(tables.meetings)
    check_recommendations(tables.recommendations, tables.meetings)
    return check_conservation(tables, source)


def fail(where: str, message: str, line: int | None = None) -> CheckError:
    return CheckError(where, message, line=line)


def check_meetings(meetings: pd.DataFrame) -> None:
    if meetings.empty:
        raise fail("meetings", "expected at least one meeting, found none")
    numbers = meetings["meeting"].tolist()
    if numbers != list(range(1, len(numbers) + 1)):
        raise fail("meetings", f"expected meetings numbered 1..{len(numbers)} in order, found {numbers}")
    previous_end = None
    for row in meetings.itertuples():
        if row.meeting_start > row.meeting_end:
            raise fail("meetings", f"expected meeting {row.meeting} to start on or before its end, found {row.meeting_start} > {row.meeting_end}")
        if previous_end is not None and row.meeting_start <= previous_end:
            raise fail("meetings", f"expected meeting {row.meeting} to start after {previous_end}, found {row.meeting_start}")
        if row.year != row.meeting_start.year:
            raise fail("meetings", f"expected year {row.meeting_start.year} for meeting {row.meeting}, found {row.year}")
        if row.paragraphs < 1:
            raise fail("meetings", f"expected paragraphs in meeting {row.meeting}, found {row.paragraphs}")
        previous_end = row.meeting_end


def check_recommendations(recs: pd.DataFrame, meetings: pd.DataFrame) -> None:
    seqs = recs["seq"].tolist()
    if seqs != list(range(1, len(recs) + 1)):
        raise fail("recommendations", f"expected seq 1..{len(recs)} in row order, found {seqs[:5]}…")
    by_meeting = meetings.set_index("meeting")
    for meeting, group in recs.groupby("meeting", sort=True):
        if meeting not in by_meeting.index:
            raise fail("recommendations", f"expected meeting {meeting} in the meetings table, found none")
        _check_meeting_rows(int(meeting), group, by_meeting.loc[meeting])
    for meeting in by_meeting.index.difference(recs["meeting"].unique()):
        raise fail("recommendations", f"expected rows for meeting {meeting}, found none")


def _check_meeting_rows(meeting: int, rows: pd.DataFrame, info: pd.Series) -> None:
    for column in ("meeting_start", "meeting_end", "year"):
        if set(rows[column]) != {info[column]}:
            raise fail("recommendations", f"expected {column} {info[column]} for meeting {meeting}, found {sorted(set(rows[column]))}")
    paragraphs = rows[rows["kind"] != "subparagraph"]
    numbers = paragraphs["number"].tolist()
    if numbers != list(range(1, len(numbers) + 1)):
        gap = next(i for i, n in enumerate(numbers, start=1) if n != i)
        raise fail("recommendations", f"expected paragraph {gap} of meeting {meeting}, found {numbers[gap - 1]}")
    subs = rows[rows["kind"] == "subparagraph"]
    if len(paragraphs) != info["paragraphs"] or len(subs) != info["subparagraphs"]:
        raise fail("meetings", f"expected {len(paragraphs)} paragraphs and {len(subs)} subparagraphs for meeting {meeting}, found {info['paragraphs']} and {info['subparagraphs']}")
    for row in paragraphs.itertuples():
        _check_paragraph(meeting, row, subs[subs["number"] == row.number])


def _check_paragraph(meeting: int, row, subs: pd.DataFrame) -> None:
    rid = f"{meeting}.{row.number}"
    if row.id != rid or not pd.isna(row.sub_letter) or row.full_text != row.text:
        raise fail("recommendations", f"expected paragraph {rid} with no letter and full_text equal to text, found id {row.id}")
    if (row.kind == "chapeau") != (len(subs) > 0):
        raise fail("recommendations", f"expected {rid} to be a chapeau exactly when it has subparagraphs, found kind {row.kind} with {len(subs)}")
    letters = subs["sub_letter"].tolist()
    expected = [chr(ord("a") + i) for i in range(len(letters))]
    if letters != expected:
        raise fail("recommendations", f"expected subparagraphs {''.join(expected)} under {rid}, found {''.join(letters)}")
    for sub in subs.itertuples():
        if sub.id != f"{rid}.{sub.sub_letter}" or sub.full_text != f"{row.text} {sub.text}":
            raise fail("recommendations", f"expected {rid}.{sub.sub_letter} with full_text = chapeau + text, found id {sub.id}")
        if sub.seq <= row.seq:
            raise fail("recommendations", f"expected {sub.id} after its chapeau, found seq {sub.seq} ≤ {row.seq}")


def check_conservation(tables: Tables, source: Source) -> int:
    """Every non-blank body line belongs to exactly one heading or row, and the row texts rebuild the body."""
    where = str(source.path)
    body_start = int(tables.meetings["heading_line"].min())
    body = [line for line in source.lines if line.number >= body_start and line.text.strip()]
    claims: Counter[int] = Counter(int(n) for n in tables.meetings["heading_line"])
    nonblank = {line.number for line in body}
    for row in tables.recommendations.itertuples():
        claims.update(n for n in range(row.line_start, row.line_end + 1) if n in nonblank)
    for line in body:
        if claims[line.number] != 1:
            state = "no heading or row" if claims[line.number] == 0 else f"{claims[line.number]} rows"
            raise fail(where, f"expected the line to belong to exactly one heading or row, found {state}", line.number)
    if extra := sorted(set(claims) - nonblank):
        raise fail(where, "expected a heading or row to start on a non-blank body line, found a blank or missing line", extra[0])
    _check_text_conservation(tables, body, where)
    return len(body)


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


def validate_package(folder: Path) -> None:
    """Check every file's bytes and sha256, then validate the whole package with frictionless."""
    descriptor_path = folder / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        _check_file_integrity(folder, resource)
    report = frictionless.validate(str(descriptor_path))
    if not report.valid:
        raise fail(str(descriptor_path), f"expected a valid data package, found: {_first_error(report)}")


def _check_file_integrity(folder: Path, resource: dict) -> None:
    path = folder / resource["path"]
    data = path.read_bytes()
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    expected_bytes = resource.get("bytes", len(data))
    if len(data) != expected_bytes or digest != resource["hash"]:
        raise fail(str(path), f"expected {expected_bytes} bytes with hash {resource['hash']}, found {len(data)} bytes with {digest}")


def _first_error(report: frictionless.Report) -> str:
    for error in report.errors:
        return f"{error.type}: {error.message}"
    for task in report.tasks:
        for error in task.errors:
            where = f"{task.name}" + (f" row {error.row_number}" if getattr(error, "row_number", None) else "")
            return f"{where}: {error.type}: {error.message}"
    return "unknown error"
