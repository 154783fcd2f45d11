"""The one package reader, pipeline/package.py: what it opens, what it offers, what it refuses, and that no other
module of pipeline/ parses datapackage.json or loads a stage for the server."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline import PROJECT_ROOT
from pipeline.errors import CheckError
from pipeline.package import DESCRIPTOR, Package, parse_descriptor, resource_name
from pipeline.schema import TABLES

PIPELINE = PROJECT_ROOT / "pipeline"


def test_resource_names_are_the_table_for_csv_and_table_dash_format_for_the_other_copies(built):
    assert resource_name("meetings", "csv") == "meetings"
    assert resource_name("meetings", "json") == "meetings-json"
    package = Package.open(built)
    for table in TABLES:
        for fmt in ("csv", "json", "parquet"):
            assert package.resource(table, fmt)["path"] == f"{table}.{fmt}"


def test_a_folder_a_descriptor_and_a_zip_give_the_same_descriptor_rows_and_files(built, tmp_path):
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(built.iterdir()):
            out.write(path, f"package-1.0.0/{path.name}")
    folder, descriptor, zipped = Package.open(built), Package.open(built / DESCRIPTOR), Package.open(archive)
    expected_rows = json.loads((built / "meetings.json").read_text(encoding="utf-8"))
    for package in (folder, descriptor, zipped):
        assert package.descriptor == json.loads((built / DESCRIPTOR).read_text(encoding="utf-8"))
        assert package.rows("meetings", verify=True) == expected_rows
        assert package.read("meetings.csv") == (built / "meetings.csv").read_bytes()
        assert package.has("meetings.csv") and not package.has("nothing.csv")
    assert zipped.folder is None and folder.folder == built


def test_a_missing_resource_and_a_missing_file_are_each_one_line(built, tmp_path):
    package = Package.open(built)
    with pytest.raises(CheckError) as raised:
        package.resource("notes", "json")
    assert raised.value.message == f"expected a resource notes-json in {DESCRIPTOR}, found none"
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    (copy / "meetings.json").unlink()
    with pytest.raises(CheckError) as raised:
        Package.open(copy).rows("meetings")
    assert raised.value.message == f"expected the file meetings.json listed in {DESCRIPTOR}, found none"


@pytest.mark.parametrize(("text", "message"), [
    ("[]", f"expected a {DESCRIPTOR} holding a JSON object, found list"),
    ('{"name": "x"}', "expected a data package with a list of resources, found none"),
    ('{"resources": [1]}', "expected a data package with a list of resources, found none"),
    ('{"resources": [{"name": "a"}]}', "expected the path of resource 'a' as a relative file path, found None"),
    ('{"resources": [{"name": "a", "path": "a.csv", "schema": "a.json"}]}',
     "expected the schema of resource 'a' inline, found a reference 'a.json'"),
])
def test_a_descriptor_of_another_shape_is_refused_when_it_is_read(text, message):
    with pytest.raises(CheckError) as raised:
        parse_descriptor(text.encode("utf-8"), "here")
    assert raised.value.message == message


def test_only_the_package_reader_parses_datapackage_json(built, tmp_path, monkeypatch):
    """Every reader of packages in pipeline/ is run with json.load and json.loads watched: each descriptor (a JSON
    object with resources) that a module of pipeline/ parses is parsed by pipeline.package."""
    from pipeline.publish.check import validate_package
    from pipeline.publish.outfolder import output_target
    from pipeline.release.browse import write_page
    from pipeline.release.diff import diff_packages
    from pipeline.release.docs import figure_bytes, release_block
    from pipeline.schema import package_metadata
    from pipeline.serve import check_database

    parsers: set[str] = set()
    real_load, real_loads = json.load, json.loads

    def watched(real):
        def parse(*args, **kwargs):
            value = real(*args, **kwargs)
            frame = sys._getframe(1)
            while frame.f_globals.get("__name__") == "pipeline.guards":  # load_json parses for its caller
                frame = frame.f_back
            caller = frame.f_globals.get("__name__", "")
            if isinstance(value, dict) and "resources" in value and caller.startswith("pipeline"):
                parsers.add(caller)
            return value
        return parse

    monkeypatch.setattr(json, "load", watched(real_load))
    monkeypatch.setattr(json, "loads", watched(real_loads))
    diff_packages(built, built / DESCRIPTOR)
    validate_package(built)
    check_database(built)
    write_page(Package.open(built), tmp_path / "page.html", version="1.0.0", released="2026-01-01")
    release_block()
    figure_bytes()
    output_target(built, package_metadata()["name"])
    assert parsers == {"pipeline.package"}


def test_no_module_of_the_pipeline_but_the_reader_names_the_descriptor_where_it_parses_json():
    """Besides package.py, no module both calls json.load or json.loads and names datapackage.json (or
    DESCRIPTOR)."""
    offenders = []
    for path in sorted(PIPELINE.rglob("*.py")):
        if path.name == "package.py" and path.parent == PIPELINE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parses = any(isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                     and node.func.attr in ("load", "loads") and isinstance(node.func.value, ast.Name)
                     and node.func.value.id == "json" for node in ast.walk(tree))
        names = any((isinstance(node, ast.Constant) and node.value == DESCRIPTOR)
                    or (isinstance(node, ast.Name) and node.id == "DESCRIPTOR") for node in ast.walk(tree))
        if parses and names:
            offenders.append(str(path.relative_to(PROJECT_ROOT)))
    assert offenders == []


def test_importing_the_server_loads_no_stage_nor_pandas_nor_frictionless():
    code = "import pipeline.serve, sys; print('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    modules = done.stdout.split()
    assert "pipeline.serve" in modules
    loaded = [name for name in modules if name.startswith("pipeline.stages") or name.split(".")[0] in
              ("pandas", "frictionless")]
    assert loaded == []


def test_the_publish_package_defines_nothing():
    tree = ast.parse((PIPELINE / "publish" / "__init__.py").read_text(encoding="utf-8"))
    assert [type(node).__name__ for node in tree.body] == ["Expr"]  # its docstring


def zip_with_flipped_header(path: Path, flag_bits: int = 0, method: int | None = None) -> Path:
    """A zip of one descriptor whose headers say it is encrypted (`flag_bits` 1) or compressed with `method`."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("package/datapackage.json", '{"name": "wg-som-recommendations", "resources": []}')
    data = bytearray(path.read_bytes())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 6] |= flag_bits
    data[central + 8] |= flag_bits
    if method is not None:
        data[local + 8] = data[central + 10] = method
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("command", ["diff", "verify-release"])
def test_an_encrypted_zip_or_one_of_an_unknown_compression_is_refused_in_one_line(command, tmp_path, run_cli, built):
    encrypted = zip_with_flipped_header(tmp_path / "encrypted.zip", flag_bits=1)
    unknown = zip_with_flipped_header(tmp_path / "unknown.zip", method=99)
    for path, message in (
            (encrypted, "expected files that are not encrypted, found package/datapackage.json encrypted"),
            (unknown, "expected files stored or deflated, found package/datapackage.json compressed with method 99")):
        code, out, err = run_cli(command, path, *([built] if command == "diff" else []))
        assert (code, out, err) == (2, "", f"error: {path}: {message}\n")
