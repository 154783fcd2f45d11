"""Shared fixtures: small inline documents, one build of the real source per session (`source_build`, whose folder
is `built`), and PDFs generated from it."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from pipeline import DEFAULT_SOURCE
from pipeline.build import build
from pipeline.cli import main
from pipeline.provenance import sidecar_path, update_sidecar
from pipeline.rules import Rules, load_rules
from tests.editions import appended_edition, revised_edition
from tests.fixtures import LAYOUTS, Layout, Rendered, missing_font, render_pdf

LAYOUTS_BY_NAME = {layout.name: layout for layout in LAYOUTS}
# Fixtures that render PDFs, start a server or drive a browser: a test that asks for one is slow whatever its file.
SLOW_FIXTURES = frozenset({"fixture_pdfs", "pdf_build", "server", "driver"})


def pytest_collection_modifyitems(items):
    """Mark slow every test that asks for one of SLOW_FIXTURES, directly or through another fixture."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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

# The datapackage.json of an earlier output that lists no files: a folder holding only it may be replaced by a build,
# and a failed build must leave it as it was.
EARLIER_DESCRIPTOR = '{"name": "wg-som-recommendations", "resources": [], "description": "an earlier build"}\n'


@pytest.fixture(scope="session")
def rules() -> Rules:
    """The rules in rules/, loaded and checked once per session."""
    return load_rules()


@pytest.fixture
def out(tmp_path) -> Path:
    """An earlier output folder holding only its descriptor, to check that a failed build leaves it as it was."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "datapackage.json").write_text(EARLIER_DESCRIPTOR, encoding="utf-8")
    return folder


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


@dataclass(frozen=True)
class SourceBuild:
    """The session's build of the committed source: its output folder and its log."""

    folder: Path
    log: tuple[str, ...]

    def recommendations(self) -> pd.DataFrame:
        return pd.read_parquet(self.folder / "recommendations.parquet")

    def tables(self):
        """The tables of the committed source as the build hands them to every format's writer."""
        return _source_tables()


@cache
def _source_tables():
    from pipeline.stages.classify import classify
    from pipeline.stages.extract import extract
    from pipeline.stages.parse import parse
    from pipeline.stages.tabulate import tabulate

    return classify(tabulate(parse(extract(DEFAULT_SOURCE))), load_rules(), warn=lambda message: None)


@pytest.fixture(scope="session")
def source_build(tmp_path_factory) -> SourceBuild:
    """The committed source built once per session into a temporary folder, with its log."""
    log: list[str] = []
    out = tmp_path_factory.mktemp("source-build") / "output"
    build(DEFAULT_SOURCE, out, log=log.append)
    return SourceBuild(out, tuple(log))


@pytest.fixture(scope="session")
def built(source_build) -> Path:
    """The output folder of the session's build of the committed source."""
    return source_build.folder


@pytest.fixture(scope="session")
def datasette_get(built, tmp_path_factory):
    """GET from Datasette in-process (no server, no port), configured as `python -m pipeline serve` runs it: the
    session's database immutable, its metadata, the search plugin, the stylesheet and the limits in SETTINGS. Returns
    `get(path, **params)` giving the response."""
    import asyncio
    import json

    from datasette.app import Datasette

    from pipeline.publish.formats import sqlite
    from pipeline.serve import PLUGINS, SETTINGS, STYLE, STYLE_URL, metadata

    database = built / sqlite.filename()
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    assets = tmp_path_factory.mktemp("assets")
    (assets / STYLE_URL.rsplit("/", 1)[1]).write_text(STYLE, encoding="utf-8")
    ds = Datasette(immutables=[str(database)], metadata=metadata(descriptor, database), plugins_dir=str(PLUGINS),
                   static_mounts=[("assets", str(assets))], settings=SETTINGS)

    def get(path: str, **params):
        return asyncio.run(ds.client.get(path, params=params or None))

    return get


@pytest.fixture(scope="session")
def release_zip(built, tmp_path_factory) -> Path:
    """The release built once from the session's build of the real source."""
    from pipeline.release import build_release

    return build_release(built, tmp_path_factory.mktemp("dist"))


def _quiet(line: str) -> None:
    pass


@dataclass(frozen=True)
class PdfBuild:
    layout: Layout
    rendered: Rendered
    out: Path
    log: list[str]


def skip_unless_font(layout: Layout) -> None:
    """Skip a test of a layout whose font is not installed, with the reason; on CI (CI set) fail instead."""
    reason = missing_font(layout)
    if reason and os.environ.get("CI"):
        pytest.fail(reason)
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def raw_text() -> str:
    return DEFAULT_SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def fixture_pdfs(tmp_path_factory, raw_text) -> dict[str, Rendered]:
    """The committed text rendered as a UN-style PDF in each layout (generated, never committed)."""
    folder = tmp_path_factory.mktemp("pdf")
    return {layout.name: render_pdf(raw_text, folder / f"{layout.name}.pdf", layout)
            for layout in LAYOUTS if not missing_font(layout)}


@pytest.fixture(scope="session", params=sorted(LAYOUTS_BY_NAME))
def pdf_build(request, fixture_pdfs, tmp_path_factory) -> PdfBuild:
    """output/ built from the generated PDF of one layout, with its build log."""
    layout = LAYOUTS_BY_NAME[request.param]
    skip_unless_font(layout)
    rendered = fixture_pdfs[request.param]
    out = tmp_path_factory.mktemp(f"pdf-build-{request.param}") / "output"
    log: list[str] = []
    build(rendered.path, out, log=log.append, warn=lambda message: None)
    return PdfBuild(layout, rendered, out, log)


@pytest.fixture(scope="session")
def appended_build(tmp_path_factory) -> Path:
    """output/ of a later edition: the committed source plus a sixth meeting, built with no sidecar."""
    folder = tmp_path_factory.mktemp("appended-edition")
    source = folder / "later-edition.ru.md"
    source.write_text(appended_edition(), encoding="utf-8")
    build(source, folder / "output", log=_quiet, warn=_quiet)
    return folder / "output"


@pytest.fixture(scope="session")
def revised_build(tmp_path_factory) -> Path:
    """output/ of a reissue with a revised front matter and a sixth meeting, built with a fresh sidecar."""
    folder = tmp_path_factory.mktemp("revised-edition")
    source = folder / "revised-edition.ru.md"
    source.write_text(revised_edition(), encoding="utf-8")
    update_sidecar(source)
    build(source, folder / "output", log=_quiet, warn=_quiet)
    return folder / "output"
