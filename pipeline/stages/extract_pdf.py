"""Extract stage, PDF part: read a PDF's body text with pdfplumber, without running headers, footers or small print.

Only pipeline.stages.extract imports this module; it turns PDF bytes into the same kind of numbered lines as a text
source, one line per paragraph, so that nothing after the extract stage knows a PDF was read.

Pass 1 reads each page once (and closes it at once, so pdfplumber's objects do not pile up): characters become
physical lines, lines become words and segments (pieces of a line separated by a wide gap). Pass 2 works on those
small records only:

- furniture: segments in the top or bottom lines of a page whose text, digits aside, recurs on many pages (the
  document symbol, the job number, "n/N" page numbers, on whichever side) are removed, and so are lines in a font
  smaller than the body text above or below all body lines of a page (footnotes, the first page's job line);
- columns: where lines stand side by side with a clear vertical gutter between them (a masthead beside a
  distribution block), the left column is read before the right one;
- reflow: a physical line continues the line before it, with one space, when that line was full (the next line's
  first word would not have fitted after it), the font is the same, the vertical gap is an ordinary line gap or a
  page break, the line starts where the paragraph's earlier continuation lines start, and it does not open with a
  marker ("12.", "a)") set off by a tab-like gap. A line that ends with a hyphen inside a compound word joins the
  next without a space. A wider gap or a change of font starts a new block, written after a blank line; a bold
  block in a font larger than the body is wrapped in ** as the text sources write it.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter
from pathlib import Path

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTImage
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import SourceError

EOF_MARKER = b"%%EOF"
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)
MARKER = re.compile(r"^(?:\d{1,3}\.|[IVXLC]{1,7}\.|\(?[^\W\d_]\))$")
DIGITS = re.compile(r"\d+")
HYPHENS = "-\u2010"  # hyphen-minus and hyphen
SOFT_HYPHEN = "\u00ad"

WORD_GAP = 0.15  # a horizontal gap wider than this many font sizes separates words
SEGMENT_GAP = 4.0  # and one wider than this many font sizes separates segments of a line
FURNITURE_LINES = 2  # how many lines at the top and at the bottom of a page may be running headers or footers
FURNITURE_SHARE = 0.4  # a header or footer recurs on at least this share of the pages (and on two at least)


@dataclass(slots=True)
class Segment:
    """The words of one physical line, or of one side of it when a wide gap splits the line, in little space.

    Only what the reflow needs is kept: the text (words joined by one space), where it starts and ends, how wide
    its first word is, and the gap after that word compared with the line's other gaps (for tab-set markers).
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


def _segment(page: int, row: int, top: float, bottom: float, sizes: Counter, bold: int,
             words: list[tuple[str, float, float]]) -> Segment:
    gaps = [b[1] - a[2] for a, b in zip(words, words[1:])]
    others = gaps[1:]
    chars = sum(sizes.values())
    return Segment(page, row, top, bottom, sizes.most_common(1)[0][0], bold * 2 > chars, chars,
                   " ".join(w for w, _, _ in words), words[0][1], words[-1][2], words[0][2] - words[0][1],
                   gaps[0] if gaps else None, min(others) if others else None, max(others) if others else None)


@dataclass
class PdfText:
    """What the PDF part of the extract stage returns: numbered lines (text, page) and the text they make."""

    lines: list[tuple[str, int | None]]
    pages: int
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = "".join(text + "\n" for text, _ in self.lines)


def extract_pdf(path: Path, data: bytes) -> PdfText:
    """Read the body text of the PDF `data` (from `path`) as lines, one per paragraph, each with its page."""
    if EOF_MARKER not in data[-1024:]:
        raise SourceError(path, f"expected a complete PDF ending with {EOF_MARKER.decode()}, found a file that "
                                f"stops without it after {len(data)} bytes (truncated?)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # whatever the PDF library fails with on a bad file is the file's fault
        raise _open_error(path, exc) from exc
    with pdf:
        segments, page_count = _read_pages(path, pdf)
    if page_count == 0:
        raise SourceError(path, "expected a PDF with at least one page, found none")
    if not segments:
        raise SourceError(path, f"expected text on the pages, found none on any of the {page_count} pages")
    lines = _Layout(segments, page_count).text_lines()
    if not lines:
        raise SourceError(path, "expected body text, found only running headers, footers and small print")
    return PdfText(lines, page_count)


def plain_extract_text(path: Path) -> int:
    """What the benchmark compares the stage with: pdfplumber's own extract_text() on every page; returns the pages.

    It lives here so that pdfplumber stays imported by the extract stage only.
    """
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def _open_error(path: Path, exc: Exception) -> SourceError:
    cause = _cause(exc)
    if isinstance(cause, PDFPasswordIncorrect):
        return SourceError(path, "expected a PDF that opens without a password, found an encrypted one")
    if isinstance(cause, PDFEncryptionError):
        return SourceError(path, f"expected a PDF that opens without a password, found encryption that cannot "
                                 f"be read ({_describe(cause)})")
    return SourceError(path, f"expected a readable PDF, found a damaged file ({_describe(cause)})")


def _cause(exc: Exception) -> Exception:
    return exc.args[0] if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], Exception) \
        else exc


