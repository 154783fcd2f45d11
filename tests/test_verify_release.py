"""verify-release: a good release passes; a tampered, incomplete or inconsistent one fails with one line and exit 2."""

import hashlib
import json
import zipfile

import pytest

from pipeline.codes import codes_rows
from pipeline.errors import CheckError
from pipeline.release import verify_release


def unpack(zip_path) -> tuple[str, dict[str, bytes]]:
    """The top folder's name and every file's bytes."""
    with zipfile.ZipFile(zip_path) as archive:
        top = archive.namelist()[0].rstrip("/")
        return top, {e.filename.split("/", 1)[1]: archive.read(e) for e in archive.infolist() if not e.is_dir()}


def repack(path, top: str, files: dict[str, bytes], *, entries: dict[str, bytes] | None = None):
    """Write a zip of `files` under `top/`, plus raw `entries` named as given."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in sorted(files.items()):
            archive.writestr(f"{top}/{name}", data)
        for name, data in (entries or {}).items():
            archive.writestr(name, data)
    return path


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def reseal(files: dict[str, bytes], changed: str) -> None:
    """Record a changed file's new hash in datapackage.json and SHA256SUMS, so only deeper checks can catch it."""
    descriptor = json.loads(files["datapackage.json"])
    for resource in descriptor["resources"]:
        if resource["path"] == changed:
            resource["hash"] = "sha256:" + sha(files[changed])
            if "bytes" in resource:
                resource["bytes"] = len(files[changed])
    files["datapackage.json"] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode()
    files["SHA256SUMS"] = "".join(
        f"{sha(data)}  {name}\n" for name, data in sorted(files.items()) if name != "SHA256SUMS"
    ).encode()


def verify_error(path) -> str:
    with pytest.raises(CheckError) as error:
        verify_release(path)
    return str(error.value)


def listed_files(release_zip) -> int:
    """Files of the release that SHA256SUMS lists: all but itself."""
    return len(list(release_zip.with_suffix("").iterdir())) - 1


def test_release_zip_passes_verification(release_zip, rules):
    summary = verify_release(release_zip)
    assert summary == (f"verify-release: {listed_files(release_zip)} files match SHA256SUMS, package valid, every "
                       f"format holds the same rows (174 recommendations, 5 meetings, 18 themes, "
                       f"{len(codes_rows(rules))} codes)")


def test_unpacked_release_folder_passes_verification(release_zip):
    assert verify_release(release_zip.with_suffix("")).startswith(
        f"verify-release: {listed_files(release_zip)} files match SHA256SUMS")


def test_cli_exits_0_for_a_good_release_and_2_with_one_line_for_a_tampered_one(release_zip, tmp_path, run_cli):
    code, out, _ = run_cli("verify-release", release_zip)
    assert code == 0 and out.startswith("verify-release: ")
    top, files = unpack(release_zip)
    files["recommendations.csv"] = files["recommendations.csv"].replace(
        "Государствам".encode(), "Государству".encode(), 1)
    bad = repack(tmp_path / "bad.zip", top, files)
    code, out, err = run_cli("verify-release", bad)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"error: {bad}: expected recommendations.csv to have the sha256 listed in SHA256SUMS (")
    assert err.rstrip().endswith(": the file was altered")


def test_tampered_data_file_fails_the_checksums(release_zip, tmp_path):
    top, files = unpack(release_zip)
    files["meetings.parquet"] = files["meetings.parquet"][:-1] + b"\x00"
    assert "expected meetings.parquet to have the sha256 listed in SHA256SUMS" in verify_error(
        repack(tmp_path / "t.zip", top, files))


def test_file_missing_from_the_zip_fails(release_zip, tmp_path):
    top, files = unpack(release_zip)
    del files["meetings.json"]
    assert "expected meetings.json as listed in SHA256SUMS, found no such file" in verify_error(
        repack(tmp_path / "t.zip", top, files))


def test_file_not_listed_in_sha256sums_fails(release_zip, tmp_path):
    top, files = unpack(release_zip)
    files["extra.csv"] = b"a,b\n1,2\n"
    assert "expected every file to be listed in SHA256SUMS, found extra.csv unlisted" in verify_error(
        repack(tmp_path / "t.zip", top, files))


def test_zip_without_sha256sums_fails(release_zip, tmp_path):
    top, files = unpack(release_zip)
    del files["SHA256SUMS"]
    assert "expected SHA256SUMS in " in verify_error(repack(tmp_path / "t.zip", top, files))


def test_resealed_data_file_that_breaks_its_schema_fails_frictionless(release_zip, tmp_path):
    top, files = unpack(release_zip)
    files["recommendations.csv"] = files["recommendations.csv"].replace(b",paragraph,", b",paragraf,", 1)
    reseal(files, "recommendations.csv")
    message = verify_error(repack(tmp_path / "t.zip", top, files))
    assert "datapackage.json: expected a valid data package, found: recommendations row 2: constraint-error" in message


def test_resealed_change_valid_in_one_format_only_fails_the_same_rows_check(release_zip, tmp_path):
    top, files = unpack(release_zip)
    rows = json.loads(files["recommendations.json"])
    rows[2]["text"] = rows[2]["text"].upper()
    files["recommendations.json"] = (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode()
    reseal(files, "recommendations.json")
    message = verify_error(repack(tmp_path / "t.zip", top, files))
    assert message.startswith(f"{tmp_path / 't.zip'}: recommendations.json: expected row 3 (id 1.3) to hold text ")
    assert "as in recommendations.csv, found 'ХОТЯ НЕЗАКОННЫЙ ВВОЗ" in message


def test_release_without_its_data_card_fails(release_zip, tmp_path):
    top, files = unpack(release_zip)
    del files["README.md"]
    reseal(files, "README.md")
    assert "expected the release to hold README.md, found no such file" in verify_error(
        repack(tmp_path / "t.zip", top, files))


def test_release_in_a_folder_named_for_another_version_fails(release_zip, tmp_path):
    _, files = unpack(release_zip)
    assert "expected the folder wg-som-recommendations-" in verify_error(
        repack(tmp_path / "t.zip", "wg-som-recommendations-0.0.1", files))


def test_entry_outside_the_release_folder_is_refused_before_extracting(release_zip, tmp_path):
    top, files = unpack(release_zip)
    bad = repack(tmp_path / "t.zip", top, files, entries={f"{top}/../escape.txt": b"x"})
    assert "expected plain files directly inside" in verify_error(bad)
    assert not (tmp_path / "escape.txt").exists()


def test_zip_with_two_top_level_folders_is_refused(release_zip, tmp_path):
    top, files = unpack(release_zip)
    bad = repack(tmp_path / "t.zip", top, files, entries={"other/file.txt": b"x"})
    assert "expected every entry inside one top-level folder" in verify_error(bad)


def test_entry_with_an_absolute_path_is_refused(release_zip, tmp_path):
    bad = repack(tmp_path / "t.zip", "unused", {}, entries={"/etc/passwd-copy": b"x"})
    assert "expected every entry inside one top-level folder, found ['']" in verify_error(bad)


def test_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "release.zip"
    path.write_bytes(b"not a zip at all")
    assert verify_error(path) == (f"{path}: expected a zip archive, found a file zipfile cannot read "
                                  "(File is not a zip file)")


def test_missing_path_is_refused(tmp_path):
    assert "expected a release zip or folder, found nothing at this path" in verify_error(tmp_path / "nowhere.zip")
