"""Render a text source as a UN-style PDF, for the tests and the benchmark (not a build stage).

No PDF of the document is in the repository, so the tests make one from the text in raw/: A4, justified serif
text, numbered paragraphs in a margin column, lettered subparagraphs indented, the document symbol as a running
header on alternating sides, "n/N" page numbers and a job number in the footer, a first page with a masthead, a
distribution block beside it and a footnote, and paragraphs that break across pages. A Layout varies margins, font
sizes, indents, header sides, space glyphs and hyphen breaks, so that the extraction is not tuned to one PDF.

The text is read here with its own small rules, independently of pipeline.stages.parse, and laid out line by line with
fpdf2 and the PT Serif font that the fontpkg-pt-serif package ships (it has Cyrillic glyphs).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

A4 = (595.28, 841.89)
CREATED = dt.datetime(2019, 6, 21, tzinfo=dt.UTC)
HEADING = re.compile(r"^(?P<marker>[IVXLC]+\.)\s+(?P<text>\S.*)$")
PARAGRAPH = re.compile(r"^(?P<marker>\d+\.)\s+(?P<text>\S.*)$")
SUBPARAGRAPH = re.compile(r"^\s*(?:-\s*)?(?P<marker>[^\W\d_]\))\s+(?P<text>\S.*)$")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
HYPHENATED = re.compile(r"(?<=\w-)(?=\w)")


@dataclass(frozen=True)
class Layout:
    """How a generated PDF looks; two instances that differ are the test fixtures."""

    name: str
    symbol: str
    job: str
    body_size: float = 10.0
    leading: float = 12.0
    paragraph_space: float = 6.0
    margin_left: float = 72.0
    margin_right: float = 72.0
    margin_top: float = 72.0
    margin_bottom: float = 72.0
    number_indent: float = 28.0  # paragraph text starts here; the number sits in the margin column before it
    sub_marker_indent: float = 28.0  # "a)" starts here
    sub_text_indent: float = 56.0  # a subparagraph's first line starts here
    sub_wrap_indent: float = 28.0  # and its following lines here
    furniture_size: float = 8.0  # running header and footer
    symbol_even_side: str = "left"  # the running header's side on even pages (odd pages get the other)
    footnote_size: float = 8.0
    glyph_spaces: bool = False  # draw a space glyph after each word (True) or only leave a gap (False)
    hyphen_breaks: bool = False  # also break lines after the hyphen of a compound word


LAYOUTS = (
    Layout(name="un-a4-10pt", symbol="CTOC/COP/WG.7/2019/3", job="V.19-05432"),
    Layout(
        name="wide-11pt", symbol="CTOC/COP/WG.7/2019/2", job="V.19-04118",
        body_size=11.0, leading=13.5, paragraph_space=0.0,
        margin_left=90.0, margin_right=50.0, margin_top=60.0, margin_bottom=64.0,
        number_indent=36.0, sub_marker_indent=36.0, sub_text_indent=60.0, sub_wrap_indent=60.0,
        furniture_size=11.0, symbol_even_side="right", footnote_size=9.0,
        glyph_spaces=True, hyphen_breaks=True,
    ),
    Layout(
        name="large-12pt", symbol="CTOC/COP/WG.7/2019/4", job="V.19-06007",
        body_size=12.0, leading=15.0, paragraph_space=0.0,
        margin_left=60.0, margin_right=60.0, margin_top=72.0, margin_bottom=72.0,
        number_indent=30.0, sub_marker_indent=30.0, sub_text_indent=54.0, sub_wrap_indent=30.0,
        furniture_size=10.0, footnote_size=9.0, glyph_spaces=True, hyphen_breaks=True,
    ),
)


@dataclass
class Unit:
    """A block of the body: a meeting heading, a numbered paragraph or a lettered subparagraph."""

    kind: str  # heading | paragraph | subparagraph
    marker: str
    text: str


@dataclass
class FrontBlock:
    lines: list[str]
    bold: bool = False


@dataclass
class Document:
    front: list[FrontBlock]
    units: list[Unit]


@dataclass
class Rendered:
    """What was drawn: the file, its page count, the page on which each paragraph or subparagraph starts, and how
    many of them a page break splits."""

    path: Path
    pages: int
    unit_pages: list[int] = field(default_factory=list)
    split_units: int = 0
    hyphen_breaks: int = 0  # lines that end after the hyphen of a compound word


def read_text(text: str) -> Document:
    """Front matter blocks and body units of a text source; page-break fragments rejoin their unit."""
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    first = next(i for i, line in enumerate(lines) if HEADING.match(line.strip()))
    front: list[FrontBlock] = []
    block: list[str] = []
    for line in lines[:first] + [""]:
        if line.strip():
            block.append(LINK.sub(r"\1", line.strip()))
        elif block:
            joined = "\n".join(block)
            bold = joined.startswith("**") and joined.endswith("**")
            front.append(FrontBlock(joined.strip("*").split("\n") if bold else block, bold))
            block = []
    units: list[Unit] = []
    for line in lines[first:]:
        stripped = line.strip()
        if not stripped:
            continue
        for kind, pattern in (("heading", HEADING), ("paragraph", PARAGRAPH), ("subparagraph", SUBPARAGRAPH)):
            if match := pattern.match(stripped):
                units.append(Unit(kind, match["marker"], match["text"]))
                break
        else:
            units[-1].text += " " + stripped
    return Document(front, units)


# --- layout -------------------------------------------------------------------------------------------------


@dataclass
class Op:
    """One string drawn at (x, baseline)."""

    x: float
    y: float
    text: str
    size: float
    bold: bool = False


@dataclass
class Page:
    """What one page draws: strings and horizontal rules."""

    ops: list[Op] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # x0, x1, y


class _Typesetter:
    """Greedy line breaking and justification into pages of drawing operations, counting what it did."""

    def __init__(self, pdf, layout: Layout):
        self.pdf = pdf
        self.layout = layout
        self.width_cache: dict[tuple[str, float, bool], float] = {}
        self.pages: list[Page] = []
        self.y = 0.0
        self.bottom = 0.0
        self.split_paragraphs = 0
        self.hyphen_breaks = 0

    def width(self, text: str, size: float, bold: bool = False) -> float:
        key = (text, size, bold)
        if key not in self.width_cache:
            self.pdf.set_font("serif", "B" if bold else "", size)
            self.width_cache[key] = self.pdf.get_string_width(text)
        return self.width_cache[key]

    @property
    def right(self) -> float:
        return A4[0] - self.layout.margin_right

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = self.layout.margin_top
        self.bottom = A4[1] - self.layout.margin_bottom

    def tokens(self, text: str) -> list[tuple[str, bool]]:
        """(piece, preceded by a space) pairs; with hyphen breaks, compound words split after their hyphens."""
        out = []
        for word in text.split():
            pieces = HYPHENATED.split(word) if self.layout.hyphen_breaks else [word]
            out.append((pieces[0], True))
            out.extend((piece, False) for piece in pieces[1:])
        if out:
            out[0] = (out[0][0], False)
        return out

    def break_lines(self, text: str, first_width: float, rest_width: float, size: float, bold: bool):
        space = self.width(" ", size, bold)
        lines: list[list[tuple[str, bool]]] = []
        line: list[tuple[str, bool]] = []
        used = 0.0
        for piece, spaced in self.tokens(text):
            extra = self.width(piece, size, bold) + (space if spaced and line else 0.0)
            limit = first_width if not lines else rest_width
            if line and used + extra > limit:
                self.hyphen_breaks += not spaced
                lines.append(line)
                line, used = [(piece, False)], self.width(piece, size, bold)
            else:
                line.append((piece, spaced and bool(line)))
                used += extra
        if line:
            lines.append(line)
        return lines

    def place_line(self, page: Page, line, x: float, width: float, y: float, size: float, bold: bool, justify: bool):
        space = self.width(" ", size, bold)
        natural = sum(self.width(p, size, bold) for p, _ in line) + space * sum(1 for _, s in line if s)
        gaps = sum(1 for _, s in line if s)
        stretch = (width - natural) / gaps if justify and gaps else 0.0
        for index, (piece, spaced) in enumerate(line):
            if spaced:
                x += space + stretch
            followed_by_space = index + 1 < len(line) and line[index + 1][1]
            drawn = piece + " " if self.layout.glyph_spaces and followed_by_space else piece
            page.ops.append(Op(x, y, drawn, size, bold))
            x += self.width(piece, size, bold)

    def paragraph(self, text: str, x_first: float, x_rest: float, size: float, bold: bool = False,
                  justify: bool = True, marker: tuple[str, float] | None = None, space_before: float = 0.0) -> int:
        """Lay out one paragraph from the current position, breaking pages as needed; returns its first page."""
        leading = self.layout.leading * size / self.layout.body_size
        lines = self.break_lines(text, self.right - x_first, self.right - x_rest, size, bold)
        if self.y + space_before + leading > self.bottom:
            self.new_page()
        else:
            self.y += space_before
        first_page = len(self.pages)
        for index, line in enumerate(lines):
            if self.y + leading > self.bottom:
                self.new_page()
            baseline = self.y + size * 0.8
            page = self.pages[-1]
            if index == 0 and marker:
                page.ops.append(Op(marker[1], baseline, marker[0], size, bold))
            x = x_first if index == 0 else x_rest
            self.place_line(page, line, x, self.right - x, baseline, size, bold, justify and index < len(lines) - 1)
            self.y += leading
        self.split_paragraphs += len(self.pages) != first_page
        return first_page


def layout_document(ts: _Typesetter, document: Document, repeat: int = 1) -> list[int]:
    """Lay out the first page and the body into ts.pages; returns the page on which each paragraph starts."""
    layout = ts.layout
    left, size = layout.margin_left, layout.body_size
    ts.new_page()
    first = ts.pages[0]
    # First page: the symbol large at the top, then the masthead with the distribution block beside it.
    symbol_size = size * 1.6
    symbol_x = ts.right - ts.width(layout.symbol, symbol_size, True)
    first.ops.append(Op(symbol_x, ts.y, layout.symbol, symbol_size, True))
    ts.y += symbol_size * 0.6
    first.rules.append((left, ts.right, ts.y))
    ts.y += size
    blocks = list(document.front)
    masthead = blocks.pop(0) if blocks and blocks[0].bold else None
    distribution = next((b for b in blocks if b.lines[0].startswith("Distr.")), None)
    footnotes = [b for b in blocks if b.lines[0].startswith("* ")]
    blocks = [b for b in blocks if b is not distribution and b not in footnotes]
    top = ts.y
    if masthead:
        for line in masthead.lines:
            ts.paragraph(line, left, left, size * 1.2, bold=True, justify=False)
    masthead_bottom = ts.y
    if distribution:
        ts.y = top
        column = left + (ts.right - left) * 0.62
        for line in distribution.lines:
            ts.paragraph(line, column, column, size, justify=False)
    ts.y = max(ts.y, masthead_bottom) + size * 0.4
    first.rules.append((left, ts.right, ts.y))
    ts.y += size
    # The first page's foot: footnote above the job line, both in small print; keep the body above them.
    foot_size = layout.footnote_size
    job_y = A4[1] - layout.margin_bottom * 0.5
    note_y = job_y - foot_size * 2.2 - foot_size * 1.2 * (len(footnotes) - 1)
    for note in footnotes:
        first.ops.append(Op(left, note_y, " ".join(note.lines), foot_size))
        note_y += foot_size * 1.2
    first.ops.append(Op(left, job_y, f"{layout.job} (R)", foot_size))
    first.rules.append((left, left + 72, job_y - foot_size * 3.4 - foot_size * 1.2 * (len(footnotes) - 1)))
    ts.bottom = job_y - foot_size * 4.5 - foot_size * 1.2 * (len(footnotes) - 1)
    for block in blocks:
        block_size = size * 1.2 if block.bold else size
        for index, line in enumerate(block.lines):
            ts.paragraph(line, left, left, block_size, bold=block.bold, justify=True,
                         space_before=layout.leading if index == 0 else 0.0)
    # The body.
    ts.split_paragraphs = 0
    unit_pages: list[int] = []
    para_x = left + layout.number_indent
    for _ in range(repeat):
        for unit in document.units:
            if unit.kind == "heading":
                ts.paragraph(unit.text, para_x, para_x, size, bold=True, justify=False,
                             marker=(unit.marker, left), space_before=layout.leading * 1.5)
                ts.y += layout.leading * 0.5
            elif unit.kind == "paragraph":
                unit_pages.append(ts.paragraph(unit.text, para_x, para_x, size, marker=(unit.marker, left),
                                               space_before=layout.paragraph_space))
            else:
                unit_pages.append(ts.paragraph(
                    unit.text, left + layout.sub_text_indent, left + layout.sub_wrap_indent, size,
                    marker=(unit.marker, left + layout.sub_marker_indent), space_before=layout.paragraph_space))
    return unit_pages


def add_furniture(ts: _Typesetter) -> None:
    """Running header (the symbol, on alternating sides) and footer (page n/N and the job number) from page 2 on."""
    layout = ts.layout
    total = len(ts.pages)
    size = layout.furniture_size
    left, right = layout.margin_left, ts.right
    pdf_width = ts.width
    for number, page in enumerate(ts.pages[1:], start=2):
        even = number % 2 == 0
        symbol_left = (layout.symbol_even_side == "left") == even
        symbol_x = left if symbol_left else right - pdf_width(layout.symbol, size, True)
        header_y = layout.margin_top - size * 2.5
        page.ops.append(Op(symbol_x, header_y, layout.symbol, size, True))
        page.rules.append((left, right, header_y + size * 0.5))
        footer_y = A4[1] - layout.margin_bottom + size * 2.5
        folio = f"{number}/{total}"
        first, second = (folio, layout.job) if even else (layout.job, folio)
        page.ops.append(Op(left, footer_y, first, size))
        page.ops.append(Op(right - pdf_width(second, size, False), footer_y, second, size))


def render_pdf(text: str, path: Path, layout: Layout, repeat: int = 1) -> Rendered:
    """Write `text` (a text source like raw/*.md) to `path` as a PDF in `layout`; `repeat` repeats the body."""
    import fontpkg_pt_serif
    from fpdf import FPDF

    fonts = fontpkg_pt_serif.ROOT / "files"
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_compression(True)
    pdf.creation_date = CREATED  # a fixed date, so that the same text and layout give the same bytes
    pdf.add_font("serif", "", str(fonts / "PT_Serif-Web-Regular.ttf"))
    pdf.add_font("serif", "B", str(fonts / "PT_Serif-Web-Bold.ttf"))
    ts = _Typesetter(pdf, layout)
    unit_pages = layout_document(ts, read_text(text), repeat)
    add_furniture(ts)
    for page in ts.pages:
        pdf.add_page()
        for x0, x1, y in page.rules:
            pdf.line(x0, y, x1, y)
        current = None
        for op in page.ops:
            if current != (op.size, op.bold):
                pdf.set_font("serif", "B" if op.bold else "", op.size)
                current = (op.size, op.bold)
            pdf.text(op.x, op.y, op.text)
    path = Path(path)
    pdf.output(str(path))
    return Rendered(path, len(ts.pages), unit_pages, ts.split_paragraphs, ts.hyphen_breaks)
