"""The browse page as generated: filters from the schema (including columns that do not exist yet), escaping, and
nothing that needs a network or a server. tests/test_browser.py drives it in a real browser."""

import json
import re

import pytest

from pipeline.release.browse import (
    FILTER_COLUMNS,
    option_label,
    packed_forms,
    page_filters,
    page_rows,
    render_page,
    script_json,
    unpack_forms,
)
from pipeline.search import form_map, text_lemmas

MEETINGS = [
    {"meeting": 1, "roman": "I", "name": "Первое совещание", "place": "Вена", "year": 2012,
     "meeting_start": "2012-05-30", "meeting_end": "2012-06-01"},
    {"meeting": 2, "roman": "II", "name": "Второе совещание", "place": "Вена", "year": 2013,
     "meeting_start": "2013-11-11", "meeting_end": "2013-11-13"},
]
BASE_FIELDS = [
    {"name": "id", "type": "string"},
    {"name": "meeting", "type": "integer"},
    {"name": "kind", "type": "string", "constraints": {"enum": ["paragraph", "chapeau", "subparagraph"]}},
    {"name": "text", "type": "string"},
]
RESEARCH_FIELDS = [
    {"name": "addressee", "type": "string",
     "constraints": {"enum": ["states_parties", "secretariat", "unodc"]}},
    {"name": "modality", "type": "string", "constraints": {"enum": ["should", "may_wish"]}},
    {"name": "strength", "type": "integer"},
]
INJECTION = ('</script><script>window.injected = 1</script>'
             '<img src=x onerror="window.injected = 2">&amp; <b>bold</b>')
SYNTHETIC_ROWS = [
    {"id": "1.1", "meeting": 1, "kind": "paragraph",
     "text": "Государствам-участникам следует учитывать всё.",
     "addressee": "states_parties", "modality": "should", "strength": 4},
    {"id": "1.2", "meeting": 1, "kind": "chapeau", "text": "Секретариату предлагается:",
     "addressee": "secretariat", "modality": "should", "strength": 3},
    {"id": "1.2.a", "meeting": 1, "kind": "subparagraph", "text": INJECTION,
     "addressee": "secretariat", "modality": "should", "strength": 3},
    {"id": "2.1", "meeting": 2, "kind": "paragraph",
     "text": "Государства, возможно, пожелают рассмотреть вопрос.",
     "addressee": "states_parties", "modality": "may_wish", "strength": 1},
]


def synthetic_schema(research: bool) -> dict:
    return {"fields": BASE_FIELDS + (RESEARCH_FIELDS if research else [])}


def embedded_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_filters_are_meeting_and_kind_for_the_current_schema():
    groups = page_filters(synthetic_schema(False), SYNTHETIC_ROWS, MEETINGS)
    assert [g["column"] for g in groups] == ["meeting", "kind"]
    meetings, kinds = groups[0]["options"], groups[1]["options"]
    assert [(o["value"], o["label"], o["count"]) for o in meetings] == [(1, "I · 2012", 3), (2, "II · 2013", 1)]
    assert [(o["value"], o["count"]) for o in kinds] == [("paragraph", 2), ("chapeau", 1), ("subparagraph", 1)]


def test_addressee_and_modality_enum_columns_get_filters_once_the_schema_has_them():
    groups = page_filters(synthetic_schema(True), SYNTHETIC_ROWS, MEETINGS)
    assert [g["column"] for g in groups] == ["meeting", "kind", "addressee", "modality"]
    addressee = {o["value"]: o["count"] for o in groups[2]["options"]}
    assert addressee == {"states_parties": 2, "secretariat": 2, "unodc": 0}
    assert [o["value"] for o in groups[3]["options"]] == ["should", "may_wish"]


def test_only_the_configured_columns_become_filters():
    assert "strength" not in FILTER_COLUMNS
    groups = page_filters(synthetic_schema(True), SYNTHETIC_ROWS, MEETINGS)
    assert "strength" not in [g["column"] for g in groups]


