"""The figure of rows per meeting by kind: drawn from the data, the same bytes every time."""

import json
import struct

import pytest

from pipeline.release.figure import DPI, SIZE_INCHES, render_figure


@pytest.fixture(scope="module")
def tables(built):
    return [json.loads((built / f"{t}.json").read_text(encoding="utf-8")) for t in ("recommendations", "meetings")]


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        chunks.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return chunks


def test_two_renders_of_the_same_rows_are_byte_identical(tables):
    assert render_figure(*tables) == render_figure(*tables)


def test_figure_is_a_png_of_the_fixed_size_without_a_software_stamp(tables):
    chunks = png_chunks(render_figure(*tables))
    width, height = struct.unpack(">II", chunks[0][1][:8])
    assert (width, height) == (SIZE_INCHES[0] * DPI, SIZE_INCHES[1] * DPI)
    text = b"".join(body for kind, body in chunks if kind in (b"tEXt", b"iTXt", b"zTXt"))
    assert b"Software" not in text and b"matplotlib" not in text.lower()


def test_figure_is_drawn_from_the_rows(tables):
    recommendations, meetings = tables
    fewer = [row for row in recommendations if row["id"] != "5.5"]
    assert render_figure(fewer, meetings) != render_figure(recommendations, meetings)


def test_release_figure_is_the_render_of_its_data(release_zip, tables):
    assert (release_zip.with_suffix("") / "recommendations-per-meeting.png").read_bytes() == render_figure(*tables)
