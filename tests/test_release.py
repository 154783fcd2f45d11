"""Releases: contents, reproducible zip, one version with its date, citation, licence, data card, README sections."""

import datetime as dt
import hashlib
import json
import re
import shutil
import stat
import tomllib
import zipfile

import pytest
import yaml

from pipeline import PROJECT_ROOT
from pipeline.counts import units_sentence
from pipeline.errors import CheckError
from pipeline.publish.outfolder import lock_path
from pipeline.release import (
    CHANGELOG,
    ReleaseInfo,
    build_release,
    changelog_date,
    release_info,
)
from pipeline.release.docs import FIGURE, README, figure_bytes, readme_with_release
from pipeline.schema import field_names, package_metadata

EXPECTED_FILES = {
    "CHANGELOG.md", "CITATION.cff", "LICENSE", "README.md", "SHA256SUMS", "datapackage.json", "index.html",
    "recommendations-per-meeting.png", "recommendations.csv", "recommendations.json", "recommendations.parquet",
    "meetings.csv", "meetings.json", "meetings.parquet", "research-counts.png",
    "themes.csv", "themes.json", "themes.parquet", "research-themes.png", "wg-som-recommendations.xlsx",
    "codes.csv", "codes.json", "codes.parquet",
    "wg-som-recommendations.sqlite",
}


@pytest.fixture(scope="module")
def release_dir(release_zip):
    return release_zip.with_suffix("")


def test_release_is_named_after_the_package_name_and_version(release_zip):
    meta = package_metadata()
    assert release_zip.name == f"{meta['name']}-{meta['version']}.zip"
    assert release_zip.with_suffix("").is_dir()


def test_release_folder_holds_data_docs_checksums_page_and_figure(release_dir):
    assert {p.name for p in release_dir.iterdir()} == EXPECTED_FILES


def test_data_files_are_the_published_package_unchanged(release_dir, built):
    for path in built.iterdir():
        assert (release_dir / path.name).read_bytes() == path.read_bytes(), path.name


def test_sha256sums_lists_every_other_file_with_its_hash(release_dir):
    lines = (release_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    assert set(listed) == EXPECTED_FILES - {"SHA256SUMS"}
    assert list(listed) == sorted(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((release_dir / name).read_bytes()).hexdigest() == digest


def test_zip_holds_the_folder_in_name_order_with_fixed_times_and_modes(release_zip, release_dir):
    info = release_info()
    with zipfile.ZipFile(release_zip) as archive:
        entries = archive.infolist()
        top = f"{info.folder_name}/"
        assert entries[0].filename == top
        names = [e.filename.removeprefix(top) for e in entries[1:]]
        assert names == sorted(EXPECTED_FILES)
        for entry in entries:
            assert entry.date_time == (info.date.year, info.date.month, info.date.day, 0, 0, 0)
            assert entry.create_system == 3 and entry.extra == b"" and entry.comment == b""
        for entry in entries[1:]:
            assert stat.S_IMODE(entry.external_attr >> 16) == 0o644 and stat.S_ISREG(entry.external_attr >> 16)
            assert entry.compress_type == zipfile.ZIP_DEFLATED
            assert archive.read(entry) == (release_dir / entry.filename.removeprefix(top)).read_bytes()
        assert stat.S_IMODE(entries[0].external_attr >> 16) == 0o755
        assert archive.comment == b""


@pytest.mark.slow
def test_building_the_same_version_again_gives_a_byte_identical_zip_and_a_clean_folder(built, release_zip, tmp_path):
    dist = tmp_path / "dist"
    earlier = build_release(built, dist).with_suffix("")
    (earlier / "README.md").write_text("an earlier build's card", encoding="utf-8")
    again = build_release(built, dist)
    assert again.name == release_zip.name
    assert again.read_bytes() == release_zip.read_bytes()
    assert sorted(p.name for p in dist.iterdir()) == sorted(
        [again.name, again.with_suffix("").name, lock_path(again.with_suffix("")).name])
    assert {p.name for p in again.with_suffix("").iterdir()} == EXPECTED_FILES


def test_release_refuses_a_package_of_another_version(built, tmp_path):
    package = tmp_path / "package"
    shutil.copytree(built, package)
    info = release_info()
    stale = ReleaseInfo(info.name, "9.9.9", info.date)
    expected = rf"expected version 9\.9\.9 .* found {re.escape(info.version)}: the package is stale"
    with pytest.raises(CheckError, match=expected):
        build_release(package, tmp_path / "dist", stale)
    assert not (tmp_path / "dist").exists() or list((tmp_path / "dist").iterdir()) == []


def test_release_refuses_an_invalid_package(built, tmp_path):
    package = tmp_path / "package"
    shutil.copytree(built, package)
    (package / "meetings.csv").write_text("tampered\n", encoding="utf-8")
    with pytest.raises(CheckError, match=r"meetings\.csv: expected \d+ bytes with hash"):
        build_release(package, tmp_path / "dist")


# --- one version, one date -------------------------------------------------------------------------------------


def test_release_date_is_the_changelog_heading_of_the_version():
    info = release_info()
    assert info.version == package_metadata()["version"]
    assert f"## [{info.version}] - {info.date.isoformat()}" in CHANGELOG.read_text(encoding="utf-8")


def test_changelog_without_a_heading_for_the_version_is_refused():
    text = "# Changelog\n\n## [Unreleased]\n\n## [0.9.0] - 2026-01-01\n"
    with pytest.raises(CheckError, match=r"expected a heading '## \[1\.0\.0\] - YYYY-MM-DD'.*found none"):
        changelog_date(text, "1.0.0")


def test_changelog_heading_with_an_impossible_date_is_refused():
    with pytest.raises(CheckError, match="expected a real date for version 1.0.0, found 2026-02-30"):
        changelog_date("# Changelog\n\n## [1.0.0] - 2026-02-30\n", "1.0.0")


def test_changelog_date_is_read_from_the_matching_version_only():
    text = "## [1.1.0] - 2027-03-04\n\n## [1.0.0] - 2026-11-28\n"
    assert changelog_date(text, "1.0.0") == dt.date(2026, 11, 28)
    assert changelog_date(text, "1.1.0") == dt.date(2027, 3, 4)


def test_pyproject_version_equals_the_dataset_version():
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == package_metadata()["version"]


def test_every_version_the_readme_mentions_is_the_current_one():
    mentioned = set(re.findall(r"version\W{0,4}(\d+\.\d+\.\d+)", README.read_text(encoding="utf-8")))
    assert mentioned == {package_metadata()["version"]}


def test_readme_release_section_is_current():
    current = README.read_text(encoding="utf-8")
    assert readme_with_release(current) == current, "README release section is stale: run make docs"


def test_readme_figure_is_the_one_drawn_from_the_committed_output():
    assert FIGURE.read_bytes() == figure_bytes(), "docs/recommendations-per-meeting.png is stale: run make docs"
    assert f"]({FIGURE.relative_to(PROJECT_ROOT)})" in README.read_text(encoding="utf-8")


# --- what the files say ----------------------------------------------------------------------------------------


def test_citation_cff_is_a_dataset_with_version_and_release_date(release_dir):
    cff = yaml.safe_load((release_dir / "CITATION.cff").read_text(encoding="utf-8"))
    info = release_info()
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "dataset"
    assert cff["version"] == info.version
    assert cff["date-released"] == info.date.isoformat()
    assert cff["title"] == json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))["title"]
    assert cff["title"].endswith(", 2012-2018")
    assert cff["message"] and all(author.get("name") for author in cff["authors"])
    reference = cff["references"][0]
    assert reference["type"] == "report" and reference["date-published"] == "2019-06-21"
    assert reference["title"].startswith("Рекомендации, принятые Рабочей группой")