def test_a_list_column_filters_on_its_items():
    schema = {"fields": BASE_FIELDS + [{"name": "addressee", "type": "array"}]}
    rows = [dict(SYNTHETIC_ROWS[0], addressee=["states", "unodc"]), dict(SYNTHETIC_ROWS[3], addressee=["states"])]
    groups = page_filters(schema, rows, MEETINGS)
    assert {o["value"]: o["count"] for o in groups[-1]["options"]} == {"states": 2, "unodc": 1}


def test_options_show_the_short_label_of_rules_labels_csv_with_the_code_and_its_meaning_as_tooltip(rules):
    listed = {(label.field, label.label): label for label in rules.labels}
    groups = page_filters(synthetic_schema(True), SYNTHETIC_ROWS, MEETINGS)
    options = [(group["column"], option) for group in groups if group["column"] in ("addressee", "modality")
               for option in group["options"]]
    assert len(options) == 5
    for column, option in options:
        label = listed[column, option["value"]]
        assert (option["label"], option["title"]) == (label.short, f"{label.label}: {label.meaning}")
        assert option["label"] != option["value"]


def test_a_code_without_a_vocabulary_reads_as_words_with_the_code_as_tooltip():
    kinds = page_filters(synthetic_schema(False), SYNTHETIC_ROWS, MEETINGS, labels={})[1]["options"]
    assert [(o["label"], o["title"]) for o in kinds] == [
        ("Paragraph", "paragraph"), ("Chapeau", "chapeau"), ("Subparagraph", "subparagraph")]
    assert option_label("border_control", {}) == ("Border control", "border_control")


THEMES = {"type": "array", "arrayItem": {"type": "string", "constraints": {"enum": ["border", "protection", "trade"]}}}
THEME_LABELS = {"themes": {"border": ("Border control", "Border management and control"),
                           "protection": ("Protection", "Protection of smuggled migrants")}}


def test_a_list_column_added_later_gets_its_filter_from_its_items_enum_and_its_labels_from_data():
    schema = {"fields": BASE_FIELDS + [{"name": "themes", **THEMES}]}
    rows = [dict(row, themes=themes) for row, themes in zip(SYNTHETIC_ROWS, (["border"], ["border", "protection"],
                                                                              [], ["protection"]))]
    themes = page_filters(schema, rows, MEETINGS, labels=THEME_LABELS)[-1]
    assert (themes["column"], themes["label"]) == ("themes", FILTER_COLUMNS["themes"])
    assert [(o["value"], o["label"], o["title"], o["count"]) for o in themes["options"]] == [
        ("border", "Border control", "border: Border management and control", 2),
        ("protection", "Protection", "protection: Protection of smuggled migrants", 2),
        ("trade", "Trade", "trade", 0)]
    assert page_rows(schema, rows)[1]["themes"] == ["border", "protection"]


def test_page_rows_carry_display_and_filter_columns_and_the_chapeau_of_a_subparagraph():
    rows = page_rows(synthetic_schema(True), SYNTHETIC_ROWS)
    assert rows[2] == {"id": "1.2.a", "meeting": 1, "kind": "subparagraph", "text": INJECTION,
                       "addressee": "secretariat", "modality": "should", "chapeau": "1.2",
                       "lemmas": " ".join(text_lemmas(INJECTION))}
    assert "strength" not in rows[0]
    assert rows[0]["lemmas"].split() == ["государство", "участник", "следовать", "учитывать", "все"]  # ё read as е


def test_the_packed_form_map_reads_back_as_the_search_made_it():
    texts = [row["text"] for row in SYNTHETIC_ROWS]
    assert unpack_forms(packed_forms(texts)) == form_map(texts)
    assert unpack_forms(packed_forms(texts))["государствами"] == "государство"


def test_the_subtitle_counts_units_paragraphs_chapeaus_and_subparagraphs():
    from pipeline.counts import units_sentence

    assert units_sentence(["paragraph", "chapeau", "subparagraph", "subparagraph", "paragraph"]) == (
        "5 units: 3 paragraphs (1 of them a chapeau that introduces 2 subparagraphs) and 2 subparagraphs")
    assert units_sentence(["paragraph"]) == "1 unit: 1 paragraph and 0 subparagraphs"


