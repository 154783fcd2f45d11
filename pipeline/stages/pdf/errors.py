"""Extract stage, PDF part: what the PDF libraries fail with, said as one line about the file."""

from __future__ import annotations

from pathlib import Path

from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import SourceError


def open_error(path: Path, exc: Exception) -> SourceError:
    """The error for a file that pdfplumber cannot open."""
    reason = cause(exc)
    if isinstance(reason, PDFPasswordIncorrect):
        return SourceError(path, "expected a PDF that opens without a password, found an encrypted one")
    if isinstance(reason, PDFEncryptionError):
        return SourceError(path, f"expected a PDF that opens without a password, found encryption that cannot "
                                 f"be read ({describe(reason)})")
    return damaged_file(path, exc)


def damaged_file(path: Path, exc: Exception) -> SourceError:
    return SourceError(path, f"expected a readable PDF, found a damaged file ({describe(cause(exc))})")


def cause(exc: Exception) -> Exception:
    """The pdfminer exception that pdfplumber wrapped, or `exc` itself."""
    return exc.args[0] if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], Exception) \
        else exc


def describe(exc: Exception) -> str:
    """An exception as a short single line for an error message."""
    text = " ".join(str(exc).split())
    text = text if len(text) <= 120 else text[:119] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