def _describe(exc: Exception) -> str:
    """An exception as a short single line for an error message."""
    text = " ".join(str(exc).split())
    text = text if len(text) <= 120 else text[:119] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --- pass 1: pages to segments ----------------------------------------------------------------------------------


def _read_pages(path: Path, pdf) -> tuple[list[Segment], int]:
    """Read every page once, closing it at once; return the segments of all pages and the page count."""
    segments: list[Segment] = []
    try:
        pages = pdf.pages
    except Exception as exc:
        raise _open_error(path, exc) from exc
    for page in pages:
        number = page.page_number
        _check_content_streams(path, page)
        try:
            layout = page.layout
        except Exception as exc:
            raise SourceError(path, f"expected a readable page, found a damaged one ({_describe(_cause(exc))})",
                              page=number) from exc
        chars: list[LTChar] = []
        has_image = _collect(layout, chars)
        if chars:
            segments.extend(_page_segments(path, number, layout.x0, layout.y1, chars))
        page.close()
        _release_content(page)
        if not chars and has_image:
            raise SourceError(path, "expected a text layer, found only an image (a scan?); optical character "
                                    "recognition is not supported", page=number)
    return segments, len(pages)


def _check_content_streams(path: Path, page) -> None:
    """Refuse a page whose compressed content is damaged, which pdfminer would otherwise read in part, silently."""
    for stream in page.page_obj.contents:
        stream = resolve1(stream)
        if not isinstance(stream, PDFStream) or stream.rawdata is None or stream.decipher:
            continue
        if any(f in LITERALS_FLATE_DECODE for f, _ in stream.get_filters()):
            try:
                zlib.decompress(stream.rawdata)
            except zlib.error as exc:
                raise SourceError(path, f"expected readable page content, found a damaged compressed stream "
                                        f"({exc})", page=page.page_number) from exc


def _release_content(page) -> None:
    """Drop a read page's decoded content, which pdfminer's object cache and pdfplumber's page list would keep.

    page.close() drops the page's objects but not its content streams, which grow memory by their decoded size
    page after page. Each page is read once here and the document is closed right after, so nothing reads them again.
    """
    for stream in page.page_obj.contents:
        stream = resolve1(stream)
        if isinstance(stream, PDFStream) and stream.data is not None:
            stream.data = b""


def _collect(container, chars: list) -> bool:
    """Gather the upright characters of a page, looking inside form objects; return whether it holds an image."""
    has_image = False
    for obj in container:
        if isinstance(obj, LTChar):
            if obj.upright:
                chars.append(obj)
        elif isinstance(obj, LTImage):
            has_image = True
        elif isinstance(obj, LTContainer):
            has_image = _collect(obj, chars) or has_image
    return has_image


def _page_segments(path: Path, page_number: int, left: float, top: float, chars: list[LTChar]) -> list[Segment]:
    """Group a page's characters into physical lines, then into words and segments."""
    records = sorted(
        ((top - (c.y0 + c.y1) / 2, c.x0 - left, c.x1 - left, c.size, c.get_text(), c.fontname, top - c.y1,
          top - c.y0) for c in chars),
        key=itemgetter(0),
    )
    unmapped = next((r[4] for r in records if r[4].startswith("(cid:")), None)
    if unmapped:
        raise SourceError(path, f"expected characters with a Unicode mapping, found glyph numbers such as "
                                f"{unmapped} (a font without a ToUnicode map); the text cannot be read",
                          page=page_number)
    out: list[Segment] = []
    line: list[tuple] = []
    line_mid = 0.0
    row = 0
    for record in records:
        if line and record[0] - line_mid > 0.35 * max(record[3], line[0][3]):
            out.extend(_line_segments(page_number, row, line))
            row += 1
            line = []
        if not line:
            line_mid = record[0]
        line.append(record)
    if line:
        out.extend(_line_segments(page_number, row, line))
    return out


