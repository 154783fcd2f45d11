"""Extract stage, PDF part: a page's characters grouped into physical lines, then into words and segments."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from pipeline.errors import SourceError
from pipeline.stages.pdf.segments import Segment, make_segment

BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)
WORD_GAP = 0.15  # a horizontal gap wider than this many font sizes separates words
SEGMENT_GAP = 4.0  # and one wider than this many font sizes separates segments of a line
LINE_SPREAD = 0.35  # characters whose middles are within this many font sizes stand on one line
SUPERSCRIPT_SIZE = 0.85  # a footnote mark is set at most this share of its line's size
SUPERSCRIPT_RISE = 0.15  # and its foot stands at least this many of the line's sizes above the line's foot
MARK_LENGTH = 3  # and is at most this many characters long

# A character as pass 1 keeps it: middle (from the page top), x0, x1, size, text, font, top, bottom (from the top).
MID, X0, X1, SIZE, TEXT, FONT, TOP, BOTTOM = range(8)


def page_segments(path: Path, page_number: int, left: float, top: float, chars: list) -> list[Segment]:
    """Group a page's characters (pdfminer LTChar) into physical lines, then into words and segments."""
    records = sorted(
        ((top - (c.y0 + c.y1) / 2, c.x0 - left, c.x1 - left, c.size, c.get_text(), c.fontname, top - c.y1,
          top - c.y0) for c in chars),
        key=itemgetter(MID),
    )
    unmapped = next((r[TEXT] for r in records if r[TEXT].startswith("(cid:")), None)
    if unmapped:
        raise SourceError(path, f"expected characters with a Unicode mapping, found glyph numbers such as "
                                f"{unmapped} (a font without a ToUnicode map); the text cannot be read",
                          page=page_number)
    out: list[Segment] = []
    line: list[tuple] = []
    line_mid = 0.0
    row = 0
    for record in records:
        if line and record[MID] - line_mid > LINE_SPREAD * max(record[SIZE], line[0][SIZE]):
            out.extend(line_segments(page_number, row, line))
            row += 1
            line = []
        if not line:
            line_mid = record[MID]
        line.append(record)
    if line:
        out.extend(line_segments(page_number, row, line))
    return out


def superscripts(line: list[tuple]) -> set[int]:
    """Indexes of the characters of a line (in x order) that are footnote marks: runs of at most MARK_LENGTH
    characters raised above the line in a smaller size, right after a character of the line. A longer run, or one
    after a gap, is text set beside the line (a column)."""
    sizes = Counter(round(r[SIZE], 1) for r in line if not r[TEXT].isspace())
    if len(sizes) < 2:
        return set()
    main = sizes.most_common(1)[0][0]
    foot = max(r[BOTTOM] for r in line if round(r[SIZE], 1) == main)
    raised = [not r[TEXT].isspace() and r[SIZE] <= SUPERSCRIPT_SIZE * main
              and r[BOTTOM] < foot - SUPERSCRIPT_RISE * main for r in line]
    marks: set[int] = set()
    start = 0
    for index in range(len(line) + 1):
        if index < len(line) and raised[index]:
            continue
        if 0 < index - start <= MARK_LENGTH and start > 0 and not line[start - 1][TEXT].isspace() \
                and line[start][X0] - line[start - 1][X1] <= WORD_GAP * main:
            marks.update(range(start, index))
        start = index + 1
    return marks


def line_segments(page_number: int, row: int, line: list[tuple]) -> list[Segment]:
    """Split one physical line into words (at spaces and gaps) and segments (at wide gaps); drop footnote marks.

    A dropped mark still extends the word it follows, so that the punctuation after it does not stand apart.
    """
    line.sort(key=itemgetter(X0))
    marks = superscripts(line)
    kept = [r for i, r in enumerate(line) if i not in marks] or line
    top, bottom = min(r[TOP] for r in kept), max(r[BOTTOM] for r in kept)
    segments: list[Segment] = []
    words: list[tuple[str, float, float]] = []
    word: list[str] = []
    word_x0 = word_x1 = 0.0
    sizes: Counter[float] = Counter()
    bold = 0
    for index, (_, x0, x1, size, text, fontname, _, _) in enumerate(line):
        if text.isspace():
            if word:
                words.append(("".join(word), word_x0, word_x1))
                word = []
            continue
        end = word_x1 if word else (words[-1][2] if words else x0)
        gap = x0 - end
        if index in marks:
            if word and gap <= WORD_GAP * size:
                word_x1 = x1
            continue
        if word and gap > WORD_GAP * size:
            words.append(("".join(word), word_x0, word_x1))
            word = []
        if words and gap > SEGMENT_GAP * size:
            segments.append(make_segment(page_number, row, top, bottom, sizes, bold, words))
            words, sizes, bold = [], Counter(), 0
        if not word:
            word_x0 = x0
        word.append(text)
        word_x1 = x1
        sizes[round(size, 1)] += 1
        bold += is_bold(fontname)
    if word:
        words.append(("".join(word), word_x0, word_x1))
    if words:
        segments.append(make_segment(page_number, row, top, bottom, sizes, bold, words))
    return segments


@lru_cache(maxsize=256)
def is_bold(fontname: str) -> bool:
    return bool(BOLD_FONT.search(fontname.partition("+")[2] or fontname))
