"""Hostile and careless input: every case ends in one line and exit 2 (or exit 0 where the folder is an earlier
output), keeps every file the build did not write byte for byte, opens nothing outside a package, and stays within
bounded time and memory."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import filelock
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import PROJECT_ROOT
from pipeline.guards import MEMBER_MAX_BYTES, MiB, SOURCE_MAX_BYTES
from pipeline.publish.formats import csv as csv_format
from pipeline.publish.formats import xlsx
from pipeline.publish.outfolder import OutputError, install, lock_path
from pipeline.schema import package_metadata
from tests.conftest import MINI_DOCUMENT

PACKAGE = package_metadata()["name"]
MEMORY_LIMIT_KB = 400 * 1024  # 400 MB, as ru_maxrss counts (KiB on Linux)
SUBPROCESS_TIMEOUT = 120  # seconds: a case that blocks fails the test instead of hanging it


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every file's bytes and every link's target under `folder`, by relative path."""
    found: dict[str, bytes | str] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            relative = str(path.relative_to(folder))
            if path.is_symlink():
                found[relative] = "link to " + os.readlink(path)
            elif path.is_file():
                found[relative] = path.read_bytes()
            else:
                found[relative] = "folder"
    return found


def run(*argv, cwd: Path = PROJECT_ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m pipeline …` in a process of its own, which must finish within SUBPROCESS_TIMEOUT."""
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, argv)], cwd=cwd, capture_output=True,
                          text=True, timeout=SUBPROCESS_TIMEOUT, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT),
                                                                      **(env or {})})


# Started from the test process, a child's peak memory would count the pages of the test process it was forked
# from; so a small launcher starts the command and reports, from getrusage, the peak of the child it waited for.
MEASURED = """\
import resource, subprocess, sys
code = subprocess.call([sys.executable, "-m", "pipeline", *sys.argv[1:]])
print(f"maxrss {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
sys.exit(code)
"""


def run_measured(*argv) -> tuple[subprocess.CompletedProcess, int]:
    """Run a command in a process of its own; return it and its peak resident memory in KiB."""
    done = subprocess.run([sys.executable, "-c", MEASURED, *map(str, argv)], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=SUBPROCESS_TIMEOUT, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    return done, int(done.stdout.strip().splitlines()[-1].split()[1])


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    return lines[0].removeprefix("error: ")


@pytest.fixture
def mini_source(tmp_path) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    path = folder / "doc.md"
    path.write_text(MINI_DOCUMENT, encoding="utf-8")
    return path


@pytest.fixture
def earlier_output(tmp_path, mini_source, run_cli) -> Path:
    out = tmp_path / "earlier" / "out"
    code, _, err = run_cli("build", "--source", mini_source, "--out", out)
    assert code == 0, err
    return out


# --- the output folder ---------------------------------------------------------------------------------------


def refused_output(run_cli, source: Path, out) -> str:
    code, _, err = run_cli("build", "--source", source, "--out", out)
    assert code == 2
    return one_error_line(err)


def test_a_folder_of_someone_elses_files_is_refused_and_kept(tmp_path, mini_source, run_cli):
    thesis = tmp_path / "thesis"
    (thesis / "notes").mkdir(parents=True)
    (thesis / "thesis.docx").write_bytes(b"chapter one")
    (thesis / "notes" / "todo.txt").write_text("read more", encoding="utf-8")
    before = snapshot(thesis)
    message = refused_output(run_cli, mini_source, thesis)
    assert message == (f"{thesis}: expected a missing or empty folder or an earlier output of {PACKAGE}, found no "
                       f"datapackage.json of {PACKAGE} among its 2 entries (notes/, thesis.docx); move it away or "
                       f"choose another --out")
    assert snapshot(thesis) == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_a_file_left_in_an_earlier_output_is_refused_by_name_and_kept(earlier_output, mini_source, run_cli):
    (earlier_output / "my-analysis.txt").write_text("my findings", encoding="utf-8")
    before = snapshot(earlier_output)
    message = refused_output(run_cli, mini_source, earlier_output)
    assert message == (f"{earlier_output}: expected a missing or empty folder or an earlier output of {PACKAGE}, "
                       f"found my-analysis.txt, which the build did not write; move it away or choose another --out")
    assert snapshot(earlier_output) == before


def test_an_earlier_output_is_replaced_with_exit_0(earlier_output, mini_source, run_cli):
    (earlier_output / "meetings.csv").write_bytes(b"stale")
    code, out, err = run_cli("build", "--source", mini_source, "--out", earlier_output)
    assert code == 0, err
    assert (earlier_output / "meetings.csv").read_bytes() != b"stale"
    assert sorted(path.name for path in earlier_output.parent.iterdir()) == [lock_path(earlier_output).name, "out"]


def test_the_current_folder_is_refused_as_dot_and_as_an_empty_path(tmp_path, mini_source, run_cli, monkeypatch):
    work = tmp_path / "somewhere" / "project"
    work.mkdir(parents=True)
    (work / "raw.md").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(work)
    before = snapshot(work)
    for out in (".", ""):
        message = refused_output(run_cli, mini_source, out)
        assert message == (f". ({work}): expected a folder of its own for the dataset, found the current "
                           f"folder; choose another --out")
    assert refused_output(run_cli, mini_source, "..") == (
        f"..: expected a folder of its own for the dataset, found a folder that holds the current folder "
        f"({work}); choose another --out")
    assert snapshot(work) == before


def test_the_project_root_a_parent_of_the_source_home_and_root_are_refused(tmp_path, mini_source, run_cli,
                                                                           monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    expected = {
        PROJECT_ROOT: "the project's folder",
        mini_source.parent: "the folder holding the source",
        home: "a home folder",
        Path("/"): "the root of the file system",
    }
    for out, words in expected.items():
        message = refused_output(run_cli, mini_source, out)
        if words == "the folder holding the source":
            words = f"a folder that holds the source ({mini_source})"
        assert message == f"{out}: expected a folder of its own for the dataset, found {words}; choose another --out"
    assert mini_source.read_text(encoding="utf-8") == MINI_DOCUMENT


def test_a_plain_file_as_output_is_refused_and_kept(tmp_path, mini_source, run_cli):
    target = tmp_path / "results.csv"
    target.write_bytes(b"a,b\n1,2\n")
    message = refused_output(run_cli, mini_source, target)
    assert message == f"{target}: expected a folder, found a regular file; choose another --out"
    assert target.read_bytes() == b"a,b\n1,2\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["results.csv", "source"]


def test_a_link_to_a_folder_of_other_files_is_refused_and_the_folder_kept(tmp_path, mini_source, run_cli):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    link = tmp_path / "out"
    link.symlink_to(folder)
    message = refused_output(run_cli, mini_source, link)
    assert message.startswith(f"{link}: expected a missing or empty folder or an earlier output of {PACKAGE}, found")
    assert link.is_symlink() and (folder / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.slow
def test_a_link_to_an_earlier_output_stays_a_link_and_its_target_gets_the_new_package(earlier_output, mini_source,
                                                                                       run_cli, tmp_path):
    link = tmp_path / "latest"
    link.symlink_to(earlier_output)
    code, _, err = run_cli("build", "--source", mini_source, "--out", link)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(earlier_output)
    assert (earlier_output / "datapackage.json").is_file()


def test_a_second_build_waits_for_the_lock_and_then_says_so_in_one_line(tmp_path):
    target = tmp_path / "out"
    staging = tmp_path / "staging"
    staging.mkdir()
    with filelock.FileLock(lock_path(target)):
        with pytest.raises(OutputError) as error:
            install(staging, target, PACKAGE, wait=0.2)
    assert str(error.value) == (f"{target}: expected to be the only build writing here, found another build "
                                f"holding .out.lock for 0.2 s; try again when it has finished")
    assert staging.is_dir() and not target.exists()


@pytest.mark.slow
def test_concurrent_installs_into_one_folder_never_fail_and_the_folder_is_never_missing(tmp_path):
    target = tmp_path / "out"
    errors: list[BaseException] = []
    missing = threading.Event()
    done = threading.Event()

    def package(number: int) -> Path:
        staging = tmp_path / f"staging-{number}"
        staging.mkdir()
        (staging / "datapackage.json").write_text(json.dumps(
            {"name": PACKAGE, "resources": [{"path": "n.txt"}]}), encoding="utf-8")
        (staging / "n.txt").write_text(str(number), encoding="utf-8")
        return staging

    install(package(0), target, PACKAGE)

    def writer(first: int) -> None:
        try:
            for number in range(first, first + 200):
                install(package(number), target, PACKAGE)
        except BaseException as exc:  # any failure is the test's finding
            errors.append(exc)

    def reader() -> None:
        while not done.is_set():
            if not (target / "datapackage.json").is_file():
                missing.set()

    threads = [threading.Thread(target=writer, args=(first,)) for first in (1000, 2000, 3000, 4000)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    watcher.join()
    assert errors == []
    assert not missing.is_set()
    assert sorted(path.name for path in target.iterdir()) == ["datapackage.json", "n.txt"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [".out.lock", "out"]


@pytest.mark.slow
def test_four_builds_into_one_folder_at_once_all_succeed_without_a_traceback(tmp_path, mini_source):
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    processes = [subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--source", str(mini_source),
                                   "--out", str(out)], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [(process.wait(timeout=SUBPROCESS_TIMEOUT), process.stderr.read()) for process in processes]
    for process in processes:
        process.stdout.close(), process.stderr.close()
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert not any("Traceback" in err for _, err in results)
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(path.name for path in out.iterdir()) == sorted(
        ["datapackage.json"] + [resource["path"] for resource in descriptor["resources"]])


entry_names = st.sampled_from(["datapackage.json", "meetings.csv", "notes.txt", "thesis", ".git", "sub",
                               "recommendations.json", "my-analysis.txt"])


@st.composite
def folder_contents(draw):
    """A folder's entries: files (some with a descriptor of this package), subfolders and links."""
    entries = draw(st.dictionaries(entry_names, st.sampled_from(["file", "folder", "link", "descriptor"]),
                                   max_size=5))
    return entries


def lay_out(folder: Path, entries: dict[str, str], outside: Path) -> None:
    folder.mkdir(parents=True)
    for name, kind in entries.items():
        path = folder / name
        if kind == "file":
            path.write_bytes(f"{name} of someone".encode())
        elif kind == "folder":
            path.mkdir()
            (path / "inner.txt").write_bytes(b"inner")
        elif kind == "link":
            path.symlink_to(outside)
        else:
            listed = [other for other in entries if other != name]
            path.write_text(json.dumps({"name": PACKAGE, "resources": [{"path": p} for p in listed]}),
                            encoding="utf-8")


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=folder_contents())
def test_a_build_keeps_every_file_it_finds_unless_the_folder_is_an_earlier_output(entries, tmp_path_factory,
                                                                                 run_cli):
    base = tmp_path_factory.mktemp("property")
    source = base / "doc.md"
    source.write_text(MINI_DOCUMENT, encoding="utf-8")
    outside = base / "outside.txt"
    outside.write_bytes(b"outside")
    out = base / "out"
    lay_out(out, entries, outside)
    before = snapshot(out)
    code, _, err = run_cli("build", "--source", source, "--out", out)
    descriptor_kinds = entries.get("datapackage.json") == "descriptor"
    earlier_output = not entries or (descriptor_kinds and all(
        kind in ("file", "descriptor") for kind in entries.values()))
    if code == 0:
        assert earlier_output, (entries, err)
    else:
        assert code == 2 and not earlier_output, (entries, err)
        assert snapshot(out) == before
    assert outside.read_bytes() == b"outside"


# --- sources -------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_fifo_as_source_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "doc.md"
    os.mkfifo(fifo)
    done = run("build", "--source", fifo, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert one_error_line(done.stderr) == f"{fifo}: expected a source file, found a FIFO (named pipe)"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("source, kind", [("/dev/zero", "a character device"), ("/tmp", "a folder")])
def test_a_device_or_a_folder_as_source_is_refused(tmp_path, source, kind, run_cli):
    code, _, err = run_cli("build", "--source", source, "--out", tmp_path / "out")
    assert code == 2
    assert one_error_line(err) == f"{source}: expected a source file, found {kind}"


def test_a_source_over_the_size_limit_is_refused_without_reading_it(tmp_path, run_cli):
    huge = tmp_path / "huge.md"
    with open(huge, "wb") as file:
        file.truncate(SOURCE_MAX_BYTES + MiB)  # sparse: takes no disk
    code, _, err = run_cli("build", "--source", huge, "--out", tmp_path / "out")
    assert code == 2
    assert one_error_line(err) == f"{huge}: expected a source file of at most 64.0 MiB, found 65.0 MiB"


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\x85"])
def test_a_text_source_with_a_control_character_is_refused_with_its_line_and_column(tmp_path, character, run_cli):
    source = tmp_path / "doc.md"
    source.write_text(MINI_DOCUMENT.replace("делать одно", f"делать{character} одно"), encoding="utf-8")
    code, _, err = run_cli("build", "--source", source, "--out", tmp_path / "out")
    assert code == 2
    assert one_error_line(err) == (f"{source}:5: expected text, found the control character "
                                   f"U+{ord(character):04X} at column 42")


# --- releases made by someone else ---------------------------------------------------------------------------


def unpacked(release_zip: Path, target: Path) -> Path:
    with zipfile.ZipFile(release_zip) as archive:
        archive.extractall(target)
    return target / release_zip.stem


def reseal(folder: Path) -> None:
    """Rewrite SHA256SUMS for the files now in `folder`."""
    (folder / "SHA256SUMS").write_text("".join(
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n"
        for path in sorted(folder.iterdir()) if path.name != "SHA256SUMS" and path.is_file()), encoding="utf-8")


def zip_folder(folder: Path, zip_path: Path, zeros: dict[str, int] | None = None, level: int = 6) -> Path:
    """Zip a release folder; `zeros` adds members of that many zero bytes, written in chunks."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{folder.name}/{path.name}")
        for name, size in (zeros or {}).items():
            with archive.open(f"{folder.name}/{name}", "w", force_zip64=True) as member:
                chunk = bytes(MiB)
                for _ in range(size // MiB):
                    member.write(chunk)
    return zip_path


@pytest.mark.slow
def test_a_zip_bomb_listed_in_the_checksums_is_refused_before_extraction_within_400_mb(release_zip, tmp_path):
    folder = unpacked(release_zip, tmp_path / "unpacked")
    zero_hash = hashlib.sha256()
    chunk = bytes(MiB)
    for _ in range(1024):
        zero_hash.update(chunk)
    with open(folder / "SHA256SUMS", "a", encoding="utf-8") as listing:
        listing.write(f"{zero_hash.hexdigest()}  zeros.csv\n")
    bomb = zip_folder(folder, tmp_path / f"{folder.name}.zip", {"zeros.csv": 1024 * MiB}, level=1)
    assert bomb.stat().st_size < 8 * MiB  # a small file that unpacks to 1 GiB
    done, peak = run_measured("verify-release", bomb)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (f"{bomb}: expected each file of at most "
                                           f"{MEMBER_MAX_BYTES // MiB}.0 MiB, found {folder.name}/zeros.csv of 1.0 GiB")
    assert peak < MEMORY_LIMIT_KB


@pytest.mark.slow
def test_a_member_that_inflates_a_hundredfold_is_refused_before_extraction(release_zip, tmp_path):
    folder = unpacked(release_zip, tmp_path / "unpacked")
    bomb = zip_folder(folder, tmp_path / f"{folder.name}.zip", {"zeros.csv": 64 * MiB}, level=9)
    done, peak = run_measured("verify-release", bomb)
    assert done.returncode == 2
    message = one_error_line(done.stderr)
    assert message.startswith(f"{bomb}: expected each file compressed at most 100 to 1, found "
                              f"{folder.name}/zeros.csv of 64.0 MiB in ")
    assert message.endswith(" (a zip bomb?)")
    assert peak < MEMORY_LIMIT_KB


@pytest.mark.slow
def test_a_member_neither_listed_nor_described_is_never_extracted(release_zip, tmp_path):
    folder = unpacked(release_zip, tmp_path / "unpacked")
    (folder / "payload.sh").write_text("echo hello", encoding="utf-8")
    reseal(folder)
    packed = zip_folder(folder, tmp_path / f"{folder.name}.zip")
    done = run("verify-release", packed)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (f"{packed}: expected every file to be a resource of datapackage.json or a "
                                           f"file every release holds, found payload.sh")


def sha256_in_chunks(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(MiB):
            digest.update(chunk)
    return digest.hexdigest()


@pytest.mark.slow
def test_a_huge_descriptor_is_refused_by_its_size_by_verify_release_and_diff(release_zip, tmp_path, built):
    folder = unpacked(release_zip, tmp_path / "unpacked")
    descriptor = folder / "datapackage.json"
    with open(descriptor, "wb") as file:
        file.truncate(1024 * MiB)  # 1 GiB of zeros, sparse
    done, peak = run_measured("diff", descriptor, built)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == f"{descriptor}: expected a datapackage.json of at most 16.0 MiB, found 1.0 GiB"
    assert peak < MEMORY_LIMIT_KB
    (folder / "SHA256SUMS").write_text("".join(f"{sha256_in_chunks(path)}  {path.name}\n"
                                               for path in sorted(folder.iterdir()) if path.name != "SHA256SUMS"),
                                       encoding="utf-8")
    done, peak = run_measured("verify-release", folder)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (f"{descriptor}: expected a file of the release of at most "
                                           f"{MEMBER_MAX_BYTES // MiB}.0 MiB, found 1.0 GiB")
    assert peak < MEMORY_LIMIT_KB


def with_resource_path(folder: Path, path: str, name: str = "recommendations") -> None:
    """Point the descriptor's resource `name` at `path` and reseal the checksums."""
    descriptor_path = folder / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    next(resource for resource in descriptor["resources"] if resource["name"] == name)["path"] = path
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    reseal(folder)


OUTSIDE_PATHS = {
    "/etc/passwd": "as a relative file path inside the package, found '/etc/passwd'",
    "/dev/zero": "as a relative file path inside the package, found '/dev/zero'",
    "../../outside.csv": "that stays inside the package (no '.' or '..' parts), found '../../outside.csv'",
    "http://example.org/recommendations.csv": "as a relative file path inside the package, found the URL "
                                              "'http://example.org/recommendations.csv'",
    "file:///etc/passwd": "as a relative file path inside the package, found the URL 'file:///etc/passwd'",
}


@pytest.mark.slow
@pytest.mark.parametrize("resource_path", sorted(OUTSIDE_PATHS))
@pytest.mark.slow
def test_a_resource_path_that_leaves_the_package_is_refused_before_anything_is_opened(release_zip, tmp_path,
                                                                                      resource_path, built):
    folder = unpacked(release_zip, tmp_path / "unpacked")
    with_resource_path(folder, resource_path)
    expected = f"expected the path of resource 'recommendations' {OUTSIDE_PATHS[resource_path]}"
    done = run("verify-release", folder)
    assert done.returncode == 2
    message = one_error_line(done.stderr)
    assert message == f"{folder}: datapackage.json: {expected}"
    packed = zip_folder(folder, tmp_path / f"{folder.name}.zip")
    done = run("verify-release", packed)
    assert done.returncode == 2 and one_error_line(done.stderr) == f"{packed}: {expected}"
    package = tmp_path / "package"
    shutil.copytree(built, package)
    with_resource_path(package, resource_path, "meetings-json")
    done = run("diff", package, built)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (f"{package}: expected the path of resource 'meetings-json' "
                                           f"{OUTSIDE_PATHS[resource_path]}")


@pytest.mark.slow
def test_a_resource_that_is_a_fifo_or_a_link_out_is_refused_without_blocking(release_zip, tmp_path):
    folder = unpacked(release_zip, tmp_path / "unpacked")
    os.mkfifo(folder / "pipe.csv")
    with_resource_path(folder, "pipe.csv")
    (folder / "SHA256SUMS").write_text((folder / "SHA256SUMS").read_text(encoding="utf-8")
                                       + f"{'0' * 64}  pipe.csv\n", encoding="utf-8")
    done = run("verify-release", folder)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (f"{folder}: expected only regular files in {folder.name}/, found "
                                           f"pipe.csv, a FIFO (named pipe)")
    (folder / "pipe.csv").unlink()
    (folder / "pipe.csv").symlink_to("/etc/passwd")
    done = run("verify-release", folder)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (f"{folder}: expected only regular files in {folder.name}/, found "
                                           f"pipe.csv, a symbolic link")


@pytest.mark.slow
def test_diff_refuses_a_table_copy_that_links_outside_the_package(built, tmp_path):
    package = tmp_path / "package"
    shutil.copytree(built, package)
    (package / "meetings.json").unlink()
    (package / "meetings.json").symlink_to("/etc/passwd")
    done = run("diff", package, built)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (f"{package}: expected meetings.json to be a regular file inside the "
                                           f"package, found a symbolic link")


# --- texts that look like formulas -----------------------------------------------------------------------------


def test_texts_that_look_like_formulas_stay_text_in_the_csv_and_the_spreadsheet(source_build, tmp_path):
    texts = ["=HYPERLINK(\"http://example.org\",\"click\")", "+1+1", "-2", "@SUM(A1:A2)"]
    tables = source_build.tables()
    frame = tables.recommendations.copy()
    frame.loc[:len(texts) - 1, "text"] = texts
    tables = dataclasses.replace(tables, recommendations=frame)
    csv_format.write(tables, tmp_path)
    xlsx.write(tables, tmp_path)
    with open(tmp_path / "recommendations.csv", encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    column = rows[0].index("text")
    assert [row[column] for row in rows[1:len(texts) + 1]] == texts
    sheet = openpyxl.load_workbook(tmp_path / xlsx.filename())["recommendations"]
    header = [cell.value for cell in sheet[1]]
    cells = [sheet.cell(row=row, column=header.index("text") + 1) for row in range(2, len(texts) + 2)]
    assert [(cell.value, cell.data_type) for cell in cells] == [(text, "s") for text in texts]


# --- release folders -------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_release_folder_holding_someone_elses_file_is_refused_and_an_earlier_release_replaced(built, tmp_path):
    from pipeline.release import build_release

    dist = tmp_path / "dist"
    folder = build_release(built, dist).with_suffix("")
    build_release(built, dist)  # an earlier release of the same version is replaced
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(dist)
    with pytest.raises(OutputError) as error:
        build_release(built, dist)
    assert str(error.value) == (f"{folder}: expected a missing or empty folder or an earlier output of {PACKAGE}, "
                                f"found notes.txt, which the build did not write; move it away or choose another "
                                f"--dist")
    assert snapshot(dist) == before


# --- odd JSON, odd zips, odd paths -----------------------------------------------------------------------------


def with_descriptor(folder: Path, text: str) -> None:
    (folder / "datapackage.json").write_text(text, encoding="utf-8")
    if (folder / "SHA256SUMS").exists():
        reseal(folder)


ODD_DESCRIPTORS = {
    "nested too deep": ('{"name": "wg-som-recommendations", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
                        "expected a datapackage.json, found JSON nested too deep or a number too long to read"),
    "a number too long": ('{"name": "wg-som-recommendations", "x": ' + "9" * 5000 + "}",
                          "expected a datapackage.json, found JSON nested too deep or a number too long to read"),
    "resources not a list": ('{"name": "wg-som-recommendations", "resources": 5}',
                             "expected a data package with a list of resources, found none"),
}


@pytest.mark.parametrize("case", sorted(ODD_DESCRIPTORS))
@pytest.mark.slow
def test_diff_refuses_an_odd_descriptor_in_one_line(built, tmp_path, case):
    package = tmp_path / "package"
    shutil.copytree(built, package)
    text, expected = ODD_DESCRIPTORS[case]
    with_descriptor(package, text)
    done = run("diff", built, package)
    assert done.returncode == 2, done.stderr
    assert one_error_line(done.stderr) == f"{package}: {expected}"


def test_a_build_refuses_an_output_folder_whose_descriptor_nests_too_deep(tmp_path, mini_source, run_cli):
    out = tmp_path / "out"
    out.mkdir()
    with_descriptor(out, ODD_DESCRIPTORS["nested too deep"][0])
    message = refused_output(run_cli, mini_source, out)
    assert message.startswith(f"{out}: expected a missing or empty folder or an earlier output of {PACKAGE}, found "
                              f"a datapackage.json that cannot be read")


@pytest.mark.slow
def test_verify_release_refuses_a_descriptor_without_a_name_and_a_table_of_another_dataset(release_zip, tmp_path):
    folder = unpacked(release_zip, tmp_path / "unpacked")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["name"]
    with_descriptor(folder, json.dumps(descriptor))
    done = run("verify-release", folder)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (f"{folder}: datapackage.json: expected a data package named {PACKAGE}, "
                                           f"found None")


@pytest.mark.slow
def test_a_diff_of_a_package_without_sources_is_labelled_unrecorded(built, tmp_path):
    package = tmp_path / "package"
    shutil.copytree(built, package)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["sources"] = []
    with_descriptor(package, json.dumps(descriptor))
    done = run("diff", built, package)
    assert done.returncode == 0, done.stderr
    assert f"new: {package} ({PACKAGE} {descriptor['version']}, source sha256 unrecorded…)" in done.stdout


def zip_with_header(path: Path, name: str, field: str, value: int) -> Path:
    """A zip of one stored member whose general-purpose `flags` or compression `method` is set to `value` in both
    its local header and its directory record, as another zip writer could have written it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(name, b"{}")
    data = bytearray(path.read_bytes())
    offsets = {"flags": (6, 8), "method": (8, 10)}[field]
    for signature, offset in zip((b"PK\x03\x04", b"PK\x01\x02"), offsets):
        at = data.index(signature)
        data[at + offset:at + offset + 2] = value.to_bytes(2, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.slow
def test_a_zip_whose_directory_claims_millions_of_entries_is_refused_before_zipfile_reads_it(tmp_path):
    bloated = zip_with_header(tmp_path / "bloated.zip", "x/datapackage.json", "flags", 0)
    data = bytearray(bloated.read_bytes())
    at = data.rindex(b"PK\x05\x06")
    data[at + 8:at + 12] = (60000).to_bytes(2, "little") * 2  # entries on this disk and in all
    bloated.write_bytes(bytes(data))
    done, peak = run_measured("verify-release", bloated)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == f"{bloated}: expected at most 1000 entries in the zip, found 60000"
    assert peak < MEMORY_LIMIT_KB


@pytest.mark.slow
def test_a_table_file_with_more_rows_than_the_limit_is_refused_before_it_is_read(release_zip, tmp_path):
    from pipeline.guards import TABLE_MAX_ROWS

    folder = unpacked(release_zip, tmp_path / "unpacked")
    (folder / "meetings.csv").write_bytes((folder / "meetings.csv").read_bytes() + b"a\n" * (TABLE_MAX_ROWS + 1))
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["path"] == "meetings.csv":
            resource["hash"] = "sha256:" + hashlib.sha256((folder / "meetings.csv").read_bytes()).hexdigest()
            resource["bytes"] = (folder / "meetings.csv").stat().st_size
    with_descriptor(folder, json.dumps(descriptor, ensure_ascii=False))
    done, peak = run_measured("verify-release", folder)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == (f"{folder}: meetings.csv: expected a table of at most "
                                           f"{TABLE_MAX_ROWS + 1:,} lines, found more")
    assert peak < MEMORY_LIMIT_KB


@pytest.mark.slow
def test_release_replaces_only_an_earlier_zip_of_the_same_release(built, tmp_path):
    from pipeline.release import build_release

    dist = tmp_path / "dist"
    zip_path = build_release(built, dist)
    build_release(built, dist)  # its own earlier zip is replaced
    zip_path.write_bytes(b"my own archive")
    with pytest.raises(OutputError) as error:
        build_release(built, dist)
    assert str(error.value) == (f"{zip_path}: expected an earlier {zip_path.name} or nothing at this path, found a "
                                f"file that is not a release zip (expected a zip archive, found a file zipfile cannot "
                                f"read (File is not a zip file)); move it away or choose another --dist")
    assert zip_path.read_bytes() == b"my own archive"


@pytest.mark.slow
def test_a_dangling_link_as_dist_stays_a_link_and_gets_the_release(built, tmp_path):
    from pipeline.release import build_release

    link = tmp_path / "dist"
    link.symlink_to(tmp_path / "elsewhere")
    zip_path = build_release(built, link)
    assert link.is_symlink() and (tmp_path / "elsewhere" / zip_path.name).is_file()


@pytest.mark.parametrize("sidecar, found", [("5", "int"), ('"a string"', "str")])
def test_a_sidecar_that_is_not_an_object_is_refused(tmp_path, mini_source, run_cli, sidecar, found):
    side = mini_source.with_name(mini_source.name + ".source.json")
    side.write_text(sidecar, encoding="utf-8")
    code, _, err = run_cli("build", "--source", mini_source, "--out", tmp_path / "out")
    assert code == 2
    assert one_error_line(err) == f"{side}: expected a JSON sidecar holding an object, found {found}"


def test_a_text_source_of_too_many_lines_is_refused_before_it_is_split(tmp_path, run_cli):
    from pipeline.guards import SOURCE_MAX_LINES

    source = tmp_path / "lines.md"
    source.write_bytes(b"a\n" * (SOURCE_MAX_LINES + 1))
    code, _, err = run_cli("build", "--source", source, "--out", tmp_path / "out")
    assert code == 2
    assert one_error_line(err) == (f"{source}: expected a text of at most {SOURCE_MAX_LINES:,} lines, found "
                                   f"{SOURCE_MAX_LINES + 1:,}")


def test_a_path_too_long_and_a_path_with_a_line_end_each_give_one_line(tmp_path, built, run_cli):
    long = tmp_path / ("a" * 300)
    code, _, err = run_cli("verify-release", f"{long}.zip")
    assert code == 2 and one_error_line(err) == f"{long}.zip: expected a release zip or folder, found file name too long"
    code, _, err = run_cli("diff", built, long)
    message = one_error_line(err)
    assert code == 2 and message.startswith(f"{long}: expected a readable release zip or package, found: ")
    assert "File name too long" in message
    code, _, err = run_cli("verify-release", tmp_path / "no\nsuch.zip")
    assert code == 2 and one_error_line(err) == (f"{tmp_path}/no\\nsuch.zip: expected a release zip or folder, found "
                                                 f"nothing at this path")


def test_diff_writes_its_csv_only_to_a_file_outside_the_packages_compared(built, tmp_path, run_cli):
    package = tmp_path / "package"
    shutil.copytree(built, package)
    before = snapshot(package)
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    cases = {
        package / "datapackage.json": "expected a file outside the packages compared, found it inside "
                                      f"{package}",
        fifo: "expected a CSV file to write, found a FIFO (named pipe)",
        tmp_path: "expected a CSV file to write, found a folder",
        tmp_path / "missing" / "x.csv": f"expected a CSV file in an existing folder, found no folder "
                                        f"{tmp_path / 'missing'}",
    }
    for target, expected in cases.items():
        code, _, err = run_cli("diff", built, package, "--csv", target)
        assert code == 2 and one_error_line(err) == f"{target}: {expected}"
    assert snapshot(package) == before
    code, _, err = run_cli("diff", built, package, "--csv", tmp_path / "changes.csv")
    assert code == 0, err
    assert (tmp_path / "changes.csv").read_text(encoding="utf-8").startswith("table,change,id,columns")