def test_embedded_json_cannot_close_its_script_element_and_reads_back_unchanged():
    page = render_page(synthetic_schema(True), SYNTHETIC_ROWS, MEETINGS, title="T")
    assert "</script><script>window.injected" not in page
    assert "<img src=x" not in page
    assert embedded_data(page)["rows"][2]["text"] == INJECTION
    assert script_json({"t": "a\u2028b</script>&"}) == '{"t":"a\\u2028b\\u003c/script\\u003e\\u0026"}'


def test_title_is_escaped_as_html():
    page = render_page(synthetic_schema(False), SYNTHETIC_ROWS, MEETINGS, title='<script>alert("x")</script> & co')
    assert "<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</title>" in page


def test_template_placeholders_in_the_data_are_not_substituted():
    rows = [dict(SYNTHETIC_ROWS[0], text="{{TITLE}} {{DATA}}")]
    page = render_page(synthetic_schema(False), rows, MEETINGS, title="Title")
    assert embedded_data(page)["rows"][0]["text"] == "{{TITLE}} {{DATA}}"


@pytest.fixture(scope="module")
def release_page(release_zip) -> str:
    return (release_zip.with_suffix("") / "index.html").read_text(encoding="utf-8")


def test_release_page_embeds_every_recommendation(release_page):
    data = embedded_data(release_page)
    assert len(data["rows"]) == 174
    assert [g["column"] for g in data["filters"]] == ["meeting", "kind", "addressee", "modality", "themes"]
    assert data["rows"][0]["id"] == "1.1"


def test_release_page_labels_every_addressee_and_modality_with_words_from_rules_labels_csv(release_page, rules):
    groups = {g["column"]: g["options"] for g in embedded_data(release_page)["filters"]}
    for field in ("addressee", "modality"):
        expected = [(label.label, label.short, f"{label.label}: {label.meaning}")
                    for label in rules.labels if label.field == field]
        assert [(o["value"], o["label"], o["title"]) for o in groups[field]] == expected


def test_release_page_filters_by_theme_with_the_theme_names_and_shows_each_units_themes(release_page, built):
    data = embedded_data(release_page)
    themes = next(g for g in data["filters"] if g["column"] == "themes")
    table = json.loads((built / "themes.json").read_text(encoding="utf-8"))
    assert [(o["value"], o["label"], o["title"], o["count"]) for o in themes["options"]] == [
        (row["code"], row["name"], f"{row['code']}: {row['definition']}", row["units"]) for row in table]
    records = {row["id"]: row for row in json.loads((built / "recommendations.json").read_text(encoding="utf-8"))}
    assert all(row["themes"] == records[row["id"]]["themes"] for row in data["rows"])


def test_release_page_loads_nothing_from_outside_the_file(release_page):
    assert not re.search(r"<(script|img|iframe|link|embed|object)\b[^>]*\b(src|href)=", release_page, re.I)
    assert "@import" not in release_page and "url(" not in release_page
    assert "fetch(" not in release_page and "XMLHttpRequest" not in release_page
    # the only addresses are the links of the footer, which a reader may follow
    assert set(re.findall(r"https?://[^\s\"'<)]+", release_page)) == {"https://www.un.org/en/about-us/terms-of-use"}


def test_release_page_offers_every_data_file_of_the_release_for_download(release_page, release_zip):
    folder = release_zip.with_suffix("")
    header = release_page[release_page.index('<ul class="files"'):release_page.index("</ul>")]
    linked = re.findall(r'<a href="([^"]+)">', header)
    assert linked and all((folder / name).is_file() for name in linked)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    data_files = {r["path"] for r in descriptor["resources"]
                  if r["path"].startswith(("recommendations.", descriptor["name"]))}
    assert data_files <= set(linked)
