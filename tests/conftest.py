"""Shared fixtures: the build from the committed text, and PDFs generated from that text in two layouts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline import DEFAULT_SOURCE
from pipeline.build import build
from pipeline.sample_pdf import LAYOUTS, Layout, Rendered, render_pdf

LAYOUTS_BY_NAME = {layout.name: layout for layout in LAYOUTS}


@dataclass(frozen=True)
class PdfBuild:
    layout: Layout
    rendered: Rendered
    out: Path


def _quiet(line: str) -> None:
    pass


@pytest.fixture(scope="session")
def raw_text() -> str:
    return DEFAULT_SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def text_build(tmp_path_factory) -> Path:
    """output/ built from the committed text source into a temporary folder."""
    out = tmp_path_factory.mktemp("text-build") / "output"
    build(DEFAULT_SOURCE, out, log=_quiet)
    return out


@pytest.fixture(scope="session")
def fixture_pdfs(tmp_path_factory, raw_text) -> dict[str, Rendered]:
    """The committed text rendered as a UN-style PDF in each layout (generated, never committed)."""
    folder = tmp_path_factory.mktemp("pdf")
    return {layout.name: render_pdf(raw_text, folder / f"{layout.name}.pdf", layout) for layout in LAYOUTS}


@pytest.fixture(scope="session", params=sorted(LAYOUTS_BY_NAME))
def pdf_build(request, fixture_pdfs, tmp_path_factory) -> PdfBuild:
    """output/ built from the generated PDF of one layout."""
    rendered = fixture_pdfs[request.param]
    out = tmp_path_factory.mktemp(f"pdf-build-{request.param}") / "output"
    build(rendered.path, out, log=_quiet)
    return PdfBuild(LAYOUTS_BY_NAME[request.param], rendered, out)
