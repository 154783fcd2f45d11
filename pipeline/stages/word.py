"""Extract stage, Word part: read the body text of a Word document (.docx) with python-docx.

Only pipeline.stages.extract imports this module, and only this module imports python-docx. It turns the document's
body into the same kind of numbered lines as a text source: each Word paragraph is one line (a line break inside it
starts another), with a blank line between paragraphs, as the PDF part writes blocks. What Word keeps apart from the
body is not read: headers, footers, footnotes, endnotes and comments; a footnote or endnote mark in the body is
dropped (a custom mark such as «*» with it), as the PDF part drops raised marks. Tabs are kept (`12.<tab>Text`), a
soft hyphen is dropped, a non-breaking hyphen is a hyphen, deleted (and moved-away) tracked changes and hidden text
are left out, inserted ones read. A bold run is wrapped in ** as the text sources mark bold text. Word's automatic
list numbering (numbering.xml) is written out as Word displays it, for the formats read here (digits, letters, Roman
numerals, bullets), and refused in one line otherwise.

A .docx is a zip archive, so the archive is checked before python-docx reads it, against DOCX_ZIP: at most 2,000
members, none declaring more than 64 MiB uncompressed, 256 MiB in all, nor a compression ratio above 200 in a member
over 1 MiB (zipfile reads no further than a member's declared size, so the declared sizes bound the memory a file
can take). A table before the first meeting heading (the front matter's layout, as UN documents
set their masthead) is read cell by cell; a table after it is read only when each of its rows is a body paragraph
(a numbered paragraph, a lettered subparagraph or a meeting heading, its cells joined by a tab), and is an error
naming the table otherwise. Text in a text box is an error too: it would otherwise be lost.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import SourceError, convert_hint, preview
from pipeline.guards import MiB, ZipLimits, check_directory, check_members
from pipeline.stages.headings import is_heading
from pipeline.stages.markdown import undecorate

# XML compresses 5 to 30 times, a zip bomb a thousand times.
DOCX_ZIP = ZipLimits(entries=2000, member=64 * MiB, total=256 * MiB, ratio=200, ratio_from=MiB)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
ODF_MIMETYPE = b"application/vnd.oasis.opendocument"
BODY_ROW = re.compile(r"^\s*(?:\d{1,3}\.|[^\W\d_]\))\s")
BULLETS = "\uf0b7\uf0a7\uf0d8\uf0fc"  # Symbol and Wingdings bullets in private-use code points
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
NUMBER_FORMATS = {"decimal", "decimalZero", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "bullet",
                  "none"}
SUFFIXES = {"tab": "\t", "space": " ", "nothing": ""}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass
class WordText:
    """What the Word part of the extract stage returns: numbered lines and the text they make, and log notes."""

    lines: list[str]
    notes: list[str] = field(default_factory=list)
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = "".join(line + "\n" for line in self.lines)


def checked_zip(path: Path, data: bytes) -> zipfile.ZipFile:
    """The archive of a .docx, refused when damaged, not a Word document, or beyond the size bounds."""
    check_directory(io.BytesIO(data), path, DOCX_ZIP, SourceError)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise SourceError(path, f"expected a Word document (.docx), found a damaged zip archive ({describe(exc)}); "
                                f"if Word or LibreOffice opens it, save it again as .docx") from exc
    check_members(archive, path, DOCX_ZIP, SourceError)
    names = {member.filename for member in members}
    if "mimetype" in names and member_bytes(path, archive, "mimetype", 200).startswith(ODF_MIMETYPE):
        kind = member_bytes(path, archive, "mimetype", 200).decode("ascii", "replace").strip()
        what = "an OpenDocument text (.odt)" if kind.endswith(".text") else f"an OpenDocument file ({kind})"
        raise SourceError(path, f"expected a Word document (.docx), found {what}; {convert_hint(path)}")
    if "word/document.xml" not in names:
        found = ("an Excel workbook (.xlsx)" if "xl/workbook.xml" in names
                 else "a PowerPoint presentation (.pptx)" if "ppt/presentation.xml" in names
                 else "a zip archive that holds no Word document (no word/document.xml)")
        raise SourceError(path, f"expected a Word document (.docx), found {found}")
    return archive


def member_bytes(path: Path, archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with archive.open(name) as member:
            return member.read(limit)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise damaged(path, exc) from exc


def describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 120 else text[:119] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def damaged(path: Path, exc: BaseException) -> SourceError:
    return SourceError(path, f"expected a readable Word document, found a damaged one ({describe(exc)}); if Word or "
                             f"LibreOffice opens it, save it again as .docx")


def extract_docx(path: Path, data: bytes) -> WordText:
    """Read the body text of the .docx `data` (from `path`) as lines."""
    archive = checked_zip(path, data)
    import docx  # python-docx is imported only when a Word document is read

    try:
        document = docx.Document(io.BytesIO(data))
        reader = BodyReader(path, document)
        lines = reader.read()
    except SourceError:
        raise
    except Exception as exc:  # whatever python-docx or lxml fails with on a bad file is the file's fault
        raise damaged(path, exc) from exc
    finally:
        archive.close()
    if not any(line.strip() for line in lines):
        raise SourceError(path, "expected body text, found a Word document whose body holds no text")
    notes = [f"{reader.paragraphs} paragraphs, {reader.tables} tables, {reader.numbered} with Word list numbers, "
             f"{reader.marks} footnote marks dropped"]
    return WordText(lines, notes)


class BodyReader:
    """Walks the document body in order, writing each paragraph as text."""

    def __init__(self, path: Path, document):
        self.path = path
        self.document = document
        self.styles = {style.get(w("styleId")): style for style in
                       document.styles.element.iterchildren(w("style"))}
        self.default_style = next((style_id for style_id, style in self.styles.items()
                                   if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true")),
                                  None)
        self.numbering: Numbering | None = None
        self.paragraphs = 0
        self.tables = 0
        self.numbered = 0
        self.marks = 0
        self.in_body = False  # after the first meeting heading

    def read(self) -> list[str]:
        out: list[str] = []
        for text in self.blocks(self.document.element.body):
            if out:
                out.append("")
            out.extend(text.split("\n"))
        return out

    def blocks(self, container):
        """The text of each paragraph of `container` in order, content controls opened, tables read or refused."""
        for child in container.iterchildren():
            if child.tag == w("p"):
                self.paragraphs += 1
                text = self.paragraph(child)
                if text.strip():
                    if not self.in_body and is_heading(undecorate(text).strip()):
                        self.in_body = True
                    yield text
            elif child.tag == w("tbl"):
                self.tables += 1
                yield from self.table(child)
            elif child.tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    yield from self.blocks(content)
            elif child.tag in (w("ins"), w("customXml"), w("smartTag")):
                yield from self.blocks(child)

    def table(self, table):
        where = f"table {self.tables} (after paragraph {self.paragraphs})"
        if table.find(f".//{w('tbl')}") is not None:
            raise SourceError(self.path, f"{where}: expected a table of paragraphs, found a table inside a table")
        rows = []
        for row in table.iterchildren(w("tr")):
            cells = []
            for cell in row.iterchildren(w("tc")):
                span = cell.find(f"{w('tcPr')}/{w('vMerge')}")
                if span is not None and span.get(w("val")) in (None, "continue"):
                    continue  # a cell merged with the one above it: read once, there
                texts = []
                for paragraph in cell.iterchildren(w("p")):
                    self.paragraphs += 1
                    text = self.paragraph(paragraph)
                    if text.strip():
                        texts.append(text)
                if texts:
                    cells.append(texts)
            if cells:
                rows.append(cells)
        if not self.in_body:
            for cells in rows:
                for texts in cells:
                    yield from texts
            return
        for number, cells in enumerate(rows, start=1):
            line = "\t".join(" ".join(texts) for texts in cells)
            plain = undecorate(line).strip()
            if not (BODY_ROW.match(plain + " ") or is_heading(plain)):
                raise SourceError(self.path, f"{where}: expected a table whose rows each hold a numbered paragraph, "
                                             f"a lettered subparagraph or a meeting heading, found row {number} "
                                             f"{preview(plain)}; a table in the body is not read as text")
            yield line

    def paragraph(self, paragraph) -> str:
        number = self.list_number(paragraph)
        style = value_of(paragraph.find(w("pPr")), "pStyle") or self.default_style
        base_bold = bool(self.style_bold(style))
        pieces: list[tuple[str, bool]] = []
        for run in self.runs(paragraph):
            if on_off(run.find(f"{w('rPr')}/{w('vanish')}")):
                continue  # hidden text: Word does not show or print it
            pieces.append((self.run_text(run), self.run_bold(run, base_bold)))
        return number + bolded(pieces)

    def runs(self, element):
        """The runs of a paragraph whose text Word shows: in hyperlinks, fields, content controls and insertions."""
        for child in element.iterchildren():
            if child.tag == w("r"):
                yield child
            elif child.tag in (w("hyperlink"), w("fldSimple"), w("ins"), w("moveTo"), w("smartTag"),
                               w("customXml"), w("dir"), w("bdo")):
                yield from self.runs(child)
            elif child.tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    yield from self.runs(content)

    def run_text(self, run) -> str:
        if run.find(f".//{w('txbxContent')}//{w('t')}") is not None:
            raise SourceError(self.path, f"expected body text in paragraphs, found a text box in paragraph "
                                         f"{self.paragraphs}; text in a text box is not read")
        out: list[str] = []
        skip_mark = False
        for child in run.iterchildren():
            tag = child.tag
            if tag in (w("footnoteReference"), w("endnoteReference")):
                self.marks += 1
                skip_mark = child.get(w("customMarkFollows")) in ("1", "true", "on")
            elif tag == w("t"):
                if skip_mark:
                    skip_mark = False
                    continue
                out.append(child.text or "")
            elif tag in (w("tab"), w("ptab")):
                out.append("\t")
            elif tag == w("br"):
                out.append("" if child.get(w("type")) in ("page", "column") else "\n")
            elif tag == w("cr"):
                out.append("\n")
            elif tag == w("noBreakHyphen"):
                out.append("-")
            elif tag == w("sym"):
                code = int(child.get(w("char"), "0"), 16)
                if 0xE000 <= code <= 0xF8FF:
                    raise SourceError(self.path, f"expected Unicode text, found a symbol-font character "
                                                 f"(U+{code:04X}) in paragraph {self.paragraphs}")
                out.append(chr(code))
        return "".join(out).replace("\u00ad", "")

    def run_bold(self, run, base: bool) -> bool:
        properties = run.find(w("rPr"))
        if properties is not None:
            direct = on_off(properties.find(w("b")))
            if direct is not None:
                return direct
            from_style = self.style_bold(value_of(properties, "rStyle"))
            if from_style is not None:
                return from_style
        return base

    def style_bold(self, style_id: str | None) -> bool | None:
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            value = on_off(style.find(f"{w('rPr')}/{w('b')}"))
            if value is not None:
                return value
            based = style.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return None

    def style_numbering(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            found = style.find(f"{w('pPr')}/{w('numPr')}")
            if found is not None:
                return found
            based = style.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return None

    def list_number(self, paragraph) -> str:
        properties = paragraph.find(w("pPr"))
        direct = properties.find(w("numPr")) if properties is not None else None
        style = None
        if properties is not None and properties.find(w("pStyle")) is not None:
            style = self.style_numbering(properties.find(w("pStyle")).get(w("val")))
        if direct is None and style is None:
            return ""
        num_id = value_of(direct, "numId") or value_of(style, "numId")
        level = value_of(direct, "ilvl") or value_of(style, "ilvl") or "0"
        if num_id in (None, "0"):
            return ""
        if self.numbering is None:
            self.numbering = Numbering(self.path, self.document.part.numbering_part.element)
        self.numbered += 1
        return self.numbering.next(num_id, int(level), self.paragraphs)


def value_of(element, name: str) -> str | None:
    if element is None:
        return None
    child = element.find(w(name))
    return child.get(w("val")) if child is not None else None


def on_off(element) -> bool | None:
    if element is None:
        return None
    return element.get(w("val"), "true") not in ("0", "false", "off")


def bolded(pieces: list[tuple[str, bool]]) -> str:
    """The runs' text, each stretch of bold text wrapped in ** as the text sources mark it (white space outside)."""
    groups: list[list] = []
    for text, bold in pieces:
        if not text:
            continue
        if groups and (groups[-1][1] == bold or not text.strip()):
            groups[-1][0] += text
        elif groups and not groups[-1][0].strip():
            groups[-1] = [groups[-1][0] + text, bold]
        else:
            groups.append([text, bold])
    out = []
    for text, bold in groups:
        core = text.strip()
        if bold and core:
            start = text.index(core)
            out.append(f"{text[:start]}**{core}**{text[start + len(core):]}")
        else:
            out.append(text)
    return "".join(out)


