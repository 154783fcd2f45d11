"""Themes, groups of people and SDG targets: the vocabulary and lexicon in rules/, matching by lemma, the columns,
the themes table, and bad lexicon or vocabulary files."""

from __future__ import annotations

import csv
import json
import shutil

import pandas as pd
import pytest

from pipeline.errors import CheckError
from pipeline.rules import RULES_DIR, load_rules
from pipeline.stages.classify import classify
from pipeline.stages.extract import Line
from pipeline.stages.parse import parse_lines
from pipeline.stages.tabulate import tabulate
from pipeline.stages.themes.lemmatizer import Lemmatizer
from pipeline.stages.themes.lexicon import index_lexicon
from pipeline.stages.themes.matching import matched_entries, unit_codes
from pipeline.stages.validate import check_themes
from tests.conftest import MINI_DOCUMENT

def codes_of(rules, text: str, cites: tuple[str, ...] = (), addressee: str | None = "states") -> tuple[list, list]:
    return unit_codes(text, list(cites), addressee, index_lexicon(rules.lexicon), Lemmatizer())


def themes_of(rules, text: str, **kwargs) -> list[str]:
    return codes_of(rules, text, **kwargs)[0]


def groups_of(rules, text: str) -> list[str]:
    return codes_of(rules, text)[1]


# Lemmas: one entry covers every inflected form


@pytest.mark.parametrize("text", [
    "Государствам следует обмениваться информацией.",
    "Государствам следует содействовать обмену информацией.",
    "Государствам следует наладить обмен оперативной информацией.",
    "Государства, возможно, пожелают активизировать обмены информацией и опытом.",
], ids=["verb", "dative", "adjective-between", "plural"])
def test_one_lexicon_entry_matches_every_inflected_form(text, rules):
    assert "information_exchange" in themes_of(rules, text)


def test_e_and_yo_are_read_alike(rules):
    assert groups_of(rules, "Внимание следует уделять ребёнку.") == groups_of(rules, "Внимание следует уделять ребенку.")
    assert groups_of(rules, "Внимание следует уделять ребенку.") == ["children"]


def test_suppletive_forms_are_found_through_their_lemma(rules):
    assert groups_of(rules, "Государствам следует защищать детей и женщин.") == ["children", "women"]


def test_at_most_two_content_words_may_stand_between_the_lemmas_of_an_entry(rules):
    assert "financial_investigation" in themes_of(rules, "Следует бороться с отмыванием денег.")
    assert "financial_investigation" in themes_of(rules, "Следует бороться с отмыванием преступных грязных денег.")
    assert "financial_investigation" not in themes_of(rules, "Следует бороться с отмыванием очень больших грязных денег.")


def test_prepositions_conjunctions_particles_and_pronouns_between_lemmas_do_not_count(rules):
    assert "financial_investigation" in themes_of(rules, "Следует бороться с отмыванием ими же и их денег.")
    assert "criminalization" in themes_of(rules, "Следует принять меры в отношении их наказания.")


def test_a_full_stop_semicolon_or_colon_between_lemmas_stops_a_match(rules):
    for stop in (".", ";", ":"):
        assert "root_causes_migration_policy" not in themes_of(rules, f"Следует устранять коренные{stop} причины бедствий")
    assert "root_causes_migration_policy" in themes_of(rules, "Следует устранять коренные, глубинные причины ввоза.")


def test_words_in_passing_give_no_theme(rules):
    assert themes_of(rules, "Государствам следует в целях борьбы с незаконным ввозом мигрантов действовать.") == []


# Other sources of themes


def test_a_cited_article_gives_the_themes_of_the_crosswalk(rules):
    assert themes_of(rules, "Следует обеспечить полное выполнение статьи 18.", cites=("protocol:18",)) == ["return"]
    assert themes_of(rules, "Следует выполнить пункт 3 статьи 14.", cites=("protocol:14.3",)) == ["capacity_building"]
    assert themes_of(rules, "Следует учитывать обязательства.", cites=("vccr",)) == []


def test_a_paragraph_addressed_to_the_working_group_or_the_conference_is_about_their_work(rules):
    assert themes_of(rules, "Конференции следует обсудить это.", addressee="conference") == ["working_group_conference"]
    assert themes_of(rules, "Рабочей группе следует обсудить это.", addressee="working_group") == ["working_group_conference"]
    assert themes_of(rules, "Государствам следует обсудить это.", addressee="states") == []


