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
from pipeline.stages.pdf.hyphenation import Hyphens
from pipeline.stages.pdf.segments import Segment

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
            current[0] = hyphens.join(current[0], line.text)
        previous = line
    out: list[tuple[str, int | None]] = []
    for block in blocks:
        if out:
            out.append(("", block[0][1]))
        texts = [text for text, _, _, _ in block]
        if all(bold for _, _, bold, _ in block) and min(size for *_, size in block) > body_size + SIZE_TOLERANCE:
            texts[0], texts[-1] = "**" + texts[0], texts[-1] + "**"
        out.extend((text, line[1]) for text, line in zip(texts, block))
    return out


def next_step(previous: Segment, line: Segment, right_edge: dict[int, float], previous_joined: bool,
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
    full = previous.x1 + 0.25 * line.size + line.first_width > right_edge[previous.page % 2] - 0.5
    aligned = not (same_page and previous_joined and abs(line.x0 - previous.x0) > 0.1 * line.size)
    if full and aligned and not opens_with_marker(line):
        return "join"
    return "line" if same_page else "block"


def right_edges(lines: list[Segment], body_size: float) -> dict[int, float]:
    """The right margin of body text on odd and on even pages: the third largest right end of a body line.

    Justified lines all end at the margin; taking the third largest ignores a line or two that stick out.
    """
    ends: dict[int, list[float]] = {0: [], 1: []}
    for line in lines:
        if abs(line.size - body_size) < SIZE_TOLERANCE:
            ends[line.page % 2].append(line.x1)
    every = sorted(ends[0] + ends[1] or [line.x1 for line in lines])
    edges = {}
    for parity, values in ends.items():
        values = sorted(values) if len(values) >= 3 else every  # too few lines on one side: use both
        edges[parity] = values[-min(3, len(values))]
    return edges


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
