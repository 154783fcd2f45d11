"""`make release PREVIOUS=…`: the release's changelog entry says what changed since the previous release."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline.counts import units_sentence
from pipeline.errors import CheckError
from pipeline.release import CHANGELOG, build_release, release_info
from pipeline.release.info import changelog_with_section
from tests.editions import SIXTH_MEETING_IDS, changed_theme_units

CHANGELOG_TEXT = """\
# Changelog

## [Unreleased]

## [1.1.0] - 2027-01-02

### Added

- The sixth meeting.

## [1.0.0] - 2026-11-28

### Added

- First release.
"""


def package_of_version(built, folder, version: str):
    """A copy of a built package that says it is `version` (as an earlier release of the same data would)."""
    shutil.copytree(built, folder)
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    descriptor["version"] = version
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return folder


def test_section_goes_at_the_end_of_the_entry_of_the_version():
    text = changelog_with_section(CHANGELOG_TEXT, "1.1.0", "### Compared with 1.0.0\n\n- rows\n")
    assert text == CHANGELOG_TEXT.replace("- The sixth meeting.\n",
                                          "- The sixth meeting.\n\n### Compared with 1.0.0\n\n- rows\n")


def test_section_of_the_last_entry_ends_the_file():
    text = changelog_with_section(CHANGELOG_TEXT, "1.0.0", "### Compared with 0.9.0\n")
    assert text == CHANGELOG_TEXT + "\n### Compared with 0.9.0\n"


@pytest.fixture(scope="module")
def previous_release(built, tmp_path_factory):
    return package_of_version(built, tmp_path_factory.mktemp("previous") / "package", "0.9.0")


@pytest.fixture(scope="module")
def release_with_previous(appended_build, previous_release, tmp_path_factory):
    return build_release(appended_build, tmp_path_factory.mktemp("dist"), previous=previous_release)


def test_release_changelog_entry_lists_the_rows_added_since_the_previous_release(release_with_previous, built,
                                                                                 appended_build):
    changelog = (release_with_previous.with_suffix("") / "CHANGELOG.md").read_text(encoding="utf-8")
    version = release_info().version
    themes = changed_theme_units(built, appended_build)
    section = (
        "### Compared with 0.9.0\n\n"
        "Rows added, removed and changed since release 0.9.0, by `python -m pipeline diff`:\n\n"
        "- `recommendations`: 174 → 180 rows; 6 added, 0 removed, 0 changed.\n"
        f"  - added: {', '.join(f'`{key}`' for key in SIXTH_MEETING_IDS)}\n"
        "- `meetings`: 5 → 6 rows; 1 added, 0 removed, 0 changed.\n"
        "  - added: `6`\n"
        f"- `themes`: 18 → 18 rows; 0 added, 0 removed, {len(themes)} changed.\n"
        f"  - changed (`units`): {', '.join(f'`{code}`' for code in themes)}\n"
    )
    assert changelog == changelog_with_section(CHANGELOG.read_text(encoding="utf-8"), version, section)
    entry = changelog.split(f"## [{version}]", 1)[1]
    assert section in entry


@pytest.mark.slow
def test_release_with_previous_is_byte_identical_when_built_again(appended_build, previous_release,
                                                                   release_with_previous, tmp_path):
    again = build_release(appended_build, tmp_path / "dist", previous=previous_release)
    assert again.read_bytes() == release_with_previous.read_bytes()


def test_previous_release_of_the_same_or_a_later_version_is_refused(built, tmp_path):
    later = package_of_version(built, tmp_path / "later", release_info().version)
    with pytest.raises(CheckError, match=r"expected a previous release, older than version .*, found version"):
        build_release(built, tmp_path / "dist", previous=later)
    assert not (tmp_path / "dist").exists() or list((tmp_path / "dist").iterdir()) == []


def test_make_release_with_a_previous_that_is_not_a_package_exits_2_with_one_line(built, tmp_path, run_cli):
    code, out, err = run_cli("release", "--package", built, "--dist", tmp_path / "dist",
                             "--previous", tmp_path / "missing.zip")
    assert code == 2 and out == ""
    assert err == (f"error: {tmp_path / 'missing.zip'}: expected a release zip, a package folder or a "
                   "datapackage.json, found nothing at this path\n")
    assert not (tmp_path / "dist").exists() or list((tmp_path / "dist").iterdir()) == []


def test_data_card_of_a_later_edition_counts_its_meetings_and_years(release_with_previous):
    card = (release_with_previous.with_suffix("") / "README.md").read_text(encoding="utf-8")
    assert "Only the recommendations of the first six meetings (2012–2019), as compiled" in card
    recs = json.loads((release_with_previous.with_suffix("") / "recommendations.json").read_text(encoding="utf-8"))
    assert len(recs) == 180 and f"in document order: {units_sentence(row['kind'] for row in recs)};" in card