def test_the_vocabulary_orders_the_codes_and_the_sdg_targets_follow_from_the_themes(rules):
    found, _ = codes_of(rules, "Следует повышать осведомленность о рисках и отслеживать финансовые потоки.")
    assert found == ["financial_investigation", "prevention_awareness"]
    assert rules.vocabulary.sdg_targets(found) == ["10.7", "16.4"]
    assert rules.vocabulary.sdg_targets(["capacity_building", "criminalization"]) == ["16.3", "16.a", "17.9"]


# Units of a document


DOCUMENT = """\
I. Первое совещание, Вена, 30 мая — 1 июня 2012 года

1. Государствам-участникам следует:
 - a) обеспечивать защиту несопровождаемых детей;
 - b) проводить кампании по информированию общественности.
2. Рабочая группа рекомендовала Конференции рассмотреть на будущих совещаниях следующие темы:
 - a) незаконный ввоз мигрантов по морю.
"""


def document_tables(rules):
    lines = [Line(n, text) for n, text in enumerate(DOCUMENT.splitlines(), start=1)]
    return classify(tabulate(parse_lines(lines)), rules, warn=print)


def test_a_chapeau_has_its_subparagraphs_themes_and_groups_as_well_as_its_own(rules):
    rows = document_tables(rules).recommendations.set_index("id")
    assert rows.loc["1.1.a", "themes"] == ["protection_assistance"] and rows.loc["1.1.a", "groups"] == ["children"]
    assert rows.loc["1.1.b", "themes"] == ["prevention_awareness"] and rows.loc["1.1.b", "groups"] == []
    assert rows.loc["1.1", "themes"] == ["prevention_awareness", "protection_assistance"]
    assert rows.loc["1.1", "groups"] == ["children"]


def test_a_future_topic_is_the_working_groups_work_and_the_topics_theme(rules):
    rows = document_tables(rules).recommendations.set_index("id")
    assert rows.loc["1.2.a", "themes"] == ["smuggling_by_sea"]  # a subparagraph: its own text only
    assert rows.loc["1.2", "themes"] == ["smuggling_by_sea", "working_group_conference"]
    assert rows.loc["1.2", "sdg_targets"] == ["10.7"]


def test_the_themes_table_lists_the_vocabulary_with_its_units(rules):
    table = document_tables(rules).themes.set_index("code")
    assert table.index.tolist() == rules.vocabulary.theme_codes
    assert table.loc["smuggling_by_sea", "units"] == 2 and table.loc["return", "units"] == 0
    assert table.loc["return", "articles"] == ["protocol:18"] and table.loc["return", "sdg_targets"] == ["10.7"]
    assert table.loc["working_group_conference", "articles"] == []


def test_a_unit_without_a_theme_is_counted_and_warned_about(run_cli, write_source, tmp_path):
    code, out, err = run_cli("build", "--source", write_source(MINI_DOCUMENT), "--out", tmp_path / "o")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("classify:"))
    assert "; 6 without a theme (" in line
    assert "warning: 6 units have no theme: 1.1, 1.2, 1.2.a, 1.2.b, 1.2.c, 2.1" in err


# The real document


def test_the_build_log_reports_units_per_theme_and_none_without_a_theme(source_build):
    line = next(line for line in source_build.log if line.startswith("classify:"))
    table = pd.read_parquet(source_build.folder / "themes.parquet")
    per_theme = ", ".join(f"{code} {units}" for code, units in zip(table["code"], table["units"]))
    assert f"units per theme: {per_theme}; 0 without a theme" in line


def test_every_unit_of_the_document_has_a_theme(source_build):
    frame = source_build.recommendations()
    assert frame.loc[frame["themes"].map(len) == 0, "id"].tolist() == []


def test_each_lexicon_entry_gives_its_code_in_its_example_unit(rules, source_build):
    units = source_build.recommendations().set_index("id")
    index, lemmatizer = index_lexicon(rules.lexicon), Lemmatizer()
    for entry in rules.lexicon.entries:
        row = units.loc[entry.example]
        where = f"{entry.field}:{entry.code}:line{entry.line}"
        if entry.field == "addressee":
            assert row["addressee"] in entry.lemmas[0] and row["kind"] != "subparagraph", where
        else:
            assert entry in matched_entries(index, lemmatizer.read(row["text"], index)), f"{where}: no match"
        assert entry.code in row["groups" if entry.field == "group" else "themes"], where
    assert rules.lexicon.entries


