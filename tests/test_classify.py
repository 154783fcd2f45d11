"""The classify stage's rules, on small inline texts and on the rule tables themselves."""

from __future__ import annotations

import csv
import re
import shutil

import pytest

from pipeline.errors import CheckError
from pipeline.schema import table_schema
from pipeline.rules import RULES_DIR, UNCLASSIFIED, load_rules
from pipeline.stages.classify import classify, read_cites, read_label, read_refers_to
from pipeline.stages.extract import Line
from pipeline.stages.parse import parse_lines
from pipeline.stages.tabulate import tabulate

def addressee(rules, text: str) -> str:
    return read_label("addressee", text, rules)


def modality(rules, text: str) -> str:
    return read_label("modality", text, rules)


# Addressee


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Государствам-участникам следует принять надлежащие меры.", "states_parties"),
        ("Государства-участники, возможно, пожелают разработать стратегию.", "states_parties"),
        ("Государства-участники могут рассмотреть вопрос о назначении.", "states_parties"),
        ("Государствам — участникам Конвенции, которые являются странами назначения, рекомендуется расширять.",
         "states_parties"),
        ("Государствам-участникам, особенно имеющим общие границы, следует содействовать обмену.", "states_parties"),
        ("Государствам следует создать каналы.", "states"),
        ("Государства, которые еще не сделали этого, следует настоятельно призвать рассмотреть вопрос.", "states"),
        ("Государствам происхождения следует рассмотреть возможность выдачи разрешений.", "states_of_origin"),
        ("Государствам происхождения, транзита и назначения следует сотрудничать.",
         "states_of_origin_transit_destination"),
        ("государствам-участникам и Управлению Организации Объединенных Наций по наркотикам и преступности "
         "(УНП ООН) следует и впредь содействовать.", "states_parties_and_unodc"),
        ("Секретариату следует оказывать техническую помощь государствам-участникам.", "secretariat"),
        ("Рабочая группа по незаконному ввозу мигрантов просила Секретариат подготовить руководство.", "secretariat"),
        ("Рабочая группа просила УНП ООН продолжать оказывать государствам-участникам помощь.", "unodc"),
        ("Рабочая группа рекомендовала Конференции участников рассмотреть возможность.", "conference"),
        ("Конференции следует обсудить программу.", "conference"),
        ("Рабочей группе следует продолжать оказывать Конференции помощь.", "working_group"),
        ("Рабочая группа, возможно, пожелает предложить Секретариату организовать обсуждения.", "working_group"),
        ("международным организациям может быть предложено использовать форумы.", "international_organizations"),
    ],
)
def test_addressee_is_the_subject_or_dative_that_governs_the_modal(text, expected, rules):
    assert addressee(rules, text) == expected


def test_a_noun_mentioned_before_the_subject_without_a_modal_is_not_the_addressee(rules):
    text = "Для оказания помощи государствам и Конференции Секретариату следует подготовить доклад."
    assert addressee(rules, text) == "secretariat"


def test_addressee_is_unclassified_when_no_subject_governs_a_modal(rules):
    assert addressee(rules, "Незаконный ввоз мигрантов является преступлением.") == UNCLASSIFIED


# Modality and strength


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Государствам-участникам следует принять меры.", "should"),
        ("Государствам-участникам следует:", "should"),
        ("Государствам-участникам следует рассмотреть вопрос о:", "should_consider"),
        ("Государствам следует рассмотреть возможность использования сборника.", "should_consider"),
        ("Государствам-участникам следует также рассмотреть вопрос о мерах.", "should_consider"),
        ("Государствам следует в соответствии со своими внутренними актами в качестве профилактической меры "
         "рассмотреть возможность выдачи.", "should_consider"),
        ("государствам не следует привлекать к уголовной ответственности моряков.", "should_not"),
        ("Государствам рекомендуется создать механизмы.", "recommended"),
        ("Государствам рекомендуется рассмотреть вопрос о создании центров.", "recommended_to_consider"),
        ("Государствам рекомендуется изучить вопрос о том, каким образом.", "recommended_to_consider"),
        ("Рабочая группа рекомендовала Конференции рассмотреть на будущих совещаниях темы:",
         "recommended_to_consider"),
        ("Государствам-участникам предлагается вести работу.", "invited"),
        ("международным организациям может быть предложено использовать форумы.", "may_be_invited"),
        ("Рабочая группа просила Секретариат подготовить руководство.", "requested"),
        ("Государства, возможно, пожелают принять меры.", "may_wish"),
        ("Государства-участники, возможно, пожелают рассмотреть вопрос о включении.", "may_wish_to_consider"),
        ("Государства-участники могут рассмотреть вопрос о назначении.", "may_consider"),
        ("Государства-участники могли бы рассмотреть возможные способы.", "may_consider"),
        ("Государства-участники могут в соответствии с национальным законодательством рассмотреть вопрос.",
         "may_consider"),
        ("Государства, которые еще не сделали этого, следует настоятельно призвать рассмотреть вопрос о "
         "ратификации.", "urged_to_consider"),
    ],
)
def test_modality_reads_the_modal_and_whether_its_verb_asks_only_for_consideration(text, expected, rules):
    assert modality(rules, text) == expected


