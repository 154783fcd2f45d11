"""`python -m pipeline diff OLD NEW`: per table, the ids added, removed and changed between two editions."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from pipeline.errors import CheckError
from pipeline.provenance import integrity
from pipeline.release.diff import diff_packages
from tests.editions import SIXTH_MEETING_IDS, changed_theme_units

FIRST_EDITION_IDS_COUNT = 174


def edited_package(built, folder, table: str, edit) -> None:
    """A copy of the package in `folder` whose JSON copy of `table` is edited by `edit(rows) -> rows`, with its
    hash in datapackage.json brought up to date (as a build would write it)."""
    shutil.copytree(built, folder)
    path = folder / f"{table}.json"
    rows = edit(json.loads(path.read_text(encoding="utf-8")))
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == f"{table}-json")
    resource["hash"] = integrity(path.read_bytes())["hash"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def test_later_edition_shows_its_new_rows_and_nothing_else(built, appended_build, run_cli, tmp_path):
    code, out, err = run_cli("diff", built, appended_build, "--csv", tmp_path / "diff.csv")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    themes = changed_theme_units(built, appended_build)  # the new rows' themes count in the themes table
    assert themes
    assert lines[0].startswith(f"old: {built} (wg-som-recommendations ")
    assert lines[1].startswith(f"new: {appended_build} (wg-som-recommendations ")
    assert lines[2:] == [
        "recommendations: 174 → 180 rows; 6 added, 0 removed, 0 changed",
        f"  added: {', '.join(SIXTH_MEETING_IDS)}",
        "meetings: 5 → 6 rows; 1 added, 0 removed, 0 changed",
        "  added: 6",
        f"themes: 18 → 18 rows; 0 added, 0 removed, {len(themes)} changed",
        f"  changed (units): {', '.join(themes)}",
    ]
    assert (tmp_path / "diff.csv").read_text(encoding="utf-8") == (
        "table,change,id,columns\n"
        + "".join(f"recommendations,added,{key},\n" for key in SIXTH_MEETING_IDS)
        + "meetings,added,6,\n"
        + "".join(f"themes,changed,{code},units\n" for code in themes)
    )


def test_a_package_compared_with_its_own_release_zip_and_descriptor_has_no_differences(built, release_zip, run_cli):
    code, out, _ = run_cli("diff", release_zip, built / "datapackage.json")
    assert code == 0
    assert out.splitlines()[2:] == ["recommendations: 174 → 174 rows; 0 added, 0 removed, 0 changed",
                                    "meetings: 5 → 5 rows; 0 added, 0 removed, 0 changed",
                                    "themes: 18 → 18 rows; 0 added, 0 removed, 0 changed"]


def test_a_reissue_whose_lines_moved_shows_the_moved_columns_for_every_row(built, revised_build):
    recommendations, meetings, themes = diff_packages(built, revised_build).tables
    assert recommendations.added == SIXTH_MEETING_IDS and recommendations.removed == []
    assert len(recommendations.changed) == FIRST_EDITION_IDS_COUNT
    assert {tuple(columns) for _, columns in recommendations.changed} == {("line_start", "line_end")}
    assert [columns for _, columns in meetings.changed] == [["heading_line"]] * 5
    assert themes.changed == [(code, ["units"]) for code in changed_theme_units(built, revised_build)]


def test_changed_removed_and_added_columns_are_reported(built, tmp_path, run_cli):
    def edit(rows):
        rows = [row for row in rows if row["id"] != "5.5"]
        for row in rows:
            row["extra"] = "x"
            if row["id"] == "2.20":
                row["text"] = row["text"].replace("неперенных", "неперенесенных")
                row["full_text"] = row["text"]
            if row["id"] == "1.1":
                row["addressee"] = "secretariat"
        return rows

    edited_package(built, tmp_path / "edited", "recommendations", edit)
    descriptor_path = tmp_path / "edited" / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "recommendations-json")
    resource["schema"]["fields"].append({"name": "extra", "type": "string"})
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")

    code, out, _ = run_cli("diff", built, tmp_path / "edited", "--csv", tmp_path / "diff.csv")
    assert code == 0
    assert out.splitlines()[2:5] == [
        "recommendations: 174 → 173 rows; 0 added, 1 removed, 2 changed",
        "  columns added: extra",
        "  removed: 5.5",
    ]
    assert out.splitlines()[5:7] == ["  changed (addressee): 1.1", "  changed (text, full_text): 2.20"]
    assert (tmp_path / "diff.csv").read_text(encoding="utf-8").splitlines()[1:5] == [
        "recommendations,columns added,,extra",
        "recommendations,removed,5.5,",
        "recommendations,changed,1.1,addressee",
        "recommendations,changed,2.20,text;full_text",
    ]


# --- not a data package of this dataset: one line, exit 2, no CSV -----------------------------------------------


def other_dataset(tmp_path):
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps({"name": "another-dataset", "resources": []}), encoding="utf-8")
    return path


def zip_without_descriptor(tmp_path):
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data/readme.txt", "no package here")
    return path


def tampered_copy(tmp_path, built):
    folder = tmp_path / "tampered"
    shutil.copytree(built, folder)
    path = folder / "meetings.json"
    path.write_text(path.read_text(encoding="utf-8").replace("Вена", "Женева", 1), encoding="utf-8")
    return folder


def package_without_json_copy(tmp_path, built):
    folder = tmp_path / "nojson"
    shutil.copytree(built, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "meetings-json"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def text_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not json", encoding="utf-8")
    return path


NOT_A_PACKAGE = {
    "missing path": (lambda tmp, built: tmp / "nowhere.zip",
                     "expected a release zip, a package folder or a datapackage.json, found nothing at this path"),
    "empty folder": (lambda tmp, built: tmp, "expected a data package folder holding datapackage.json, found none"),
    "text file": (lambda tmp, built: text_file(tmp), "expected a datapackage.json, found text that is not JSON"),
    "another dataset": (lambda tmp, built: other_dataset(tmp),
                        "expected a data package named wg-som-recommendations, found 'another-dataset'"),
    "zip without a package": (lambda tmp, built: zip_without_descriptor(tmp),
                              "expected a release zip with one datapackage.json, found 0"),
    "altered file": (lambda tmp, built: tampered_copy(tmp, built),
                     "expected meetings.json to have the sha256 listed in datapackage.json, found another"),
    "no JSON copy": (lambda tmp, built: package_without_json_copy(tmp, built),
                     "expected a resource meetings-json in datapackage.json, found none"),
}


@pytest.mark.parametrize("case", sorted(NOT_A_PACKAGE))
@pytest.mark.parametrize("side", ["old", "new"])
def test_something_that_is_not_this_datasets_package_is_one_line_and_exit_2(case, side, built, tmp_path, run_cli):
    make, expected = NOT_A_PACKAGE[case]
    (tmp_path / "bad").mkdir()
    bad = make(tmp_path / "bad", built)
    old, new = (bad, built) if side == "old" else (built, bad)
    code, out, err = run_cli("diff", old, new, "--csv", tmp_path / "diff.csv")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith(f"error: {bad}: {expected}")
    assert not (tmp_path / "diff.csv").exists()


def test_a_table_schema_of_another_shape_is_said_in_one_line(built, tmp_path):
    folder = tmp_path / "package"
    shutil.copytree(built, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["name"] == "meetings-json")["schema"]["fields"] = ["meeting"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(CheckError) as raised:
        diff_packages(folder, built)
    assert raised.value.message == ("expected the schema of meetings-json to list its fields and a primary key of "
                                    "one column, found another shape")


def test_a_bug_while_reading_a_package_shows_as_the_bug_not_as_bad_input(built, monkeypatch):
    from pipeline.package import Package

    def broken(self, table, verify=False):
        raise KeyError("a bug")

    monkeypatch.setattr(Package, "rows", broken)
    with pytest.raises(KeyError, match="a bug"):
        diff_packages(built, built)


def test_a_primary_key_of_another_shape_is_said_in_one_line(built, tmp_path):
    folder = tmp_path / "package"
    shutil.copytree(built, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["name"] == "meetings-json")["schema"]["primaryKey"] = [["meeting"]]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(CheckError) as raised:
        diff_packages(folder, built)
    assert raised.value.message == ("expected the schema of meetings-json to list its fields and a primary key of "
                                    "one column, found another shape")