def test_every_theme_and_group_is_given_by_some_entry(rules):
    assert {e.code for e in rules.lexicon.entries if e.field != "group"} == set(rules.vocabulary.theme_codes)
    assert {e.code for e in rules.lexicon.of("group")} == set(rules.vocabulary.group_codes)


def test_every_entry_names_the_wording_it_covers(rules):
    assert all(len(entry.covers) > 20 for entry in rules.lexicon.entries)


def test_themes_table_is_published_in_three_formats_saying_the_crosswalk_is_the_projects(source_build):
    folder = source_build.folder
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert {"themes", "themes-json", "themes-parquet"} <= set(resources)
    assert "the Working Group did not assign them" in resources["themes"]["description"]
    from_csv = list(csv.DictReader((folder / "themes.csv").open(encoding="utf-8")))
    from_json = json.loads((folder / "themes.json").read_text(encoding="utf-8"))
    from_parquet = pd.read_parquet(folder / "themes.parquet")
    assert [r["code"] for r in from_csv] == [r["code"] for r in from_json] == from_parquet["code"].tolist()
    ratification = from_csv[0]
    assert ratification["articles"] == "protocol:21;convention:32;convention:37" and ratification["name_ru"]
    assert from_json[0]["articles"] == ["protocol:21", "convention:32", "convention:37"]
    assert list(from_parquet.loc[0, "articles"]) == from_json[0]["articles"]


def test_theme_list_columns_are_encoded_like_cites_in_every_format(source_build):
    folder = source_build.folder
    rows = {row["id"]: row for row in csv.DictReader((folder / "recommendations.csv").open(encoding="utf-8"))}
    records = {r["id"]: r for r in json.loads((folder / "recommendations.json").read_text(encoding="utf-8"))}
    frame = source_build.recommendations().set_index("id")
    for unit in ("1.25", "2.8", "5.4.c"):
        for column in ("themes", "groups", "sdg_targets"):
            assert rows[unit][column] == ";".join(records[unit][column])
            assert list(frame.loc[unit, column]) == records[unit][column]
    assert records["1.25"]["groups"] == ["children", "women", "vulnerable_migrants"]
    assert rows["1.1"]["groups"] == ""


# Checks of the built tables


def _classified(rules):
    tables = document_tables(rules)
    return tables.recommendations.copy(), tables.themes.copy()


def test_the_build_refuses_a_themes_table_whose_counts_are_wrong(rules):
    recommendations, themes = _classified(rules)
    themes.loc[0, "units"] = 7
    with pytest.raises(CheckError, match="expected units of ratification_implementation to count"):
        check_themes(recommendations, themes)


def test_the_build_refuses_a_chapeau_without_its_subparagraphs_themes(rules):
    recommendations, themes = _classified(rules)
    recommendations.at[0, "themes"] = ["prevention_awareness"]
    recommendations.at[0, "sdg_targets"] = ["10.7"]
    themes.loc[themes["code"] == "protection_assistance", "units"] -= 1
    with pytest.raises(CheckError, match="expected chapeau 1.1 to have the themes of 1.1.a, found it without "
                                         "protection_assistance"):
        check_themes(recommendations, themes)


def test_the_build_refuses_sdg_targets_that_do_not_follow_from_the_themes(rules):
    recommendations, themes = _classified(rules)
    recommendations.at[1, "sdg_targets"] = ["16.4"]
    with pytest.raises(CheckError, match=r"expected sdg_targets of 1.1.a to be those of its themes, \['10.7'\]"):
        check_themes(recommendations, themes)


# Bad lexicon and vocabulary files


@pytest.fixture
def rules_copy(tmp_path):
    """A copy of rules/, to be read instead of it: {name: path} of its vocabulary and lexicon files."""
    folder = shutil.copytree(RULES_DIR, tmp_path / "rules")
    return {name: folder / f"{name.split('_')[0].lower()}.csv" for name in ("THEMES_CSV", "GROUPS_CSV", "LEXICON_CSV")}