def test_should_consider_is_weaker_than_should_take_measures(rules):
    consider = modality(rules, "Государствам-участникам следует рассмотреть вопрос о принятии мер.")
    act = modality(rules, "Государствам-участникам следует принять меры.")
    assert rules.strength(consider) < rules.strength(act)


def test_imperfective_rassmatrivat_kak_is_an_action_not_a_request_to_consider(rules):
    text = "Государствам следует рассматривать незаконный ввоз мигрантов как уголовное преступление."
    assert modality(rules, text) == "should"


def test_the_first_verb_after_the_modal_decides_not_a_later_consider(rules):
    text = "Государствам-участникам следует обеспечить соблюдение требований и рассмотреть вопрос о соглашениях."
    assert modality(rules, text) == "should"


def test_mogut_in_a_subordinate_clause_is_not_a_modality_of_the_recommendation(rules):
    text = ("Хотя незаконный ввоз мигрантов и торговля людьми могут в некоторых случаях иметь схожие признаки, "
            "государствам-участникам следует считать их отдельными преступлениями.")
    assert modality(rules, text) == "should"


def test_the_first_modal_of_a_unit_of_several_sentences_decides(rules):
    text = "Государства, возможно, пожелают обратиться к УНП ООН. В доклад следует включить информацию."
    assert modality(rules, text) == "may_wish"


def test_modality_is_unclassified_when_no_modal_is_present(rules):
    assert modality(rules, "Незаконный ввоз мигрантов является преступлением.") == UNCLASSIFIED


def test_a_request_to_consider_sits_two_steps_below_the_same_modal_never_below_one(rules):
    pairs = [("should", "should_consider"), ("recommended", "recommended_to_consider"),
             ("may_wish", "may_wish_to_consider")]
    for act, consider in pairs:
        assert rules.strength(consider) == max(rules.strength(act) - 2, 1), (act, consider)


def test_every_modality_but_unclassified_has_a_strength_from_1_to_5(rules):
    for label in rules.labels_of("modality"):
        strength = rules.strength(label)
        assert (strength is None) if label == UNCLASSIFIED else 1 <= strength <= 5, label


# Citations and references


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("по всем вопросам, перечисленным в статье 10 Протокола о незаконном ввозе мигрантов", ["protocol:10"]),
        ("в соответствии с пунктом 3 статьи 14 Протокола;", ["protocol:14.3"]),
        ("перечисленным в пункте 3 статьи 6 Протокола, упомянутых в пункте 1 статьи 6 Протокола",
         ["protocol:6.3", "protocol:6.1"]),
        ("с учетом положений статей 32 и 37 Конвенции государствам", ["convention:32", "convention:37"]),
        ("в соответствии со статьями 16 и 18 Конвенции.", ["convention:16", "convention:18"]),
        ("обеспечении полного осуществления статьи 5 и пункта 4 статьи 6 Протокола;", ["protocol:5", "protocol:6.4"]),
        ("С учетом главы II Протокола государствам", ["protocol:chapter_2"]),
        ("во исполнение статьи 20 Конвенции об организованной преступности", ["convention:20"]),
        ("такие положения Конвенции Организации Объединенных Наций, касающиеся сотрудничества, как статья 13 о "
         "конфискации, которую следует рассматривать как дополняющую статью 12 о конфискации и аресте",
         ["convention:13", "convention:12"]),
        ("выполнение своих обязательств по статье 18, в том числе", ["protocol:18"]),
        ("осуществлять Конвенцию. Обязательства по статье 8 важны", ["protocol:8"]),
        ("в рамках Венской конвенции о консульских сношениях, о которых упоминается в пункте 5 статьи 16 Протокола",
         ["vccr", "protocol:16.5"]),
        ("в соответствии с Протоколом и Венской конвенцией о консульских сношениях", ["vccr"]),
        ("осуществления Повестки дня в области устойчивого развития на период до 2030 года", ["agenda2030"]),
        ("статьи 8 Протокола против незаконного ввоза мигрантов, дополняющего Конвенцию", ["protocol:8"]),
        ("осуществлять Конвенцию Организации Объединенных Наций и Протокол о незаконном ввозе мигрантов", []),
        ("независимо от их миграционного статуса", []),
    ],
)
def test_cites_normalises_provisions_and_instruments_in_order_of_mention(text, expected, rules):
    assert read_cites(text, rules) == expected


