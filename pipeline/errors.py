"""One-line errors that name the file, the line and what was expected."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class PipelineError(Exception):
    """A failure the build reports as one line and exit code 2."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, page: int | None = None):
        self.path = str(path)
        self.message = message
        self.line = line
        self.page = page
        super().__init__(str(self))

    def __str__(self) -> str:
        return printable(self._text())

    def _text(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.page is not None:
            where += f" (page {self.page})"
        return f"{where}: {self.message}"


class SourceError(PipelineError):
    """The source file is not what the parser expects."""


class CheckError(PipelineError):
    """A built table or file failed a check."""


def printable(text: str) -> str:
    """`text` on one line: control characters (a line end in a file name, say) shown as escapes."""
    return CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def convert_hint(path: Path) -> str:
    """The command that turns a file LibreOffice can read into a .docx beside it."""
    return f"convert it with LibreOffice: soffice --headless --convert-to docx {shlex.quote(str(path))}"


def preview(text: str, width: int = 60) -> str:
    """Shorten a line for an error message."""
    text = text.strip()
    return repr(text if len(text) <= width else text[: width - 1] + "…")
