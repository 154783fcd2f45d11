"""Extract stage, PDF part, pass 1: read each page once into segments and horizontal rules, within set bounds.

Each page is read once and closed at once, so that pdfplumber's objects do not pile up. The work a file can cause
is bounded before pdfminer does it: the number of pages, and the decompressed size of the streams that text is read
from (page content, form objects, ToUnicode maps), each page's and the whole document's.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfminer.psparser import LIT
from pdfplumber.page import Page

from pipeline.errors import SourceError
from pipeline.stages.pdf.errors import cause, damaged_file, describe
from pipeline.stages.pdf.lines import page_segments
from pipeline.stages.pdf.segments import Segment

MAX_PAGES = 2000  # a UN document has a few hundred at most
MAX_PAGE_STREAMS = 16 * 2**20  # decompressed bytes of the text streams of one page
MAX_STREAMS = 256 * 2**20  # and of the whole document
RULE_THICKNESS = 2.0  # a path no taller than this (pt) and wider than RULE_LENGTH is a horizontal rule
RULE_LENGTH = 10.0
LITERAL_FORM = LIT("Form")


@dataclass
class Pages:
    """What pass 1 keeps of the document: the segments of every page, each page's rules, and the page count."""

    segments: list[Segment] = field(default_factory=list)
    rules: dict[int, list[tuple[float, float, float]]] = field(default_factory=dict)  # page: [(x0, x1, top)]
    count: int = 0


def read_pages(path: Path, pdf) -> Pages:
    """Read every page of the pdfplumber document `pdf` once, refusing a file beyond the bounds."""
    declared = _declared_pages(pdf.doc)
    if declared > MAX_PAGES:
        raise _too_many_pages(path, f"declares {declared}")
    pages = Pages()
    budget = _Budget(path)
    for number, page_obj in enumerate(_page_objects(path, pdf.doc), start=1):
        if number > MAX_PAGES:
            raise _too_many_pages(path, "holds more")
        _read_page(path, pdf, page_obj, number, pages, budget)
        pages.count = number
    return pages


def _declared_pages(document) -> int:
    try:
        count = resolve1(resolve1(document.catalog["Pages"]).get("Count"))
    except Exception:  # a damaged page tree is refused when the pages are read
        return 0
    return count if isinstance(count, int) else 0


def _too_many_pages(path: Path, found: str) -> SourceError:
    return SourceError(path, f"expected a document of at most {MAX_PAGES} pages, found a file that {found}; "
                             f"refused rather than read at length")


def _page_objects(path: Path, document):
    """The document's pages one by one, a damaged page tree refused as a damaged file."""
    pages = PDFPage.create_pages(document)
    while True:
        try:
            page = next(pages)
        except StopIteration:
            return
        except Exception as exc:
            raise damaged_file(path, exc) from exc
        yield page


def _read_page(path: Path, pdf, page_obj, number: int, pages: Pages, budget: _Budget) -> None:
    try:
        budget.check(page_obj, number)
        page = Page(pdf, page_obj, page_number=number)
        layout = page.layout
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(path, f"expected a readable page, found a damaged one ({describe(cause(exc))})",
                          page=number) from exc
    chars: list[LTChar] = []
    rules: list[tuple[float, float, float]] = []
    has_image = _collect(layout, chars, rules, layout.y1)
    if chars:
        pages.segments.extend(page_segments(path, number, layout.x0, layout.y1, chars))
    pages.rules[number] = [(x0 - layout.x0, x1 - layout.x0, y) for x0, x1, y in rules]
    page.close()
    _release_content(page_obj)
    if not chars and has_image:
        raise SourceError(path, "expected a text layer, found only an image (a scan?); optical character "
                                "recognition is not supported", page=number)