def edit(path, old: str, new: str) -> int:
    """Replace the first line holding `old` and return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if old in line)
    lines[at] = lines[at].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")
    return at + 1


def append(path, row: str) -> int:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + row + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


BAD_FILES = {
    "unknown-theme-in-lexicon": (
        "LEXICON_CSV", lambda p: edit(p, "theme,return,", "theme,returns,"),
        "expected a theme code listed in themes.csv, found 'returns'"),
    "unknown-group-in-lexicon": (
        "LEXICON_CSV", lambda p: edit(p, "group,women,", "group,girls,"),
        "expected a group code listed in groups.csv, found 'girls'"),
    "duplicate-entry": (
        "LEXICON_CSV", lambda p: append(p, "theme,smuggling_by_sea,моряк,seafarers again,3.4"),
        "expected each entry once, found the entry of line"),
    "inflected-form": (
        "LEXICON_CSV", lambda p: edit(p, "theme,smuggling_by_sea,моряк,", "theme,smuggling_by_sea,моряков,"),
        "expected a lemma (the dictionary form of a word), found 'моряков', which lemmatizes to моряк"),
    "not-a-word": (
        "LEXICON_CSV", lambda p: edit(p, "theme,smuggling_by_sea,моряк,", "theme,smuggling_by_sea,моряк*,"),
        "expected lower-case words separated by spaces and |, found 'моряк*'"),
    "unknown-addressee": (
        "LEXICON_CSV", lambda p: edit(p, "working_group_conference,conference,", "working_group_conference,cop,"),
        "expected an addressee label listed in labels.csv, found 'cop'"),
    "unknown-field": (
        "LEXICON_CSV", lambda p: edit(p, "theme,smuggling_by_sea,моряк,", "topic,smuggling_by_sea,моряк,"),
        "expected field to be one of theme, group, addressee, found 'topic'"),
    "unknown-theme-in-vocabulary": (
        "THEMES_CSV", lambda p: edit(p, "return,Return and readmission", "returns,Return and readmission"),
        "expected a theme code of the schema"),
    "duplicate-theme-in-vocabulary": (
        "THEMES_CSV", lambda p: append(p, "return,Return,Возвращение,the return of migrants,protocol:18,10.7"),
        "expected each theme once, found 'return' again (first on line 14)"),
    "bad-sdg-target": (
        "THEMES_CSV", lambda p: edit(p, "protocol:18,10.7", "protocol:18,10.77.1"),
        "expected sdg_targets items like"),
    "duplicate-group": (
        "GROUPS_CSV", lambda p: append(p, "women,Women,Женщины,women again"),
        "expected each group once, found 'women' again"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_lexicon_or_vocabulary_is_refused_naming_its_file_and_line(case, rules_copy):
    name, change, message = BAD_FILES[case]
    line = change(rules_copy[name])
    with pytest.raises(CheckError) as error:
        load_rules(rules_copy[name].parent)
    assert str(error.value).startswith(f"{rules_copy[name]}:{line}: ")
    assert message in str(error.value)


@pytest.mark.parametrize("case", ["unknown-theme-in-lexicon", "duplicate-entry", "inflected-form"])
def test_a_bad_lexicon_exits_2_with_one_line_and_leaves_output_untouched(case, rules_copy, run_cli, write_source,
                                                                        tmp_path, rules):
    out = tmp_path / "out"
    assert run_cli("build", "--source", write_source(MINI_DOCUMENT), "--out", out)[0] == 0
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    name, change, message = BAD_FILES[case]
    line = change(rules_copy[name])
    code, _, err = run_cli("build", "--source", write_source(MINI_DOCUMENT), "--out", out,
                           "--rules", rules_copy[name].parent)
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith(f"error: {rules_copy[name]}:{line}: ")
    assert message in err
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before


def test_a_later_editions_new_meeting_gets_themes_from_wording_the_lexicon_was_not_written_for(appended_build):
    """The sixth meeting of tests/editions.py, not part of the document the lexicon was checked against."""
    rows = {row["id"]: row for row in json.loads((appended_build / "recommendations.json").read_text(encoding="utf-8"))}
    assert "information_exchange" in rows["6.1"]["themes"]  # «укреплять сотрудничество в области обмена информацией»
    assert "investigation_prosecution" in rows["6.2.a"]["themes"]  # «проведении совместных расследований»
    assert "capacity_building" in rows["6.2.b"]["themes"]  # «подготовке сотрудников пограничных служб»
    assert "information_exchange" in rows["6.2.c"]["themes"]  # «обмене успешными видами практики»
    assert "data_research" in rows["6.3"]["themes"]  # «подготовить доклад»
    assert {"investigation_prosecution", "capacity_building", "information_exchange"} <= set(rows["6.2"]["themes"])
    assert all(row["themes"] for row in rows.values())
