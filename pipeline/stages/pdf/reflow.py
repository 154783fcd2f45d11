"""Extract stage, PDF part: physical lines reflowed into paragraphs, one text line each, blocks apart.

A physical line continues the line before it when that line was full (the next line's first word would not have
fitted after it), the font is the same, the vertical gap is an ordinary line gap or a page break, the line starts
where the paragraph's earlier continuation lines start, and it does not open with a marker ("12.", "a)") set off by a
tab-like gap; it is joined with one space, or across a line-end hyphen as pipeline.stages.pdf.hyphenation decides. A
wider gap or a change of font starts a new block, written after a blank line; a bold block in a font larger than the
body is wrapped in ** as the text sources write it.
"""

from __future__ import annotations

import re

from pipeline.stages.pdf.furniture import SIZE_TOLERANCE
from pipeline.stages.pdf.hyphenation import Hyphens, ends_in_hyphen
from pipeline.stages.pdf.segments import Segment

EDGE_LINES = 5  # a right edge is where at least this many lines end
EDGE_SPREAD = 0.1  # within this many font sizes of each other
MARKER = re.compile(r"^(?:\d{1,3}\.|[IVXLC]{1,7}\.|\(?[^\W\d_]\))$")


def text_lines(lines: list[Segment], body_size: float, block_gap: float,
               hyphens: Hyphens) -> list[tuple[str, int | None]]:
    """The text of the document as (line, page) pairs: one line per paragraph, a blank line between blocks."""
    if not lines:
        return []
    right_edge = right_edges(lines, body_size)
    blocks: list[list[list]] = []  # each block: lines as [text, page, bold, size]
    previous: Segment | None = None
    step = "block"
    for line in lines:
        step = "block" if previous is None else \
            next_step(previous, line, right_edge, step == "join", block_gap)
        if step == "block":
            blocks.append([[line.text, line.page, line.bold, line.size]])
        elif step == "line":
            blocks[-1].append([line.text, line.page, line.bold, line.size])
        else:
            current = blocks[-1][-1]
            current[0] = hyphens.join(current[0], line.text, previous.page)
        if step != "join" and previous is not None:
            hyphens.ended(blocks[-2][-1][0] if step == "block" else blocks[-1][-2][0])
        previous = line
    hyphens.ended(blocks[-1][-1][0])
    out: list[tuple[str, int | None]] = []
    for block in blocks:
        if out:
            out.append(("", block[0][1]))
        texts = [text for text, _, _, _ in block]
        if all(bold for _, _, bold, _ in block) and min(size for *_, size in block) > body_size + SIZE_TOLERANCE:
            texts[0], texts[-1] = "**" + texts[0], texts[-1] + "**"
        out.extend((text, line[1]) for text, line in zip(texts, block))
    return out


def next_step(previous: Segment, line: Segment, right_edge: dict[int, list[float]], previous_joined: bool,
              block_gap: float) -> str:
    """How `line` follows `previous`: "join" the same paragraph, a new "line" of a block, or a new "block".

    `previous_joined` tells that `previous` itself continued a paragraph: then a line that starts elsewhere than
    `previous` (the paragraph's text column) on the same page is not a continuation either.
    """
    if line.column_start or line.bold != previous.bold or abs(line.size - previous.size) > SIZE_TOLERANCE:
        return "block"
    same_page = line.page == previous.page
    if same_page and line.top - previous.bottom > block_gap:
        return "block"
    edge = column_edge(right_edge[previous.page % 2], previous.x1, line.size)
    full = previous.x1 + 0.25 * line.size + line.first_width > edge - 0.5
    aligned = not (same_page and previous_joined and abs(line.x0 - previous.x0) > 0.1 * line.size)
    if (full or breaks_a_word(previous, line)) and aligned and not opens_with_marker(line):
        return "join"
    return "line" if same_page else "block"


def right_edges(lines: list[Segment], body_size: float) -> dict[int, list[float]]:
    """The right edges of the text columns of body text on odd and on even pages, from left to right.

    An edge is where at least EDGE_LINES lines end within EDGE_SPREAD of each other (taken at the third largest
    end of the group, so that a line or two that stick out do not move it); justified lines all end at their
    column's edge. The widest edge of a side is its margin, as before; a side with too few lines uses both sides'.
    """
    ends: dict[int, list[float]] = {0: [], 1: []}
    for line in lines:
        if abs(line.size - body_size) < SIZE_TOLERANCE:
            ends[line.page % 2].append(line.x1)
    every = sorted(ends[0] + ends[1] or [line.x1 for line in lines])
    edges = {}
    for parity, values in ends.items():
        values = sorted(values) if len(values) >= 3 else every  # too few lines on one side: use both
        margin = values[-min(3, len(values))]
        groups: list[list[float]] = []
        for value in values:
            if groups and value - groups[-1][-1] <= EDGE_SPREAD * body_size:
                groups[-1].append(value)
            else:
                groups.append([value])
        found = [group[-min(3, len(group))] for group in groups
                 if len(group) >= EDGE_LINES and group[-min(3, len(group))] < margin - body_size]
        edges[parity] = found + [margin]
    return edges


def column_edge(edges: list[float], end: float, size: float) -> float:
    """The right edge of the column a line that ends at `end` belongs to: the nearest edge at or beyond its end."""
    return next((edge for edge in edges if edge >= end - 0.5 * size), edges[-1])


def breaks_a_word(previous: Segment, line: Segment) -> bool:
    """`previous` ends in a letter and a hyphen and `line` starts with a lower-case letter: a broken word."""
    return ends_in_hyphen(previous.text) is not None and line.text[:1].islower()


def opens_with_marker(line: Segment) -> bool:
    """The line starts with "12.", "IV." or "a)" set off by a tab, not a space.

    A tab leaves a wide gap that differs from the line's word spaces, which are all alike on a justified or a
    ragged line (however wide justification makes them), so it shows as the odd one out.
    """
    gap = line.first_gap
    if gap is None or gap < 0.8 * line.size or not MARKER.match(line.text.partition(" ")[0]):
        return False
    if line.gaps_low is None:
        return True
    low, high = line.gaps_low, line.gaps_high
    if high - low <= 0.05 * line.size:
        return abs(gap - (low + high) / 2) > 0.05 * line.size
    return gap > 1.5 * high
