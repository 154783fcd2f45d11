"""Extract stage: read a source file (UTF-8 text, PDF or Word document) into numbered lines of text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import SourceError, convert_hint
from pipeline.guards import SOURCE_MAX_BYTES, SOURCE_MAX_LINES, read_regular
from pipeline.provenance import check_sidecar, read_sidecar, sha256_hex

UTF8_BOM = b"\xef\xbb\xbf"
# Control characters that no text of a document holds (tab, line ends and form feed are allowed): a NUL byte or an
# escape sequence means the file is not the text it claims to be.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f]")
PDF_MAGIC = b"%PDF-"
PDF_MEDIATYPE = "application/pdf"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
DOCX_MEDIATYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"
WORD_SUFFIXES = (".docx", ".docm", ".dotx")  # a file so named that is not text is taken for a broken Word document


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Source:
    path: Path
    lines: tuple[Line, ...]
    sha256: str
    bytes: int
    mediatype: str
    sidecar: dict | None
    # The text that `lines` number when it is not the source file itself (the text read from a PDF), so that it can
    # be published beside the tables; None for a text source, whose lines number the file as it is.
    extracted_text: str | None = None
    pages: int | None = None
    # Said once the build has succeeded, so that a failing build prints its one error line and nothing else.
    warnings: tuple[str, ...] = ()
    # What the build log says about the reading beyond counts (a PDF's line-end hyphens, say).
    notes: tuple[str, ...] = ()


def extract(path: Path) -> Source:
    """Extract stage: check the file against its sidecar and split it into numbered lines (a PDF's by paragraph)."""
    path = Path(path)
    data = read_regular(path, SOURCE_MAX_BYTES, "a source file", SourceError)
    sidecar = read_sidecar(path)
    warnings = ()
    if sidecar is None:
        warnings = (f"{path}: no sidecar {path.name}.source.json; provenance unrecorded",)
    else:
        check_sidecar(path, data, sidecar)
    if is_pdf(data):
        from pipeline.stages.pdf import extract_pdf  # pdfplumber is imported only when a PDF is read

        pdf = extract_pdf(path, data)
        lines = tuple(Line(number, text, page) for number, (text, page) in enumerate(pdf.lines, start=1))
        return Source(path, lines, sha256_hex(data), len(data), PDF_MEDIATYPE, sidecar, pdf.text, pdf.pages,
                      warnings + tuple(pdf.warnings), tuple(pdf.notes))
    if data.startswith(ZIP_MAGIC):
        from pipeline.stages.word import extract_docx  # python-docx is imported only when a Word document is read

        word = extract_docx(path, data)
        lines = tuple(Line(number, text) for number, text in enumerate(word.lines, start=1))
        return Source(path, lines, sha256_hex(data), len(data), DOCX_MEDIATYPE, sidecar, word.text, None, warnings,
                      tuple(word.notes))
    refuse_other_formats(path, data)
    lines = decode_lines(path, data)
    return Source(path, lines, sha256_hex(data), len(data), "text/markdown", sidecar, warnings=warnings)


def is_pdf(data: bytes) -> bool:
    """True when the file's content starts with the PDF header, whatever its name."""
    return data.lstrip(b"\xef\xbb\xbf\x00\t\n\r\f ").startswith(PDF_MAGIC)


def refuse_other_formats(path: Path, data: bytes) -> None:
    """Refuse in one line, with the command that converts it, a word processor's file that is not read here."""
    if data.startswith(OLE2_MAGIC):
        raise SourceError(path, f"expected a Word document (.docx), found an OLE2 compound file (a Word 97-2003 .doc, "
                                f"or an Office file with a password); {convert_hint(path)}")
    if data.startswith(RTF_MAGIC):
        raise SourceError(path, f"expected a Word document (.docx), found a Rich Text Format file; "
                                f"{convert_hint(path)}")
    if path.suffix.lower() in WORD_SUFFIXES and not is_utf8(data):
        raise SourceError(path, f"expected a Word document (.docx), which is a zip archive, found a file that is "
                                f"not one (it starts with {data[:8]!r}); if Word or LibreOffice opens it, save it "
                                f"again as .docx")


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_lines(path: Path, data: bytes) -> tuple[Line, ...]:
    """Decode UTF-8 (with or without BOM, any line ends) into numbered lines."""
    if not data.strip():
        raise SourceError(path, "expected the text of the document, found an empty file")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
    if (lines := max(data.count(b"\n"), data.count(b"\r"))) > SOURCE_MAX_LINES:
        raise SourceError(path, f"expected a text of at most {SOURCE_MAX_LINES:,} lines, found {lines:,}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(path, f"expected UTF-8 text, found byte 0x{data[exc.start]:02x}", line=line) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if control := CONTROL_CHARACTER.search(text):
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        raise SourceError(path, f"expected text, found the control character U+{ord(control.group()):04X} at "
                                f"column {column}", line=line)
    if text.endswith("\n"):
        text = text[:-1]
    return tuple(Line(number, content) for number, content in enumerate(text.split("\n"), start=1))