def _line_segments(page_number: int, row: int, line: list[tuple]) -> list[Segment]:
    """Split one physical line into words (at spaces and gaps) and segments (at wide gaps)."""
    line.sort(key=itemgetter(1))
    top, bottom = min(r[6] for r in line), max(r[7] for r in line)
    segments: list[Segment] = []
    words: list[tuple[str, float, float]] = []
    word: list[str] = []
    word_x0 = word_x1 = 0.0
    sizes: Counter[float] = Counter()
    bold = 0
    for _, x0, x1, size, text, fontname, _, _ in line:
        if text.isspace():
            if word:
                words.append(("".join(word), word_x0, word_x1))
                word = []
            continue
        end = word_x1 if word else (words[-1][2] if words else x0)
        gap = x0 - end
        if word and gap > WORD_GAP * size:
            words.append(("".join(word), word_x0, word_x1))
            word = []
        if words and gap > SEGMENT_GAP * size:
            segments.append(_segment(page_number, row, top, bottom, sizes, bold, words))
            words, sizes, bold = [], Counter(), 0
        if not word:
            word_x0 = x0
        word.append(text)
        word_x1 = x1
        sizes[round(size, 1)] += 1
        bold += _is_bold(fontname)
    if word:
        words.append(("".join(word), word_x0, word_x1))
    if words:
        segments.append(_segment(page_number, row, top, bottom, sizes, bold, words))
    return segments


@lru_cache(maxsize=256)
def _is_bold(fontname: str) -> bool:
    return bool(BOLD_FONT.search(fontname.partition("+")[2] or fontname))


# --- pass 2: segments to lines of text --------------------------------------------------------------------------