def test_cites_lists_a_reference_once(rules):
    assert read_cites("статье 6 Протокола и еще раз статье 6 Протокола", rules) == ["protocol:6"]


def test_every_citation_the_rules_can_produce_matches_the_schema_item_pattern(rules):
    spec = next(f for f in table_schema("recommendations")["fields"] if f["name"] == "cites")
    item = re.compile(spec["arrayItem"]["constraints"]["pattern"])
    samples = ["пункте 3 статьи 6 Протокола", "статьей 24 Конвенции", "главы IV Протокола",
               "Венской конвенции о консульских сношениях", "Повестки дня в области устойчивого развития на период "
               "до 2030 года"]
    produced = [ref for sample in samples for ref in read_cites(sample, rules)]
    assert len(produced) == len(samples)
    assert all(item.fullmatch(ref) for ref in produced), produced


def test_refers_to_reads_a_recommendation_number_of_the_same_meeting(rules):
    assert read_refers_to("С учетом рекомендации 11 государствам-участникам следует", 4, rules) == ["4.11"]


def test_refers_to_ignores_recommendations_without_a_number(rules):
    assert read_refers_to("выполнению рекомендаций, принятых на предыдущем совещании", 1, rules) == []


# The stage on a small document


SMALL_DOCUMENT = """\
I. Первое совещание, Вена, 30 мая — 1 июня 2012 года

1. Рабочая группа просила Секретариат подготовить доклад о статье 10 Протокола.
2. Государствам-участникам следует:
 - a) принять меры;
 - b) рассмотреть вопрос о сотрудничестве с Конференцией.
3. С учетом рекомендации 1 государствам следует рассмотреть вопрос о докладе.
"""


def small_tables(rules):
    lines = [Line(n, text) for n, text in enumerate(SMALL_DOCUMENT.splitlines(), start=1)]
    return classify(tabulate(parse_lines(lines)), rules, warn=print)


def test_classify_fills_every_research_column_of_a_small_document(rules):
    rows = small_tables(rules).recommendations.set_index("id")
    assert rows.loc["1.1", ["addressee", "modality", "strength"]].tolist() == ["secretariat", "requested", 5]
    assert rows.loc["1.1", "cites"] == ["protocol:10"]
    assert rows.loc["1.3", ["addressee", "modality"]].tolist() == ["states", "should_consider"]
    assert rows.loc["1.3", "refers_to"] == ["1.1"]
    assert rows.loc["1.2.a", "eid"] == "meeting_1__para_2__list_1__point_a"


def test_subparagraphs_take_the_chapeau_addressee_and_read_modality_with_their_own_verb(rules):
    rows = small_tables(rules).recommendations.set_index("id")
    assert rows.loc["1.2", ["addressee", "modality"]].tolist() == ["states_parties", "should"]
    assert rows.loc["1.2.a", ["addressee", "modality"]].tolist() == ["states_parties", "should"]
    assert rows.loc["1.2.b", ["addressee", "modality"]].tolist() == ["states_parties", "should_consider"]


def test_classify_leaves_the_tabulated_columns_unchanged(rules):
    lines = [Line(n, text) for n, text in enumerate(SMALL_DOCUMENT.splitlines(), start=1)]
    before = tabulate(parse_lines(lines)).recommendations
    after = classify(tabulate(parse_lines(lines)), rules, warn=print).recommendations
    research = ("addressee", "modality", "strength", "cites", "refers_to", "themes", "groups", "sdg_targets")
    untouched = [c for c in before.columns if c not in research]
    assert after[untouched].equals(before[untouched])


def test_the_build_prints_how_many_units_no_rule_covers(source_build):
    line = next(line for line in source_build.log if line.startswith("classify:"))
    assert "0 without addressee, 0 without modality" in line


