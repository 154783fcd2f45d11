"""Shared fixtures: the real source, small inline documents, and one build of the real source per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import DEFAULT_SOURCE
from pipeline.cli import main
from pipeline.provenance import sidecar_path
from tests.research_build import fresh_build

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
