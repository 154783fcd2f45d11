"""Tabulate stage: turn the document structure into typed recommendation and meeting tables."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.schema import TABLES, pandas_dtypes
from pipeline.stages.parse import Document, Meeting, Paragraph, Unit


@dataclass(frozen=True)
class Tables:
    """One frame per table of the package, its attributes named as schema.TABLES names them."""

    recommendations: pd.DataFrame
    meetings: pd.DataFrame
    themes: pd.DataFrame
    codes: pd.DataFrame

    def items(self) -> tuple[tuple[str, pd.DataFrame], ...]:
        """(table, frame) for every table, in the order of schema.TABLES."""
        return tuple((table, getattr(self, table)) for table in TABLES)


def paragraph_id(meeting: int, number: int) -> str:
    """The id of paragraph `number` of `meeting`: of a paragraph, or of the chapeau of its subparagraphs."""
    return f"{meeting}.{number}"


def tabulate(document: Document) -> Tables:
    """Tabulate stage: one row per paragraph and subparagraph, one row per meeting.

    The research columns (addressee, modality, strength, cites, refers_to, themes, groups, sdg_targets), the
    themes table and the codes table are left empty for the classify stage.
    """
    rows = []
    for meeting in document.meetings:
        for paragraph in meeting.paragraphs:
            rows.append(_paragraph_row(meeting, paragraph))
            for sub in paragraph.subparagraphs:
                rows.append(_subparagraph_row(meeting, paragraph, sub))
    for seq, row in enumerate(rows, start=1):
        row["seq"] = seq
    meetings = [_meeting_row(meeting) for meeting in document.meetings]
    return Tables(_frame("recommendations", rows), _frame("meetings", meetings), _frame("themes", []),
                  _frame("codes", []))


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """The rows as a frame with the schema's columns and dtypes, built column by column (a third of the time that
    building it from the records and then converting its types takes)."""
    return pd.DataFrame({name: _column([row.get(name) for row in rows], dtype)
                         for name, dtype in pandas_dtypes(table).items()})


def _column(values: list, dtype: str) -> pd.Series | pd.api.extensions.ExtensionArray:
    return pd.Series(values, dtype=object) if dtype == "object" else pd.array(values, dtype=dtype)


def _meeting_columns(meeting: Meeting) -> dict:
    return {
        "meeting": meeting.number,
        "meeting_start": meeting.start,
        "meeting_end": meeting.end,
        "year": meeting.start.year,
    }


def _unit_columns(unit: Unit) -> dict:
    return {"line_start": unit.lines[0], "line_end": unit.lines[-1], "page": unit.page}


def _paragraph_row(meeting: Meeting, paragraph: Paragraph) -> dict:
    return {
        "id": paragraph_id(meeting.number, paragraph.number),
        **_meeting_columns(meeting),
        "number": paragraph.number,
        "sub_letter": None,
        "kind": "chapeau" if paragraph.subparagraphs else "paragraph",
        "text": paragraph.text,
        "full_text": paragraph.text,
        "eid": _eid(meeting, paragraph),
        **_unit_columns(paragraph),
    }


def _subparagraph_row(meeting: Meeting, paragraph: Paragraph, sub) -> dict:
    return {
        "id": f"{paragraph_id(meeting.number, paragraph.number)}.{sub.letter}",
        **_meeting_columns(meeting),
        "number": paragraph.number,
        "sub_letter": sub.letter,
        "kind": "subparagraph",
        "text": sub.text,
        "full_text": f"{paragraph.text} {sub.text}",
        "eid": _eid(meeting, paragraph, sub),
        **_unit_columns(sub),
    }


def _eid(meeting: Meeting, paragraph: Paragraph, sub=None) -> str:
    """Element identifier under the AKN4UN naming convention; a chapeau takes its paragraph's."""
    eid = f"meeting_{meeting.number}__para_{paragraph.number}"
    return f"{eid}__list_1__point_{sub.letter}" if sub is not None else eid


def _meeting_row(meeting: Meeting) -> dict:
    return {
        **_meeting_columns(meeting),
        "roman": meeting.roman,
        "name": meeting.name,
        "place": meeting.place,
        "paragraphs": len(meeting.paragraphs),
        "subparagraphs": sum(len(p.subparagraphs) for p in meeting.paragraphs),
        "heading_line": meeting.heading_line,
        "heading_page": meeting.heading_page,
    }
