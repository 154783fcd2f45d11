"""Shared fixtures: small inline documents, one build of the real source per session, and PDFs generated from it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline import DEFAULT_SOURCE
from pipeline.build import build
from pipeline.cli import main
from pipeline.provenance import sidecar_path
from pipeline.tools.sample_pdf import LAYOUTS, Layout, Rendered, render_pdf
from tests.research_build import fresh_build

LAYOUTS_BY_NAME = {layout.name: layout for layout in LAYOUTS}

MINI_DOCUMENT = """\
**Заголовок**

I. Первое совещание, Вена, 30 мая — 1 июня 2012 года

1. Государствам-участникам следует делать одно.
2. Государствам следует:
 - a) первое;
b) второе, которое продолжается

после разрыва страницы;

с) третье.

II. Второе совещание, Вена, 11–13 ноября 2013 года

1. Секретариату следует делать другое.
"""


@pytest.fixture
def write_source(tmp_path):
    """Write text (or bytes) to a source file in a temporary folder and return its path."""

    def write(content: str | bytes, name: str = "doc.md") -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    return write


@pytest.fixture
def run_cli(capsys):
    """Run `python -m pipeline …` in-process; return (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A copy of the real source with its sidecar, in a temporary folder."""
    target = tmp_path / DEFAULT_SOURCE.name
    shutil.copy(DEFAULT_SOURCE, target)
    shutil.copy(sidecar_path(DEFAULT_SOURCE), sidecar_path(target))
    return target


@pytest.fixture(scope="session")
def built() -> Path:
    """output folder built once per session from the real source (shared with tests/research_build.py)."""
    return fresh_build().folder


@pytest.fixture(scope="session")
def release_zip(built, tmp_path_factory) -> Path:
    """The release built once from the session's build of the real source."""
    from pipeline.release import build_release

    return build_release(built, tmp_path_factory.mktemp("dist"))


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
def text_build(built) -> Path:
    """output/ built from the committed text source into a temporary folder."""
    return built


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