class _Layout:
    def __init__(self, segments: list[Segment], page_count: int):
        self.page_count = page_count
        sizes: Counter[float] = Counter()
        for segment in segments:
            sizes[segment.size] += segment.chars
        self.body_size = sizes.most_common(1)[0][0]
        self.segments = self._without_furniture(segments)

    # Furniture ------------------------------------------------------------------------------------------------

    def _without_furniture(self, segments: list[Segment]) -> list[Segment]:
        by_page: dict[int, list[Segment]] = {}
        for segment in segments:
            by_page.setdefault(segment.page, []).append(segment)
        edge_rows: dict[int, set[int]] = {}
        pages_with: dict[str, set[int]] = {}
        for page, items in by_page.items():
            rows = sorted({s.row for s in items})
            edge_rows[page] = set(rows[:FURNITURE_LINES] + rows[-FURNITURE_LINES:])
            for segment in items:
                if segment.row in edge_rows[page]:
                    pages_with.setdefault(furniture_key(segment.text), set()).add(page)
        threshold = max(2.0, FURNITURE_SHARE * self.page_count)
        repeated = {key for key, pages in pages_with.items() if len(pages) >= threshold}
        kept: list[Segment] = []
        for page, items in by_page.items():
            items = [s for s in items if not (s.row in edge_rows[page] and furniture_key(s.text) in repeated)]
            kept.extend(self._without_small_print(items))
        return kept

    def _without_small_print(self, items: list[Segment]) -> list[Segment]:
        """Drop lines set smaller than the body text at the top and the bottom of a page (footnotes, job lines)."""
        row_size: dict[int, float] = {}
        for s in items:
            row_size[s.row] = max(row_size.get(s.row, 0.0), s.size)
        rows = sorted(row_size)
        small = set()
        for order in (rows, rows[::-1]):
            for row in order:
                if row_size[row] >= self.body_size - 0.5:
                    break
                small.add(row)
        return [s for s in items if s.row not in small]

    # Reading order --------------------------------------------------------------------------------------------

    def physical_lines(self) -> list[Segment]:
        by_page: dict[int, list[Segment]] = {}
        for segment in self.segments:
            by_page.setdefault(segment.page, []).append(segment)
        self.block_gap = self._line_gap(by_page) + 0.25 * self.body_size
        out: list[Segment] = []
        for page in sorted(by_page):
            rows: dict[int, list[Segment]] = {}
            for segment in by_page[page]:
                rows.setdefault(segment.row, []).append(segment)
            ordered = [sorted(rows[row], key=attrgetter("x0")) for row in sorted(rows)]
            for band in self._bands(ordered):
                out.extend(self._read_band(band))
        return out

    def _line_gap(self, by_page: dict[int, list[Segment]]) -> float:
        """The usual gap between two lines of body text (the median)."""
        gaps = []
        for items in by_page.values():
            body = sorted((s.top, s.bottom) for s in items if abs(s.size - self.body_size) < 0.5)
            gaps.extend(b[0] - a[1] for a, b in zip(body, body[1:]) if b[0] - a[1] > 0)
        gaps.sort()
        return gaps[len(gaps) // 2] if gaps else 0.2 * self.body_size

    def _bands(self, rows: list[list[Segment]]):
        """Runs of rows with no wider than ordinary gap between them."""
        band: list[list[Segment]] = []
        bottom = 0.0
        for row in rows:
            top = min(s.top for s in row)
            if band and top - bottom > self.block_gap:
                yield band
                band = []
            band.append(row)
            bottom = max(s.bottom for s in row)
        if band:
            yield band

    def _read_band(self, band: list[list[Segment]]) -> list[Segment]:
        segments = [s for row in band for s in row]
        gutter = gutter_between_columns(segments, self.body_size) if len(band) > 1 else None
        if gutter is None:
            return [_merge(row) for row in band]
        left = sorted((s for s in segments if s.x1 <= gutter), key=attrgetter("top"))
        right = sorted((s for s in segments if s.x0 >= gutter), key=attrgetter("top"))
        right[0].column_start = True
        return left + right

    # Reflow ---------------------------------------------------------------------------------------------------

    def text_lines(self) -> list[tuple[str, int | None]]:
        lines = self.physical_lines()
        if not lines:
            return []
        right_edge = _right_edges(lines, self.body_size)
        blocks: list[list[list]] = []  # each block: lines as [text, page, bold, size]
        previous: Segment | None = None
        step = "block"
        for line in lines:
            step = "block" if previous is None else self._step(previous, line, right_edge, step == "join")
            if step == "block":
                blocks.append([[line.text, line.page, line.bold, line.size]])
            elif step == "line":
                blocks[-1].append([line.text, line.page, line.bold, line.size])
            else:
                current = blocks[-1][-1]
                if current[0].endswith(SOFT_HYPHEN):
                    current[0] = current[0][:-1] + line.text
                elif hyphenated(current[0], line.text):
                    current[0] += line.text
                else:
                    current[0] += " " + line.text
            previous = line
        out: list[tuple[str, int | None]] = []
        for block in blocks:
            if out:
                out.append(("", block[0][1]))
            texts = [text for text, _, _, _ in block]
            if all(bold for _, _, bold, _ in block) and min(size for *_, size in block) > self.body_size + 0.5:
                texts[0], texts[-1] = "**" + texts[0], texts[-1] + "**"
            out.extend((text, line[1]) for text, line in zip(texts, block))
        return out

    def _step(self, previous: Segment, line: Segment, right_edge: dict[int, float], previous_joined: bool) -> str:
        """How `line` follows `previous`: "join" the same paragraph, a new "line" of a block, or a new "block".

        `previous_joined` tells that `previous` itself continued a paragraph: then a line that starts elsewhere
        than `previous` (the paragraph's text column) on the same page is not a continuation either.
        """
        if line.column_start or line.bold != previous.bold or abs(line.size - previous.size) > 0.5:
            return "block"
        same_page = line.page == previous.page
        if same_page and line.top - previous.bottom > self.block_gap:
            return "block"
        full = previous.x1 + 0.25 * line.size + line.first_width > right_edge[previous.page % 2] - 0.5
        aligned = not (same_page and previous_joined and abs(line.x0 - previous.x0) > 0.1 * line.size)
        if full and aligned and not opens_with_marker(line):
            return "join"
        return "line" if same_page else "block"


def furniture_key(text: str) -> str:
    """What a running header or footer keeps from page to page: its text with every number as #."""
    return DIGITS.sub("#", text)


def gutter_between_columns(segments: list[Segment], body_size: float) -> float | None:
    """The middle of a vertical gap that no segment crosses, when the text on each side is a wide column."""
    spans = sorted((s.x0, s.x1) for s in segments)
    start, end = spans[0][0], max(x1 for _, x1 in spans)
    reach = spans[0][1]
    minimum_side = 0.2 * (end - start)
    for x0, x1 in spans[1:]:
        if x0 - reach >= 2 * body_size and reach - start >= minimum_side and end - x0 >= minimum_side:
            return (reach + x0) / 2
        reach = max(reach, x1)
    return None


def _merge(row: list[Segment]) -> Segment:
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


def _right_edges(lines: list[Segment], body_size: float) -> dict[int, float]:
    """The right margin of body text on odd and on even pages: the third largest right end of a body line.

    Justified lines all end at the margin; taking the third largest ignores a line or two that stick out.
    """
    ends: dict[int, list[float]] = {0: [], 1: []}
    for line in lines:
        if abs(line.size - body_size) < 0.5:
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


def hyphenated(text: str, following: str) -> bool:
    """A compound word broken after its hyphen: "Государствам-" ends a line and a letter opens the next.

    The hyphen stays: UN documents are not hyphenated by syllable, so a hyphen at the end of a line belongs to a
    compound word ("Государствам-участникам"). A soft hyphen, which marks a syllable break, is dropped instead.
    """
    return len(text) > 1 and text[-1] in HYPHENS and text[-2].isalpha() and following[:1].isalpha()