class Numbering:
    """The numbers Word displays for paragraphs in automatic lists (numbering.xml), for the formats read here.

    Counters belong to the list definition (abstractNum), so lists that share one continue each other's numbers, as
    in Word; a list with a start override restarts the level when it is first used. A deeper level restarts when a
    higher one is numbered, unless its lvlRestart says otherwise. What this does not model is refused.
    """

    def __init__(self, path: Path, element):
        self.path = path
        self.abstracts = {a.get(w("abstractNumId")): a for a in element.iterchildren(w("abstractNum"))}
        self.nums = {n.get(w("numId")): n for n in element.iterchildren(w("num"))}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()

    def refuse(self, paragraph: int, found: str) -> SourceError:
        return SourceError(self.path, f"paragraph {paragraph}: expected numbers typed as text or Word list numbers "
                                      f"in digits, letters or Roman numerals, found {found}; convert the list "
                                      f"numbers to text in Word (ConvertNumbersToText) and save it again")

    def next(self, num_id: str, level: int, paragraph: int) -> str:
        num = self.nums.get(num_id)
        if num is None:
            raise self.refuse(paragraph, f"list {num_id}, which numbering.xml does not define")
        abstract_id = value_of(num, "abstractNumId")
        abstract = self.abstracts.get(abstract_id)
        if abstract is None or abstract.find(w("numStyleLink")) is not None:
            raise self.refuse(paragraph, f"list {num_id} defined through a list style or not at all")
        levels = {int(lvl.get(w("ilvl"))): lvl for lvl in abstract.iterchildren(w("lvl"))}
        if level not in levels:
            raise self.refuse(paragraph, f"level {level} of list {num_id}, which it does not define")
        counters = self.counters.setdefault(abstract_id, [None] * 10)
        if num_id not in self.started:
            self.started.add(num_id)
            for override in num.iterchildren(w("lvlOverride")):
                if override.find(w("lvl")) is not None:
                    raise self.refuse(paragraph, f"list {num_id} that redefines a level")
                start = value_of(override, "startOverride")
                if start is not None:
                    counters[int(override.get(w("ilvl")))] = int(start) - 1
        for lvl in levels.values():
            fmt = value_of(lvl, "numFmt") or "decimal"
            if fmt not in NUMBER_FORMATS:
                raise self.refuse(paragraph, f"list number format {fmt!r}")
            if lvl.find(w("isLgl")) is not None or lvl.find(w("lvlPicBulletId")) is not None:
                raise self.refuse(paragraph, "legal-style or picture list numbers")
        start = lambda index: int(value_of(levels[index], "start") or 0)  # noqa: E731
        counters[level] = start(level) if counters[level] is None else counters[level] + 1
        for deeper in range(level + 1, len(counters)):
            restart = value_of(levels[deeper], "lvlRestart") if deeper in levels else None
            if restart is None or (restart != "0" and level < int(restart)):
                counters[deeper] = None
        lvl = levels[level]
        fmt = value_of(lvl, "numFmt") or "decimal"
        template = value_of(lvl, "lvlText") or ""
        if fmt == "bullet":
            text = template.translate({ord(c): "•" for c in BULLETS})
        else:
            def placeholder(match: re.Match) -> str:
                index = int(match[1]) - 1
                if index not in levels:
                    raise self.refuse(paragraph, f"list {num_id} whose number names level {index}, undefined")
                value = counters[index] if counters[index] is not None else start(index)
                return number_text(value, value_of(levels[index], "numFmt") or "decimal")
            text = re.sub(r"%([1-9])", placeholder, template)
        suffix = SUFFIXES.get(value_of(lvl, "suff") or "tab", "\t")
        return text + suffix if text else ""


def number_text(value: int, fmt: str) -> str:
    if fmt == "decimal":
        return str(value)
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letter = LETTERS[(value - 1) % 26] * ((value - 1) // 26 + 1) if value > 0 else ""
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman, rest = "", value
        for amount, letters in ROMAN:
            while rest >= amount:
                roman, rest = roman + letters, rest - amount
        return roman.upper() if fmt == "upperRoman" else roman
    return ""
