"""Bad PDFs get one line on stderr naming the file (and the page at fault), exit code 2, and output/ untouched."""

from __future__ import annotations

import io
import re
import zlib

from fpdf import FPDF
from PIL import Image

from pipeline.cli import main
from tests.conftest import EARLIER_DESCRIPTOR
from pipeline.stages.extract import extract
from pipeline.stages.pdf import read


def run(source, out, capsys) -> tuple[int, str]:
    code = main(["build", "--source", str(source), "--out", str(out)])
    return code, capsys.readouterr().err




def assert_refused(source, out, capsys, *fragments: str, page: int | None = None) -> None:
    code, err = run(source, out, capsys)
    error_lines = err.splitlines()
    assert code == 2
    assert len(error_lines) == 1, err
    where = f"error: {source}" + (f" (page {page})" if page else "") + ": "
    assert error_lines[0].startswith(where), error_lines[0]
    for fragment in fragments:
        assert fragment in error_lines[0]
    assert [p.name for p in out.iterdir()] == ["datapackage.json"]
    assert (out / "datapackage.json").read_text(encoding="utf-8") == EARLIER_DESCRIPTOR
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out.")] == []


def small_pdf(*pages: str, image_page: int | None = None, **encryption) -> bytes:
    """A PDF with one line of text per page, or a page holding only an image (a scan)."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        if number == image_page:
            buffer = io.BytesIO()
            Image.new("L", (120, 170), 230).save(buffer, format="PNG")
            pdf.image(buffer, x=0, y=0, w=210)
        else:
            pdf.text(20, 30, text)
    if encryption:
        pdf.set_encryption(**encryption)
    return bytes(pdf.output())


def pdf_with_no_pages() -> bytes:
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def pdf_with_pages(contents: list[bytes], declared: int | None = None) -> bytes:
    """A PDF with one page per compressed content stream; its page tree may declare another page count."""
    pages = len(contents)
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages if declared is None else declared)]
    for index, content in enumerate(contents):
        packed = zlib.compress(content)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents %d 0 R >>"
                       % (4 + 2 * index))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed))
    return pdf_of(objects)


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF file of numbered objects (1 is the catalog), with its cross-reference table."""
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(data)


