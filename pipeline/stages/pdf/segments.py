"""Segments: the words of one physical line of a page, or of one side of it when a wide gap splits the line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(slots=True)
class Segment:
    """A piece of a physical line, in little space.

    Only what the later passes need is kept: the text (words joined by one space), where it starts and ends, how
    wide its first word is, and the gap after that word compared with the line's other gaps (for tab-set markers).
    """

    page: int
    row: int  # index of the physical line on its page, from the top
    top: float
    bottom: float
    size: float
    bold: bool
    chars: int
    text: str
    x0: float
    x1: float
    first_width: float
    first_gap: float | None  # gap after the first word; None for a single word
    gaps_low: float | None  # smallest and largest of the other gaps; None when there are none
    gaps_high: float | None
    column_start: bool = False


def make_segment(page: int, row: int, top: float, bottom: float, sizes: Counter, bold: int,
                 words: list[tuple[str, float, float]]) -> Segment:
    """A segment from its words as (text, x0, x1), the character count of each size and how many are bold."""
    gaps = [b[1] - a[2] for a, b in zip(words, words[1:])]
    others = gaps[1:]
    chars = sum(sizes.values())
    return Segment(page, row, top, bottom, sizes.most_common(1)[0][0], bold * 2 > chars, chars,
                   " ".join(w for w, _, _ in words), words[0][1], words[-1][2], words[0][2] - words[0][1],
                   gaps[0] if gaps else None, min(others) if others else None, max(others) if others else None)


def merge(row: list[Segment]) -> Segment:
    """One line from the segments of a row that is not split into columns."""
    if len(row) == 1:
        return row[0]
    first = row[0]
    between = [b.x0 - a.x1 for a, b in zip(row, row[1:])]
    if first.first_gap is None:
        first_gap, others = between[0], between[1:]
    else:
        first_gap, others = first.first_gap, between + [g for g in (first.gaps_low, first.gaps_high) if g is not None]
    for s in row[1:]:
        others += [g for g in (s.first_gap, s.gaps_low, s.gaps_high) if g is not None]
    sizes: Counter[float] = Counter()
    bold = 0
    for s in row:
        sizes[s.size] += s.chars
        bold += s.chars if s.bold else 0
    chars = sum(sizes.values())
    return Segment(first.page, first.row, min(s.top for s in row), max(s.bottom for s in row),
                   sizes.most_common(1)[0][0], bold * 2 > chars, chars, " ".join(s.text for s in row),
                   first.x0, row[-1].x1, first.first_width, first_gap,
                   min(others) if others else None, max(others) if others else None)
