"""Extract stage, PDF part: the reading order of the lines, column by column where a gutter splits a band of lines.

Where lines stand side by side with a clear vertical gutter between them (a masthead beside a distribution block),
the left column is read before the right one; elsewhere the segments of a row make one line.
"""

from __future__ import annotations

from operator import attrgetter

from pipeline.stages.pdf.furniture import SIZE_TOLERANCE
from pipeline.stages.pdf.segments import Segment, merge

COLUMN_SHARE = 0.15  # each side of a gutter holds at least this share of the band's width


def line_gap(by_page: dict[int, list[Segment]], size: float) -> float:
    """The usual gap between two lines of body text (the median)."""
    gaps = []
    for items in by_page.values():
        body = sorted((s.top, s.bottom) for s in items if abs(s.size - size) < SIZE_TOLERANCE)
        gaps.extend(b[0] - a[1] for a, b in zip(body, body[1:]) if b[0] - a[1] > 0)
    gaps.sort()
    return gaps[len(gaps) // 2] if gaps else 0.2 * size


def physical_lines(segments: list[Segment], size: float) -> tuple[list[Segment], float]:
    """The lines of every page in reading order, and the gap beyond which two lines belong to different blocks."""
    by_page: dict[int, list[Segment]] = {}
    for segment in segments:
        by_page.setdefault(segment.page, []).append(segment)
    block_gap = line_gap(by_page, size) + 0.25 * size
    out: list[Segment] = []
    for page in sorted(by_page):
        rows: dict[int, list[Segment]] = {}
        for segment in by_page[page]:
            rows.setdefault(segment.row, []).append(segment)
        ordered = [sorted(rows[row], key=attrgetter("x0")) for row in sorted(rows)]
        for band in bands(ordered, block_gap):
            out.extend(read_band(band, size))
    return out, block_gap


def bands(rows: list[list[Segment]], block_gap: float):
    """Runs of rows with no wider than ordinary gap between them."""
    band: list[list[Segment]] = []
    bottom = 0.0
    for row in rows:
        top = min(s.top for s in row)
        if band and top - bottom > block_gap:
            yield band
            band = []
        band.append(row)
        bottom = max(s.bottom for s in row)
    if band:
        yield band


def read_band(band: list[list[Segment]], size: float) -> list[Segment]:
    segments = [s for row in band for s in row]
    gutter = gutter_between_columns(segments, size) if len(band) > 1 else None
    if gutter is None:
        return [merge(row) for row in band]
    left = sorted((s for s in segments if s.x1 <= gutter), key=attrgetter("top"))
    right = sorted((s for s in segments if s.x0 >= gutter), key=attrgetter("top"))
    right[0].column_start = True
    return left + right


def gutter_between_columns(segments: list[Segment], body_size: float) -> float | None:
    """The middle of a vertical gap that no segment crosses, when the text on each side is a wide column."""
    spans = sorted((s.x0, s.x1) for s in segments)
    start, end = spans[0][0], max(x1 for _, x1 in spans)
    reach = spans[0][1]
    minimum_side = COLUMN_SHARE * (end - start)
    for x0, x1 in spans[1:]:
        if x0 - reach >= 2 * body_size and reach - start >= minimum_side and end - x0 >= minimum_side:
            return (reach + x0) / 2
        reach = max(reach, x1)
    return None