def damage_page_content(data: bytes, page_number: int) -> bytes:
    """Zero part of the compressed content stream of one page, keeping every offset in place."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    document = PDFDocument(PDFParser(io.BytesIO(data)))
    page = list(PDFPage.create_pages(document))[page_number - 1]
    objid = page.attrs["Contents"].objid
    start = data.index(b"stream\n", data.index(b"\n%d 0 obj" % objid)) + len(b"stream\n")
    damaged = bytearray(data)
    damaged[start + 40:start + 240] = bytes(200)
    return bytes(damaged)


def test_truncated_pdf_is_refused(fixture_pdfs, out, tmp_path, capsys):
    data = fixture_pdfs["un-a4-10pt"].path.read_bytes()
    source = tmp_path / "truncated.pdf"
    source.write_bytes(data[: len(data) // 2])
    assert_refused(source, out, capsys, "expected a complete PDF ending with %%EOF", "truncated")


def test_corrupt_pdf_is_refused(out, tmp_path, capsys):
    source = tmp_path / "corrupt.pdf"
    source.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    assert_refused(source, out, capsys, "expected a readable PDF, found a damaged file")


def test_damaged_page_content_is_refused_naming_the_page(fixture_pdfs, out, tmp_path, capsys):
    source = tmp_path / "damaged.pdf"
    source.write_bytes(damage_page_content(fixture_pdfs["un-a4-10pt"].path.read_bytes(), 3))
    assert_refused(source, out, capsys, "expected readable page content, found a damaged compressed stream", page=3)


def test_pdf_that_needs_a_password_is_refused(out, tmp_path, capsys):
    source = tmp_path / "encrypted.pdf"
    source.write_bytes(small_pdf("I. text", owner_password="owner", user_password="user"))
    assert_refused(source, out, capsys, "expected a PDF that opens without a password, found an encrypted one")


def test_pdf_with_no_pages_is_refused(out, tmp_path, capsys):
    source = tmp_path / "empty.pdf"
    source.write_bytes(pdf_with_no_pages())
    assert_refused(source, out, capsys, "expected a PDF with at least one page, found none")


def test_scanned_page_without_text_layer_is_refused_naming_the_page(out, tmp_path, capsys):
    source = tmp_path / "scan.pdf"
    source.write_bytes(small_pdf("I. text", "", image_page=2))
    assert_refused(source, out, capsys, "found only an image", "optical character recognition is not supported",
                   page=2)


def test_pdf_with_blank_pages_only_is_refused(out, tmp_path, capsys):
    source = tmp_path / "blank.pdf"
    source.write_bytes(small_pdf("", ""))
    assert_refused(source, out, capsys, "expected text on the pages, found none on any of the 2 pages")


def test_font_without_unicode_map_is_refused_naming_the_page(fixture_pdfs, out, tmp_path, capsys):
    data = fixture_pdfs["wide-11pt"].path.read_bytes()
    source = tmp_path / "unmapped.pdf"
    source.write_bytes(re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m[0]), data))  # offsets unchanged
    assert_refused(source, out, capsys, "expected characters with a Unicode mapping", "(cid:", page=1)


def test_pdf_whose_only_text_recurs_on_every_page_like_a_footer_is_refused(out, tmp_path, capsys):
    source = tmp_path / "footers.pdf"
    source.write_bytes(small_pdf("Page 1 of 3", "Page 2 of 3", "Page 3 of 3"))
    assert_refused(source, out, capsys, "expected body text, found only running headers, footers and small print")


def test_pdf_with_only_an_owner_password_is_read_like_any_other(tmp_path):
    source = tmp_path / "permissions.pdf"
    source.write_bytes(small_pdf("I. text", owner_password="owner"))
    assert [line.text for line in extract(source).lines] == ["I. text"]


def test_text_file_named_pdf_is_read_as_text(tmp_path, out, capsys):
    source = tmp_path / "notes.pdf"
    source.write_text("Just a note, no meeting heading.\n", encoding="utf-8")
    assert_refused(source, out, capsys, "expected a meeting heading")


def test_pdf_declaring_far_more_pages_than_a_document_has_is_refused_before_reading(out, tmp_path, capsys):
    source = tmp_path / "many.pdf"
    source.write_bytes(pdf_with_pages([b""], declared=10**7))
    assert_refused(source, out, capsys, f"expected a document of at most {read.MAX_PAGES} pages",
                   f"found a file that declares {10**7}")


def test_pdf_holding_more_pages_than_the_bound_is_refused_at_the_bound(out, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(read, "MAX_PAGES", 3)
    source = tmp_path / "more.pdf"
    source.write_bytes(pdf_with_pages([b""] * 4, declared=1))
    assert_refused(source, out, capsys, "expected a document of at most 3 pages, found a file that holds more")


def test_page_content_that_decompresses_far_beyond_a_page_of_text_is_refused(out, tmp_path, capsys):
    source = tmp_path / "bomb.pdf"
    source.write_bytes(pdf_with_pages([b"BT ET\n", b" " * (read.MAX_PAGE_STREAMS + 1)]))
    assert len(source.read_bytes()) < read.MAX_PAGE_STREAMS // 500
    assert_refused(source, out, capsys, "expected page content of a usual size",
                   f"more than {read.MAX_PAGE_STREAMS // 2**20} MB on one page", page=2)


def test_content_beyond_the_bound_for_the_whole_document_is_refused(out, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(read, "MAX_STREAMS", 3 * 2**20)
    source = tmp_path / "pages.pdf"
    source.write_bytes(pdf_with_pages([b" " * 2**20] * 4))
    assert_refused(source, out, capsys, "expected page content of a usual size",
                   "more than 3 MB in the whole document", page=4)
