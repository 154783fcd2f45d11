"""Extract stage, PDF part: running headers and footers, footnotes and small print taken off the pages.

- Running headers and footers: segments in the top or bottom lines of a page whose text, digits aside, recurs on many
  pages (the document symbol, the job number, "n/N" page numbers, on whichever side).
- Footnotes: whatever stands under a footnote rule, a short horizontal rule at the left of the text column with body
  text above it and nothing larger than body text below it.
- Small print: lines set smaller than the body text above or below all body lines of a page (footnotes without a
  rule, the first page's job line).
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.stages.pdf.read import Pages
from pipeline.stages.pdf.segments import Segment

DIGITS = re.compile(r"\d+")
FURNITURE_LINES = 2  # how many lines at the top and at the bottom of a page may be running headers or footers
FURNITURE_SHARE = 0.4  # a header or footer recurs on at least this share of the pages (and on two at least)
FOOTNOTE_RULE = 0.5  # a footnote rule is shorter than this share of the width of the body text
SIZE_TOLERANCE = 0.5  # sizes within this many points are the same size


def body_size(segments: list[Segment]) -> float:
    """The size most characters are set in."""
    sizes: Counter[float] = Counter()
    for segment in segments:
        sizes[segment.size] += segment.chars
    return sizes.most_common(1)[0][0]


def furniture_key(text: str) -> str:
    """What a running header or footer keeps from page to page: its text with every number as #."""
    return DIGITS.sub("#", text)


def without_furniture(pages: Pages, size: float) -> list[Segment]:
    """The segments of every page less running headers and footers, footnotes and small print."""
    by_page: dict[int, list[Segment]] = {}
    for segment in pages.segments:
        by_page.setdefault(segment.page, []).append(segment)
    edge_rows: dict[int, set[int]] = {}
    pages_with: dict[str, set[int]] = {}
    for page, items in by_page.items():
        rows = sorted({s.row for s in items})
        edge_rows[page] = set(rows[:FURNITURE_LINES] + rows[-FURNITURE_LINES:])
        for segment in items:
            if segment.row in edge_rows[page]:
                pages_with.setdefault(furniture_key(segment.text), set()).add(page)
    threshold = max(2.0, FURNITURE_SHARE * pages.count)
    repeated = {key for key, found in pages_with.items() if len(found) >= threshold}
    kept: list[Segment] = []
    for page, items in by_page.items():
        items = [s for s in items if not (s.row in edge_rows[page] and furniture_key(s.text) in repeated)]
        items = without_footnotes(items, pages.rules.get(page, []), size)
        kept.extend(without_small_print(items, size))
    return kept


def without_footnotes(items: list[Segment], rules: list[tuple[float, float, float]], size: float) -> list[Segment]:
    """Drop what stands under a page's footnote rule."""
    body = [s for s in items if abs(s.size - size) <= SIZE_TOLERANCE]
    if not body or not rules:
        return items
    left, right = min(s.x0 for s in body), max(s.x1 for s in body)
    for x0, x1, y in sorted(rules, key=lambda rule: rule[2]):
        below = [s for s in items if s.top >= y]
        if (x1 - x0 < FOOTNOTE_RULE * (right - left) and abs(x0 - left) <= size and below
                and any(s.bottom <= y for s in body) and all(s.size <= size + SIZE_TOLERANCE for s in below)):
            return [s for s in items if s.top < y]
    return items


def without_small_print(items: list[Segment], size: float) -> list[Segment]:
    """Drop lines set smaller than the body text at the top and the bottom of a page (footnotes, job lines)."""
    row_size: dict[int, float] = {}
    for s in items:
        row_size[s.row] = max(row_size.get(s.row, 0.0), s.size)
    rows = sorted(row_size)
    small = set()
    for order in (rows, rows[::-1]):
        for row in order:
            if row_size[row] >= size - SIZE_TOLERANCE:
                break
            small.add(row)
    return [s for s in items if s.row not in small]
