"""Markdown decorations that PDF-to-Markdown converters put on a line, taken off before the parser reads it.

A converter may write a meeting heading as an ATX heading (`## I. …`), set all or part of it in emphasis (`**…**`,
`__…__`, `*…*`) and end it with a footnote mark (`*`, `**`, superscript digits, `[1]`, `[^1]`, `<sup>1</sup>`); it may
set a paragraph's number or a subparagraph's letter in bold (`**12.**`, `- **a)**`), and mark a page break with a
thematic break (`---`). The parser reads every body line through undecorate(), so none of this reaches `text`.
Asterisks are never text in the body of a UN document; underscores inside a word (`a_b`) are kept.
"""

from __future__ import annotations

import re

THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
ATX_OPEN = re.compile(r"^ {0,3}#{1,6}(?=[ \t]|$)[ \t]*")
ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
NOTE_REFERENCE = re.compile(r"\[\^[^\]\s]+\]")
ASTERISKS = re.compile(r"\*+")
EMPHASIS_UNDERSCORES = re.compile(r"(?<!\w)_+|_+(?!\w)")
TRAILING_MARK = re.compile(r"(?<=\S)[ \t]*(?:[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\[\d{1,3}\]|<sup>[^<]{1,3}</sup>)[ \t]*$")


def undecorate(line: str) -> str:
    """The line without Markdown headings, emphasis, footnote marks and thematic breaks; other text untouched."""
    if THEMATIC_BREAK.match(line):
        return ""
    text, heading = ATX_OPEN.subn("", line, count=1)
    if heading:
        text = ATX_CLOSE.sub("", text)
    text = NOTE_REFERENCE.sub("", text)
    text = ASTERISKS.sub("", text)
    text = EMPHASIS_UNDERSCORES.sub("", text)
    return TRAILING_MARK.sub("", text)
