"""Word documents (.docx): what is read as body text, how, and the one-line refusals of what is not read."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml

from pipeline.cli import main
from pipeline.stages.extract import extract
from pipeline.guards import size_text
from pipeline.stages.word import DOCX_ZIP
from tests.conftest import EARLIER_DESCRIPTOR

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADING = "I. Первое совещание, Вена, 30 мая — 1 июня 2012 года"


def save(document, path):
    document.save(str(path))
    return path


def lines_of(path) -> list[str]:
    return [line.text for line in extract(path).lines]


def numbered(paragraph, num_id: int, level: int) -> None:
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def with_numbering(document, levels: str, overrides: str = "") -> None:
    """Replace the template's list definitions by one list (numId 7, abstractNum 70) with the given levels."""
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    numbering.append(parse_xml(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="70">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W}" w:numId="7"><w:abstractNumId w:val="70"/>{overrides}</w:num>'))


def level(ilvl: int, fmt: str, text: str, start: int = 1) -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


def test_body_paragraphs_are_read_in_order_without_headers_footers_or_comments(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "CTOC/COP/WG.7/2019/3"
    document.sections[0].footer.paragraphs[0].text = "V.19-05432"
    document.add_paragraph(HEADING)
    paragraph = document.add_paragraph("1.\tГосударствам-участникам следует делать одно.")
    document.add_comment(paragraph.runs, text="Проверить формулировку", author="Редактор")
    document.add_paragraph("a)\tпервое;\u00ad")
    assert lines_of(save(document, tmp_path / "doc.docx")) == [
        HEADING, "", "1.\tГосударствам-участникам следует делать одно.", "", "a)\tпервое;"]


def test_bold_runs_are_marked_as_the_text_sources_mark_them_and_line_breaks_start_lines(tmp_path):
    document = docx.Document()
    run = document.add_paragraph().add_run("Конференция участников")
    run.bold = True
    run.add_break(WD_BREAK.LINE)
    run.add_text("Конвенции")
    paragraph = document.add_paragraph("Пункт ")
    paragraph.add_run("4").bold = True
    paragraph.add_run(" повестки дня")
    document.add_paragraph("Справочный документ", style="Heading 1")  # bold through its style
    assert lines_of(save(document, tmp_path / "doc.docx")) == [
        "**Конференция участников", "Конвенции**", "", "Пункт **4** повестки дня", "", "**Справочный документ**"]


def test_a_footnote_mark_is_dropped_with_its_custom_mark_and_the_footnote_is_not_body_text(tmp_path):
    path = tmp_path / "doc.docx"
    save(docx.Document(), path)
    document = docx.Document(str(path))
    paragraph = document.add_paragraph("Пункт 4 предварительной повестки дня")
    paragraph._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:footnoteReference w:customMarkFollows="1" w:id="2"/>'
                                  f'<w:t>*</w:t></w:r>'))
    paragraph._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:t xml:space="preserve"> и далее</w:t>'
                                  f'<w:endnoteReference w:id="3"/></w:r>'))
    source = extract(save(document, path))
    assert [line.text for line in source.lines] == ["Пункт 4 предварительной повестки дня и далее"]
    assert "2 footnote marks dropped" in source.notes[0]


