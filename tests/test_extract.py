import json

import pytest

from pipeline.errors import SourceError
from pipeline.provenance import sidecar_path, update_sidecar
from pipeline.stages.extract import extract
from tests.conftest import MINI_DOCUMENT


def texts(source):
    return [line.text for line in source.lines]


def test_lines_are_numbered_from_one_and_keep_blank_lines(write_source):
    source = extract(write_source("a\n\nb\n"))
    assert [(line.number, line.text) for line in source.lines] == [(1, "a"), (2, ""), (3, "b")]
    assert all(line.page is None for line in source.lines)


def test_windows_line_ends_and_byte_order_mark_give_the_same_lines(write_source):
    plain = extract(write_source(MINI_DOCUMENT, "plain.md"))
    windows = extract(write_source("\ufeff" + MINI_DOCUMENT.replace("\n", "\r\n"), "windows.md"))
    assert texts(windows) == texts(plain)


def test_source_without_final_line_end_keeps_its_last_line(write_source):
    assert texts(extract(write_source("a\nb"))) == ["a", "b"]


def test_empty_file_is_rejected(write_source):
    path = write_source(b"")
    with pytest.raises(SourceError, match="expected the text of the document, found an empty file") as error:
        extract(path)
    assert str(error.value).startswith(str(path))


def test_bytes_that_are_not_utf8_are_rejected_with_their_line(write_source):
    path = write_source("строка\nвторая\n".encode() + b"\xff\xfe bad\n")
    with pytest.raises(SourceError) as error:
        extract(path)
    assert str(error.value) == f"{path}:3: expected UTF-8 text, found byte 0xff"


def test_missing_file_is_reported_as_source_error(tmp_path):
    with pytest.raises(SourceError) as error:
        extract(tmp_path / "nowhere.md")
    assert str(error.value) == f"{tmp_path / 'nowhere.md'}: expected a source file, found nothing at this path"


def test_source_whose_hash_differs_from_its_sidecar_is_refused(raw_copy):
    raw_copy.write_bytes(raw_copy.read_bytes().replace("Вена".encode(), "Вена ".encode(), 1))
    with pytest.raises(SourceError) as error:
        extract(raw_copy)
    message = str(error.value)
    assert message.startswith(f"{raw_copy}: expected sha256 628c1c46")
    assert "python -m pipeline sidecar" in message


def test_source_matching_its_sidecar_carries_the_sidecar(raw_copy):
    source = extract(raw_copy)
    assert source.sidecar["sha256"] == source.sha256
    assert source.sidecar["language"] == "ru"


def test_source_without_sidecar_carries_a_provenance_warning_for_the_end_of_the_build(write_source, capsys):
    path = write_source(MINI_DOCUMENT)
    source = extract(path)
    assert source.sidecar is None
    assert source.warnings == (f"{path}: no sidecar doc.md.source.json; provenance unrecorded",)
    assert capsys.readouterr().err == ""


def test_sidecar_update_records_the_new_hash_and_keeps_other_keys(raw_copy):
    raw_copy.write_bytes(raw_copy.read_bytes() + b"\n")
    update_sidecar(raw_copy)
    sidecar = json.loads(sidecar_path(raw_copy).read_text(encoding="utf-8"))
    assert sidecar["bytes"] == raw_copy.stat().st_size
    assert sidecar["title"].startswith("Рекомендации")
    assert extract(raw_copy).sha256 == sidecar["sha256"]


def test_sidecar_missing_required_keys_is_rejected(raw_copy):
    sidecar_path(raw_copy).write_text('{"sha256": "00"}', encoding="utf-8")
    with pytest.raises(SourceError, match="missing bytes, title"):
        extract(raw_copy)