def _collect(container, chars: list, rules: list, top: float) -> bool:
    """Gather a page's upright characters and horizontal rules, inside form objects too; True if it holds an image."""
    has_image = False
    for obj in container:
        if isinstance(obj, LTChar):
            if obj.upright:
                chars.append(obj)
        elif isinstance(obj, LTImage):
            has_image = True
        elif isinstance(obj, LTCurve):
            if obj.height <= RULE_THICKNESS and obj.width >= RULE_LENGTH:
                rules.append((obj.x0, obj.x1, top - obj.y1))
        elif isinstance(obj, LTContainer):
            has_image = _collect(obj, chars, rules, top) or has_image
    return has_image


class _Budget:
    """Decompresses the text streams of each page within the bounds, and hands the result to pdfminer.

    A damaged compressed stream is refused too: pdfminer would read it in part, silently.
    """

    def __init__(self, path: Path):
        self.path = path
        self.left = MAX_STREAMS

    def check(self, page_obj, number: int) -> None:
        page_left = MAX_PAGE_STREAMS
        for stream in _text_streams(page_obj):
            limit = min(page_left, self.left)
            data = self._inflate(stream, limit, number)
            if len(data) > limit:
                bound = f"{MAX_PAGE_STREAMS // 2**20} MB on one page" if page_left <= self.left \
                    else f"{MAX_STREAMS // 2**20} MB in the whole document"
                raise SourceError(self.path, f"expected page content of a usual size, found text streams that "
                                             f"decompress to more than {bound} (refused rather than read)",
                                  page=number)
            page_left -= len(data)
            self.left -= len(data)

    def _inflate(self, stream: PDFStream, limit: int, number: int) -> bytes:
        """The stream decompressed, up to one byte beyond `limit`; b"" for one that is not deflated."""
        filters = stream.get_filters()
        if stream.data is not None or stream.rawdata is None or stream.decipher or not filters \
                or filters[0][0] not in LITERALS_FLATE_DECODE:
            return b""
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(stream.rawdata, limit + 1)
        except zlib.error as exc:
            raise self._damaged(exc, number) from exc
        if len(data) > limit:
            return data
        if not inflater.eof:
            raise self._damaged("incomplete or truncated stream", number)
        if len(filters) == 1 and not filters[0][1]:
            stream.data = data  # pdfminer reads it from here instead of decompressing it again
        return data

    def _damaged(self, reason, number: int) -> SourceError:
        return SourceError(self.path, f"expected readable page content, found a damaged compressed stream ({reason})",
                           page=number)


def _text_streams(page_obj):
    """The streams text is read from: the page's content, its form objects and its fonts' ToUnicode maps."""
    seen: set[int] = set()
    for stream in page_obj.contents:
        stream = resolve1(stream)
        if isinstance(stream, PDFStream):
            yield stream
    yield from _resource_streams(page_obj.resources, seen)


def _resource_streams(resources, seen: set[int]):
    resources = resolve1(resources)
    if not isinstance(resources, dict) or id(resources) in seen:
        return
    seen.add(id(resources))
    for font in _values(resources.get("Font")):
        unicode_map = resolve1(font.get("ToUnicode")) if isinstance(font, dict) else None
        if isinstance(unicode_map, PDFStream):
            yield unicode_map
    for xobject in _values(resources.get("XObject")):
        if isinstance(xobject, PDFStream) and xobject.get("Subtype") is LITERAL_FORM and id(xobject) not in seen:
            seen.add(id(xobject))
            yield xobject
            yield from _resource_streams(xobject.get("Resources"), seen)


def _values(mapping) -> list:
    mapping = resolve1(mapping)
    return [resolve1(value) for value in mapping.values()] if isinstance(mapping, dict) else []


def _release_content(page_obj) -> None:
    """Drop a read page's decoded content, which pdfminer's object cache and pdfplumber's page list would keep.

    page.close() drops the page's objects but not its content streams, which grow memory by their decoded size
    page after page. Each page is read once here and the document is closed right after, so nothing reads them again.
    """
    for stream in page_obj.contents:
        stream = resolve1(stream)
        if isinstance(stream, PDFStream) and stream.data is not None:
            stream.data = b""