def test_hidden_text_and_deleted_changes_are_left_out_and_inserted_changes_read(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("Видимый текст")
    paragraph.add_run(" скрытый").font.hidden = True
    paragraph._p.append(parse_xml(f'<w:del xmlns:w="{W}" w:id="1" w:author="A"><w:r><w:delText> удаленный'
                                  f'</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:ins xmlns:w="{W}" w:id="2" w:author="A"><w:r><w:t xml:space="preserve"> '
                                  f'вставленный</w:t></w:r></w:ins>'))
    assert lines_of(save(document, tmp_path / "doc.docx")) == ["Видимый текст вставленный"]


def test_a_list_definition_that_does_not_parse_is_a_damaged_document(tmp_path):
    document = docx.Document()
    with_numbering(document, '<w:lvl w:ilvl="x"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>')
    numbered(document.add_paragraph("первый"), 7, 0)
    path = save(document, tmp_path / "doc.docx")
    with pytest.raises(Exception) as error:
        extract(path)
    assert str(error.value) == (
        f"{path}: expected a readable Word document, found a damaged one (ValueError: invalid literal for int() with "
        f"base 10: 'x'); if Word or LibreOffice opens it, save it again as .docx")


def test_word_list_numbers_are_written_as_word_displays_them(tmp_path):
    document = docx.Document()
    with_numbering(document, level(0, "decimal", "%1.") + level(1, "lowerLetter", "%2)")
                   + level(2, "upperRoman", "%1.%3"), overrides="")
    texts = [("первый", 0), ("второй", 0), ("подпункт", 1), ("еще подпункт", 1), ("третий", 0),
             ("снова с буквы a", 1), ("римский", 2)]
    for text, ilvl in texts:
        numbered(document.add_paragraph(text), 7, ilvl)
    source = extract(save(document, tmp_path / "doc.docx"))
    assert [line.text for line in source.lines if line.text] == [
        "1.\tпервый", "2.\tвторой", "a)\tподпункт", "b)\tеще подпункт", "3.\tтретий", "a)\tснова с буквы a",
        "3.I\tримский"]
    assert "7 with Word list numbers" in source.notes[0]


def test_a_start_override_restarts_the_list_where_word_restarts_it(tmp_path):
    document = docx.Document()
    with_numbering(document, level(0, "decimal", "%1.", start=1),
                   overrides='<w:lvlOverride w:ilvl="0"><w:startOverride w:val="12"/></w:lvlOverride>')
    numbered(document.add_paragraph("двенадцатый"), 7, 0)
    numbered(document.add_paragraph("тринадцатый"), 7, 0)
    assert [line for line in lines_of(save(document, tmp_path / "doc.docx")) if line] == [
        "12.\tдвенадцатый", "13.\tтринадцатый"]


def test_word_list_numbering_in_a_format_not_read_is_refused_in_one_line(tmp_path):
    document = docx.Document()
    with_numbering(document, level(0, "russianLower", "%1)"))
    document.add_paragraph(HEADING)
    numbered(document.add_paragraph("первый"), 7, 0)
    path = save(document, tmp_path / "doc.docx")
    with pytest.raises(Exception) as error:
        extract(path)
    assert str(error.value) == (
        f"{path}: paragraph 2: expected numbers typed as text or Word list numbers in digits, letters or Roman "
        f"numerals, found list number format 'russianLower'; convert the list numbers to text in Word "
        f"(ConvertNumbersToText) and save it again")


def test_a_layout_table_in_the_front_matter_is_read_cell_by_cell(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run("Конференция участников").bold = True
    table.cell(0, 1).paragraphs[0].text = "Distr.: General"
    document.add_paragraph(HEADING)
    assert lines_of(save(document, tmp_path / "doc.docx")) == [
        "**Конференция участников**", "", "Distr.: General", "", HEADING]


def test_a_body_table_of_numbered_paragraphs_is_read_row_by_row(tmp_path):
    document = docx.Document()
    document.add_paragraph(HEADING)
    table = document.add_table(rows=2, cols=2)
    for row, (number, text) in enumerate([("1.", "Первый абзац."), ("2.", "Второй абзац.")]):
        table.cell(row, 0).text, table.cell(row, 1).text = number, text
    assert lines_of(save(document, tmp_path / "doc.docx")) == [
        HEADING, "", "1.\tПервый абзац.", "", "2.\tВторой абзац."]


def test_a_body_table_of_other_content_is_refused_naming_its_position(tmp_path):
    document = docx.Document()
    document.add_paragraph(HEADING)
    document.add_paragraph("1.\tГосударствам следует:")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Год", "Число"
    path = save(document, tmp_path / "doc.docx")
    with pytest.raises(Exception) as error:
        extract(path)
    assert str(error.value) == (
        f"{path}: table 1 (after paragraph 2): expected a table whose rows each hold a numbered paragraph, a "
        f"lettered subparagraph or a meeting heading, found row 1 'Год\\tЧисло'; a table in the body is not read "
        f"as text")


# Bad input: one line naming the file, exit code 2, the output folder as it was.


def refused(source, out, capsys) -> str:
    code = main(["build", "--source", str(source), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert [p.name for p in out.iterdir()] == ["datapackage.json"]
    assert (out / "datapackage.json").read_text(encoding="utf-8") == EARLIER_DESCRIPTOR
    return err.rstrip("\n")


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_97_document_is_refused_with_the_command_that_converts_it(tmp_path, out, capsys):
    source = tmp_path / "old report.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert refused(source, out, capsys) == (
        f"error: {source}: expected a Word document (.docx), found an OLE2 compound file (a Word 97-2003 .doc, or an "
        f"Office file with a password); convert it with LibreOffice: soffice --headless --convert-to docx "
        f"'{source}'")


def test_an_opendocument_text_is_refused_with_the_command_that_converts_it(tmp_path, out, capsys):
    source = tmp_path / "doc.odt"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    assert refused(source, out, capsys) == (
        f"error: {source}: expected a Word document (.docx), found an OpenDocument text (.odt); convert it with "
        f"LibreOffice: soffice --headless --convert-to docx {source}")


def test_a_docx_that_is_not_a_zip_is_refused(tmp_path, out, capsys):
    source = tmp_path / "doc.docx"
    source.write_bytes(b"\x00\xe4 not a zip")
    assert refused(source, out, capsys) == (
        f"error: {source}: expected a Word document (.docx), which is a zip archive, found a file that is not one "
        f"(it starts with b'\\x00\\xe4 not a'); if Word or LibreOffice opens it, save it again as .docx")


def test_a_truncated_docx_is_refused_as_a_damaged_archive(tmp_path, out, capsys):
    data = docx_bytes(docx.Document())
    source = tmp_path / "doc.docx"
    source.write_bytes(data[: len(data) // 2])
    assert refused(source, out, capsys) == (
        f"error: {source}: expected a Word document (.docx), found a damaged zip archive (BadZipFile: File is not a "
        f"zip file); if Word or LibreOffice opens it, save it again as .docx")


def test_a_docx_whose_document_part_is_damaged_is_refused(tmp_path, out, capsys):
    source = tmp_path / "doc.docx"
    with zipfile.ZipFile(io.BytesIO(docx_bytes(docx.Document()))) as original, \
            zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as damaged:
        for info in original.infolist():
            data = original.read(info.filename)
            damaged.writestr(info, data[:200] if info.filename == "word/document.xml" else data)
    assert refused(source, out, capsys).startswith(
        f"error: {source}: expected a readable Word document, found a damaged one (XMLSyntaxError: ")


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path, out, capsys):
    source = tmp_path / "doc.docx"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(source, out, capsys) == (
        f"error: {source}: expected a Word document (.docx), found a zip archive that holds no Word document (no "
        f"word/document.xml)")


def test_a_word_document_with_no_body_text_is_refused(tmp_path, out, capsys):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Только колонтитул"
    document.add_paragraph("   ")
    source = save(document, tmp_path / "doc.docx")
    assert refused(source, out, capsys) == (
        f"error: {source}: expected body text, found a Word document whose body holds no text")


def test_a_zip_bomb_is_refused_before_it_is_decompressed(tmp_path, out, capsys):
    source = tmp_path / "doc.docx"
    with zipfile.ZipFile(io.BytesIO(docx_bytes(docx.Document()))) as original, \
            zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in original.infolist():
            bomb.writestr(info.filename, original.read(info.filename))
        bomb.writestr("word/media/padding.xml", bytes(16 * 2**20))
    size = 16 * 2**20
    compressed = next(i.compress_size for i in zipfile.ZipFile(source).infolist() if i.filename.endswith("padding.xml"))
    assert size / compressed > DOCX_ZIP.ratio
    assert refused(source, out, capsys) == (
        f"error: {source}: expected each file compressed at most {DOCX_ZIP.ratio} to 1, found "
        f"word/media/padding.xml of 16.0 MiB in {size_text(compressed)} (a zip bomb?)")


def test_a_paragraph_the_parser_cannot_place_is_refused_naming_the_line_of_the_text_read(tmp_path, out, capsys):
    document = docx.Document()
    document.add_paragraph(HEADING)
    document.add_paragraph("1.\tГосударствам следует делать одно.")
    document.add_paragraph("Абзац без номера.")
    source = save(document, tmp_path / "doc.docx")
    assert refused(source, out, capsys) == (
        f"error: {source}:5: expected a meeting heading ('I. Первое совещание, Вена, 30 мая — 1 июня 2012 года'), "
        f"a numbered paragraph ('12. …'), a lettered subparagraph ('a) …') or a lower-case continuation of the "
        f"unit before, found 'Абзац без номера.'")