def test_unclassified_units_are_labelled_and_warned_about(capsys, rules):
    lines = [Line(1, "I. Первое совещание, Вена, 30 мая — 1 июня 2012 года"),
             Line(2, "1. Незаконный ввоз мигрантов является преступлением.")]
    warnings = []
    rows = classify(tabulate(parse_lines(lines)), rules, warn=warnings.append).recommendations
    assert rows.loc[0, "addressee"] == UNCLASSIFIED and rows.loc[0, "modality"] == UNCLASSIFIED
    assert rows["strength"].isna().all()
    assert warnings == ["1 units match no addressee rule in rules.csv: 1.1", "1 units match no modality rule in "
                        "rules.csv: 1.1", "1 units have no theme: 1.1"]
    assert capsys.readouterr().err == ""


# The rule tables


def rule_rows():
    with (RULES_DIR / "rules.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_label_lists_equal_the_schema_enums(rules):
    fields = {f["name"]: f for f in table_schema("recommendations")["fields"]}
    for field in ("addressee", "modality"):
        assert rules.labels_of(field) == fields[field]["constraints"]["enum"]


def test_every_label_but_unclassified_is_produced_by_some_rule(rules):
    for field in ("addressee", "modality"):
        produced = {rule.label for rule in rules.of(field)}
        assert set(rules.labels_of(field)) - produced == {UNCLASSIFIED}, field


def test_each_addressee_and_modality_rule_decides_its_example_unit(rules, source_build):
    units = source_build.recommendations().set_index("id")
    checked = [rule for rule in rules.rules if rule.field in ("addressee", "modality")]
    for rule in checked:
        row = units.loc[rule.example]
        where = f"{rule.field}:{rule.label}:line{rule.line}"
        assert rule.pattern.search(row["full_text"]), f"{where}: the rule does not match its example"
        assert row[rule.field] == rule.label, where
    assert checked


def test_each_citation_rule_matches_the_text_of_its_example_unit(rules, source_build):
    units = source_build.recommendations().set_index("id")
    checked = [rule for rule in rules.rules if rule.field in ("instrument", "cites", "provision", "refers_to")]
    for rule in checked:
        assert rule.pattern.search(units.loc[rule.example, "text"]), f"{rule.field}:{rule.label}:line{rule.line}"
    assert checked


def test_every_rule_names_the_source_wording_it_covers():
    for row in rule_rows():
        assert len(row["covers"]) > 20, row["label"]


def _copy_tables(tmp_path):
    """A copy of rules/ and the paths of its rule table and label table."""
    folder = shutil.copytree(RULES_DIR, tmp_path / "rules")
    return folder / "rules.csv", folder / "labels.csv"


def test_a_rule_with_a_label_not_in_the_label_table_is_refused_with_its_line(tmp_path, rules):
    rule_table, labels = _copy_tables(tmp_path)
    text = rule_table.read_text(encoding="utf-8").replace("modality,invited,", "modality,invitedd,")
    rule_table.write_text(text, encoding="utf-8")
    with pytest.raises(CheckError, match=r"rules\.csv:\d+: expected a modality label .*'invitedd'"):
        load_rules(labels.parent)


def test_a_pattern_using_an_undefined_macro_is_refused(tmp_path):
    rule_table, labels = _copy_tables(tmp_path)
    text = rule_table.read_text(encoding="utf-8").replace(r'"\bсекретариату{LINK}"', r'"\bсекретариату{LINKS}"')
    rule_table.write_text(text, encoding="utf-8")
    with pytest.raises(CheckError, match="macro named LINKS"):
        load_rules(labels.parent)


def test_a_label_table_that_differs_from_the_schema_enum_is_refused(tmp_path):
    rule_table, labels = _copy_tables(tmp_path)
    kept = [line for line in labels.read_text(encoding="utf-8").splitlines() if ",may_be_invited," not in line]
    labels.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(CheckError, match="modality labels to be the schema's enum"):
        load_rules(labels.parent)


def test_an_invalid_regular_expression_is_refused_with_its_line(tmp_path, rules):
    rule_table, labels = _copy_tables(tmp_path)
    text = rule_table.read_text(encoding="utf-8").replace(r'"\bпредлагается\b"', r'"\bпредлагается(\b"')
    rule_table.write_text(text, encoding="utf-8")
    with pytest.raises(CheckError, match=r"rules\.csv:\d+: expected a valid regular expression"):
        load_rules(labels.parent)


def test_a_label_without_a_short_label_is_refused(tmp_path):
    rule_table, labels = _copy_tables(tmp_path)
    labels.write_text(labels.read_text(encoding="utf-8").replace(",secretariat,Secretariat,", ",secretariat,,", 1),
                      encoding="utf-8")
    with pytest.raises(CheckError, match=r"labels\.csv:10: expected a short label of 1 to 40 characters for "
                                         r"secretariat, found ''"):
        load_rules(labels.parent)
