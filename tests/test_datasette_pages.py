"""What `make serve` shows, asked of Datasette in-process (no server, no port): the listing, document order, words for
codes and meetings in facets and cells, and the search by dictionary form that the browse page shares."""

from __future__ import annotations

import json
import sqlite3

import pytest

from pipeline.publish.formats import sqlite
from pipeline.schema import TABLES, list_fields
from pipeline.search import fts_query, matches
from pipeline.serve import STYLE, STYLE_URL

DATABASE = "wg-som-recommendations"


@pytest.fixture(scope="module")
def client(datasette_get):
    def get(path: str, **params):
        response = datasette_get(path, **params)
        assert response.status_code == 200, (path, response.text[:300])
        return response

    return get


def test_the_listing_shows_the_tables_and_hides_link_and_label_tables(client):
    listed = {table["name"]: table["hidden"] for table in client(f"/{DATABASE}.json").json()["tables"]}
    assert {name for name, hidden in listed.items() if not hidden} == set(TABLES)
    for column in list_fields("recommendations"):
        assert listed[sqlite.link_table_name("recommendations", column)]
    for column in sqlite.label_table_fields():
        assert listed[sqlite.label_table_name(column)]


def test_recommendations_open_in_document_order(client, built):
    rows = client(f"/{DATABASE}/recommendations.json", _shape="objects", _size="max", _col="seq")
    expected = [row["id"] for row in json.loads((built / "recommendations.json").read_text(encoding="utf-8"))]
    assert [row["id"] for row in rows.json()["rows"]] == expected[:len(rows.json()["rows"])]
    assert expected.index("1.10") > expected.index("1.9")


def test_facets_and_cells_show_words_for_codes_and_meetings(client):
    result = client(f"/{DATABASE}/recommendations.json", _size="0").json()["facet_results"]
    addressees = {item["value"]: item["label"] for item in result["addressee"]["results"]}
    assert addressees["states_parties"] == "States parties"
    assert {item["label"] for item in result["meeting"]["results"]} >= {"I · 2012", "V · 2018"}
    assert {item["label"] for item in result["modality"]["results"]} >= {"Should", "May wish to consider"}
    page = client(f"/{DATABASE}/recommendations").text
    assert "States parties" in page and "Urged to consider" in page


@pytest.mark.parametrize("query", ["жертва", "прав мигрантов", "мигрантами", "незаконного ввоза"])
def test_the_search_box_finds_by_dictionary_form_what_the_page_finds(client, built, query):
    found = client(f"/{DATABASE}/recommendations.json", _search=query, _shape="objects", _size="max", _col="text")
    recs = json.loads((built / "recommendations.json").read_text(encoding="utf-8"))
    expected = [row["id"] for row in recs if matches(row["text"], query)]
    assert [row["id"] for row in found.json()["rows"]] == expected and expected
    ranked = client(f"/{DATABASE}/search.json", query=query, _shape="objects", _size="max").json()["rows"]
    assert sorted(row["id"] for row in ranked) == sorted(expected)
    with sqlite3.connect(built / sqlite.filename()) as db:
        best_first = [rid for (rid,) in db.execute(
            "SELECT r.id FROM recommendations_fts AS f JOIN recommendations AS r ON r.rowid = f.rowid "
            "WHERE recommendations_fts MATCH ? ORDER BY f.rank", [fts_query(query)])]
    assert [row["id"] for row in ranked] == best_first


def test_a_search_page_links_to_the_same_search_best_matches_first(client):
    page = client(f"/{DATABASE}/recommendations", _search="мигрант").text
    assert "best matches first" in page and f"/{DATABASE}/search" in page


def test_column_descriptions_come_after_the_rows(client):
    page = client(f"/{DATABASE}/recommendations").text
    assert STYLE_URL in page and "column-descriptions" in page
    assert client(STYLE_URL).text == STYLE and "order: 1" in STYLE