def test_licence_states_the_un_terms_without_granting_rights_and_cc0_for_additions(release_dir):
    text = (release_dir / "LICENSE").read_text(encoding="utf-8")
    assert "https://www.un.org/en/about-us/terms-of-use" in text
    assert "holds no rights in this material and grants none" in text
    assert "https://creativecommons.org/publicdomain/zero/1.0/legalcode" in text


def test_data_card_has_every_section_and_the_generated_dictionary(release_dir):
    card = (release_dir / "README.md").read_text(encoding="utf-8")
    for heading in ("## Intended uses", "## What this data should not be used for", "## Structure",
                    "### Data dictionary", "## Source and processing", "## Known limitations", "## Licence",
                    "## How to cite"):
        assert f"\n{heading}\n" in card, heading
    for table in ("recommendations", "meetings"):
        for name in field_names(table):
            assert f"| `{name}` |" in card
    recs = json.loads((release_dir / "recommendations.json").read_text(encoding="utf-8"))
    assert units_sentence(row["kind"] for row in recs) in card
    assert "174 units: 149 paragraphs (4 of them chapeaus that introduce 25 subparagraphs) and 25 subparagraphs" in card
    assert f"Version {release_info().version}, released {release_info().date.isoformat()}." in card
    assert "{{" not in card


def test_data_card_lists_every_file_of_the_release(release_dir):
    card = (release_dir / "README.md").read_text(encoding="utf-8")
    for name in EXPECTED_FILES:
        assert f"| [`{name}`]({name}) |" in card, name


def test_browse_page_links_to_the_spreadsheet_and_the_database_of_the_release(release_dir):
    page = (release_dir / "index.html").read_text(encoding="utf-8")
    descriptor = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    for fmt in ("xlsx", "sqlite"):
        [resource] = [r for r in descriptor["resources"] if r["format"] == fmt]
        assert f'<a href="{resource["path"]}">' in page and (release_dir / resource["path"]).is_file(), fmt


def test_release_changelog_is_the_project_changelog(release_dir):
    assert (release_dir / "CHANGELOG.md").read_bytes() == CHANGELOG.read_bytes()


def test_datapackage_of_the_release_carries_the_release_version(release_dir):
    descriptor = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == release_info().version
