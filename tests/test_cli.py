"""The command line: stage lines, one-line errors with exit code 2, and output left untouched on failure."""

import json
import subprocess
import sys

import pytest

from pipeline import PROJECT_ROOT
from pipeline.stages import publish as publish_module
from pipeline.errors import CheckError
from pipeline.publish.outfolder import lock_path
from tests.conftest import MINI_DOCUMENT


def snapshot(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture
def existing_output(tmp_path, run_cli, write_source):
    """An output folder holding a previous good build."""
    out = tmp_path / "out"
    code, _, _ = run_cli("build", "--source", write_source(MINI_DOCUMENT, "good.md"), "--out", out)
    assert code == 0
    return out


def test_build_prints_one_line_per_stage_with_counts(run_cli, write_source, tmp_path):
    code, out, err = run_cli("build", "--source", write_source(MINI_DOCUMENT), "--out", tmp_path / "o")
    assert code == 0
    stages = [line.split(":")[0] for line in out.splitlines()]
    assert stages == ["extract", "parse", "tabulate", "classify", "validate", "publish"]
    assert "parse: 2 meetings, 3 paragraphs, 3 subparagraphs (" in out
    assert err.startswith("warning: ") and err.rstrip().endswith("provenance unrecorded")


def test_help_explains_the_build_command(run_cli):
    with pytest.raises(SystemExit) as exit_info:
        run_cli("build", "--help")
    assert exit_info.value.code == 0


BAD_INPUTS = {
    "empty": (b"", "expected the text of the document, found an empty file"),
    "not_utf8": (b"I. \xff\n", "expected UTF-8 text, found byte 0xff"),
    "no_heading": ("1. Текст.\n".encode(), "expected a meeting heading like"),
    "unknown_month": ("I. Первое совещание, Вена, 1–2 мартобря 2012 года\n1. А.\n".encode(), "found 'мартобря'"),
    "repeated_number": (MINI_DOCUMENT.replace("2. Государствам следует:", "1. Государствам следует:").encode(),
                        "expected paragraph 2 of meeting I, found 1 again"),
    "skipped_number": (MINI_DOCUMENT.replace("2. Государствам следует:", "3. Государствам следует:").encode(),
                       "expected paragraph 2 of meeting I, found 3"),
    "skipped_letter": (MINI_DOCUMENT.replace("b) второе", "d) второе").encode(),
                       "expected subparagraph b) of paragraph I.2, found d)"),
    "stray_line": (MINI_DOCUMENT.replace("после разрыва", "После разрыва").encode(), "found 'После разрыва страницы;'"),
    "31_june": (MINI_DOCUMENT.replace("30 мая — 1 июня", "30 июня — 31 июня").encode(),
                ":3: expected real calendar dates, found '30 июня — 31 июня 2012 года' (day is out of range for month)"),
    "end_before_start": (MINI_DOCUMENT.replace("11–13 ноября", "13–11 ноября").encode(),
                         ":14: expected the first day before the last, found 2013-11-13 to 2013-11-11"),
    "meeting_before_the_previous": (MINI_DOCUMENT.replace("11–13 ноября 2013", "11–13 ноября 2011").encode(),
                                    ":14: expected meeting 2 to start after 2012-06-01, found 2011-11-11"),
    "unknown_heading_form": (MINI_DOCUMENT.replace("Вена, 11–13 ноября", "Вена; 11–13 ноября").encode(),
                             ":14: expected a meeting heading 'ROMAN. ORDINAL совещание, PLACE, DATES' or"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_with_one_line_and_leaves_output_untouched(case, existing_output, run_cli, write_source):
    content, expected = BAD_INPUTS[case]
    before = snapshot(existing_output)
    source = write_source(content, f"{case}.md")
    code, out, err = run_cli("build", "--source", source, "--out", existing_output)
    assert code == 2
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"error: {source}")
    assert expected in err
    assert snapshot(existing_output) == before
    leftovers = [p.name for p in existing_output.parent.iterdir() if p.name.startswith(".")]
    assert leftovers in ([], [lock_path(existing_output).name])  # no temporary folder; the lock file may stay


def test_source_with_changed_hash_exits_2_and_leaves_output_untouched(raw_copy, existing_output, run_cli):
    raw_copy.write_bytes(raw_copy.read_bytes().replace(b"2012", b"2011", 1))
    before = snapshot(existing_output)
    code, _, err = run_cli("build", "--source", raw_copy, "--out", existing_output)
    assert code == 2
    assert err.startswith(f"error: {raw_copy}: expected sha256 ")
    assert snapshot(existing_output) == before


def test_failed_package_validation_removes_the_staging_folder_and_keeps_output(
        existing_output, run_cli, write_source, monkeypatch):
    def reject(folder, readers=None):
        raise CheckError(folder / "datapackage.json", "expected a valid data package, found a planted error")

    monkeypatch.setattr(publish_module, "validate_package", reject)
    before = snapshot(existing_output)
    code, _, err = run_cli("build", "--source", write_source(MINI_DOCUMENT), "--out", existing_output)
    assert code == 2
    assert "found a planted error" in err
    assert snapshot(existing_output) == before
    assert sorted(p.name for p in existing_output.parent.iterdir() if p.is_dir()) == ["out"]


def test_sidecar_command_records_the_hash(raw_copy, run_cli):
    raw_copy.write_bytes(raw_copy.read_bytes() + b"\n")
    code, out, _ = run_cli("sidecar", raw_copy)
    assert code == 0 and out.startswith("wrote ")
    code, _, err = run_cli("build", "--source", raw_copy, "--out", raw_copy.parent / "o")
    assert code == 0, err


@pytest.mark.slow
def test_python_m_pipeline_build_in_a_process_of_its_own_writes_the_same_package(built, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--out", str(out)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1].startswith(f"publish: {len(snapshot(built))} files, frictionless valid, in ")
    assert snapshot(out) == snapshot(built)


def test_version_prints_the_release_name_and_needs_no_installed_library():
    probe = ("import sys; from pipeline.cli import main; main(['version']); "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'pyarrow', 'frictionless', 'numpy'}))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    meta = json.loads((PROJECT_ROOT / "schemas" / "package.json").read_text(encoding="utf-8"))
    assert done.stdout.splitlines() == [f"{meta['name']}-{meta['version']}", "[]"], done.stderr
