"""Extract stage, PDF part: read a PDF's body text with pdfplumber, without running headers, footers or footnotes.

Only pipeline.stages.extract imports this package, and only its modules import pdfplumber. It turns PDF bytes into
the same kind of numbered lines as a text source, one line per paragraph, so that nothing after the extract stage
knows a PDF was read. Pass 1 (read, lines) reads each page once into segments, small records of the words of a line;
pass 2 works on those only: furniture takes off running headers, footers, footnotes and small print, order puts
the lines in reading order, reflow joins them into paragraphs (hyphenation decides the line-end hyphens).
"""

from __future__ import annotations

import io
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from pipeline.errors import SourceError
from pipeline.stages.pdf.errors import open_error
from pipeline.stages.pdf.furniture import body_size, without_furniture
from pipeline.stages.pdf.hyphenation import Hyphens
from pipeline.stages.pdf.order import physical_lines
from pipeline.stages.pdf.read import Pages, read_pages
from pipeline.stages.pdf.reflow import text_lines

EOF_MARKER = b"%%EOF"
LIBRARY_LOGGERS = ("pdfminer", "pdfplumber")


@dataclass
class PdfText:
    """What the PDF part of the extract stage returns: numbered lines (text, page), the text they make, and notes
    for the build log (line-end hyphens, problems the PDF library reported)."""

    lines: list[tuple[str, int | None]]
    pages: int
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = "".join(text + "\n" for text, _ in self.lines)


def extract_pdf(path: Path, data: bytes) -> PdfText:
    """Read the body text of the PDF `data` (from `path`) as lines, one per paragraph, each with its page."""
    if EOF_MARKER not in data[-1024:]:
        raise SourceError(path, f"expected a complete PDF ending with {EOF_MARKER.decode()}, found a file that "
                                f"stops without it after {len(data)} bytes (truncated?)")
    with library_log() as problems:
        try:
            pdf = pdfplumber.open(io.BytesIO(data))
        except Exception as exc:  # whatever the PDF library fails with on a bad file is the file's fault
            raise open_error(path, exc) from exc
        pages = read_pages(path, pdf)  # not pdf.close(): it would parse every page again, damaged ones too
    if pages.count == 0:
        raise SourceError(path, "expected a PDF with at least one page, found none")
    if not pages.segments:
        raise SourceError(path, f"expected text on the pages, found none on any of the {pages.count} pages")
    hyphens = Hyphens()
    text = body_text(pages, hyphens)
    if not text:
        raise SourceError(path, "expected body text, found only running headers, footers and small print")
    notes = [hyphens.summary()]
    if problems:
        notes.append(f"the PDF library reported {len(problems)} problem(s) and read on, first: {problems[0]}")
    return PdfText(text, pages.count, notes, hyphens.warnings(path))


def body_text(pages: Pages, hyphens: Hyphens) -> list[tuple[str, int | None]]:
    """Pass 2: the pages' segments less furniture, in reading order, reflowed into (line, page) pairs."""
    size = body_size(pages.segments)
    lines, block_gap = physical_lines(without_furniture(pages, size), size)
    return text_lines(lines, size, block_gap, hyphens)


def plain_extract_text(path: Path) -> int:
    """What the benchmark compares the stage with: pdfplumber's own extract_text() on every page; returns the pages.

    It lives here so that pdfplumber stays imported by the extract stage only.
    """
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


class _Collect(logging.Handler):
    def __init__(self, into: list[str]):
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(" ".join(record.getMessage().split())[:120])


@contextmanager
def library_log():
    """Keep the PDF libraries' log messages off the terminal while a PDF is read; yield those of warning level.

    A bad file must end in one error line, so pdfminer's complaints about it ("Data-loss while decompressing
    corrupted data") are said in the build log instead, when the file is read all the same.
    """
    problems: list[str] = []
    handler = _Collect(problems)
    saved = []
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate))
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield problems
    finally:
        for logger, propagate in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate
