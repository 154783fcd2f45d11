"""Extract stage: read a source file into numbered lines of text."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import SourceError
from pipeline.provenance import check_sidecar, read_sidecar, sha256_hex

UTF8_BOM = b"\xef\xbb\xbf"


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


def extract(path: Path) -> Source:
    """Extract stage: check the file against its sidecar and split it into numbered lines."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"expected a readable source file, found {exc.strerror}") from exc
    sidecar = read_sidecar(path)
    if sidecar is None:
        print(f"warning: {path}: no sidecar {path.name}.source.json; provenance unrecorded", file=sys.stderr)
    else:
        check_sidecar(path, data, sidecar)
    lines = decode_lines(path, data)
    return Source(path, lines, sha256_hex(data), len(data), "text/markdown", sidecar)


def decode_lines(path: Path, data: bytes) -> tuple[Line, ...]:
    """Decode UTF-8 (with or without BOM, any line ends) into numbered lines."""
    if not data.strip():
        raise SourceError(path, "expected the text of the document, found an empty file")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(path, f"expected UTF-8 text, found byte 0x{data[exc.start]:02x}", line=line) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return tuple(Line(number, content) for number, content in enumerate(text.split("\n"), start=1))
