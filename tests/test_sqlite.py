"""The SQLite database: the Parquet rows with their keys and types, link tables, full-text search that finds
inflected forms, views, and the same bytes on every build."""

import contextlib
import json
import re
import shutil
import sqlite3

import pandas as pd
from pathlib import Path

import pytest

from pipeline.errors import CheckError
from pipeline.publish.formats import sqlite
from pipeline.schema import TABLES, field_names, is_required, list_fields, table_schema
from pipeline.stages.tabulate import Tables


@pytest.fixture(scope="module")
def db(built):
    with contextlib.closing(sqlite3.connect(f"{(built / sqlite.filename()).as_uri()}?mode=ro", uri=True)) as conn:
        yield conn


@pytest.fixture(scope="module")
def recs(built) -> pd.DataFrame:
    return pd.read_parquet(built / "recommendations.parquet")


def stored(value, kind: str):
    """A Parquet value as the database stores it."""
    if kind == "array":
        return json.dumps(list(value), ensure_ascii=False)
    if value is None or value is pd.NA:
        return None
    return value.isoformat() if kind == "date" else value


def search(db, query: str) -> set[str]:
    sql = ("SELECT r.id FROM recommendations_fts AS f JOIN recommendations AS r ON r.rowid = f.rowid "
           "WHERE recommendations_fts MATCH ?")
    return {row[0] for row in db.execute(sql, [query])}


def with_word(recs: pd.DataFrame, *forms: str) -> set[str]:
    return {row.id for row in recs.itertuples() if set(forms) & set(re.findall(r"\w+", row.full_text.lower()))}


@pytest.mark.parametrize("table", TABLES)
def test_each_table_holds_the_parquet_rows_in_order(db, built, table):
    frame = pd.read_parquet(built / f"{table}.parquet").astype(object)
    kinds = [spec["type"] for spec in table_schema(table)["fields"]]
    expected = [tuple(stored(v, kind) for v, kind in zip(row, kinds)) for row in frame.itertuples(index=False)]
    cursor = db.execute(f"SELECT * FROM [{table}] ORDER BY rowid")
    added = [sqlite.DISPLAY_LABELS[table][0]] if table in sqlite.DISPLAY_LABELS else []
    assert [d[0] for d in cursor.description] == field_names(table) + added
    cursor = db.execute(f"SELECT {', '.join(field_names(table))} FROM [{table}] ORDER BY rowid")
    assert cursor.fetchall() == expected and len(expected) > 0


def test_a_meeting_is_named_by_its_numeral_and_year(db):
    assert db.execute("SELECT label FROM meetings ORDER BY meeting LIMIT 1").fetchone() == ("I · 2012",)


@pytest.mark.parametrize("table", TABLES)
def test_columns_have_the_declared_type_not_null_when_required_and_the_primary_key(db, table):
    info = {row[1]: row for row in db.execute(f"PRAGMA table_info([{table}])")}
    schema = table_schema(table)
    for spec in schema["fields"]:
        _, name, declared, notnull, _, pk = info[spec["name"]]
        assert declared == sqlite.SQL_TYPES[spec["type"]], name
        assert bool(notnull) == is_required(spec), name
        assert (pk > 0) == (name in schema["primaryKey"]), name


@pytest.mark.parametrize("table", TABLES)
def test_foreign_keys_and_unique_columns_are_declared_and_hold(db, table):
    schema = table_schema(table)
    found = {(row[2], row[3], row[4]) for row in db.execute(f"PRAGMA foreign_key_list([{table}])")}
    coded = {(sqlite.label_table_name(column), column, "code") for column in sqlite.label_tables(table)}
    assert found == coded | {(fk["reference"]["resource"], fk["fields"][0], fk["reference"]["fields"][0])
                             for fk in schema.get("foreignKeys", [])}
    unique = {db.execute(f"PRAGMA index_info([{row[1]}])").fetchone()[2]
              for row in db.execute(f"PRAGMA index_list([{table}])") if row[2]}
    keys = set(schema["primaryKey"])  # an INTEGER PRIMARY KEY is the rowid: unique without an index
    declared = {spec["name"] for spec in schema["fields"] if spec.get("constraints", {}).get("unique")}
    assert unique | keys == declared | keys
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_row_pointing_at_no_meeting_fails_with_one_line_and_leaves_no_scratch_file(source_build, tmp_path):
    tables = source_build.tables()
    frame = tables.recommendations.copy()
    frame.loc[3, "meeting"] = 9
    with pytest.raises(CheckError, match=r"expected every foreign key to match a row, found row 4 of recommendations "
                                         r"pointing at no row of meetings"):
        sqlite.write(Tables(frame, tables.meetings, tables.themes, tables.codes), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_database_is_built_in_a_scratch_file_that_is_removed_and_leaves_files_beside_it_alone(
        source_build, tmp_path, monkeypatch):
    mine = tmp_path / ".database-mine.scratch"
    mine.write_bytes(b"someone's file")
    seen = []
    original = sqlite._fill

    def fill(db, frames):
        seen.append(Path(db.conn.execute("PRAGMA database_list").fetchone()[2]))
        original(db, frames)

    monkeypatch.setattr(sqlite, "_fill", fill)
    sqlite.write(source_build.tables(), tmp_path)
    assert seen[0].parent == tmp_path and seen[0].name != "" and seen[0] != mine
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, sqlite.filename()])
    assert mine.read_bytes() == b"someone's file"
    assert (tmp_path / sqlite.filename()).read_bytes() == (source_build.folder / sqlite.filename()).read_bytes()


def test_tables_are_created_after_the_tables_their_foreign_keys_point_at(monkeypatch):
    references = {"a": ["b"], "b": ["c"], "c": [], "d": ["d"]}
    monkeypatch.setattr(sqlite, "_references", lambda table: references[table])
    assert sqlite.creation_order(dict.fromkeys("abcd")) == ["c", "d", "b", "a"]
    references["c"] = ["a"]
    with pytest.raises(CheckError, match=r"expected foreign keys without a cycle, found one among \['a', 'b', 'c'\]"):
        sqlite.creation_order(dict.fromkeys("abcd"))


def test_writing_again_into_the_same_folder_replaces_the_file(source_build, tmp_path):
    sqlite.write(source_build.tables(), tmp_path)
    first = (tmp_path / sqlite.filename()).read_bytes()
    sqlite.write(source_build.tables(), tmp_path)
    assert (tmp_path / sqlite.filename()).read_bytes() == first


@pytest.mark.parametrize("column", list_fields("recommendations"))
def test_each_list_column_has_a_link_table_with_one_row_per_item_in_order(db, recs, column):
    name = sqlite.link_table_name("recommendations", column)
    item = sqlite.link_item_name(column)
    assert [row[1] for row in db.execute(f"PRAGMA table_info([{name}])")] == ["id", "position", item]
    vocabulary = sqlite.item_references("recommendations", column)
    assert {(r[2], r[3], r[4]) for r in db.execute(f"PRAGMA foreign_key_list([{name}])")} == (
        {("recommendations", "id", "id")} | ({(vocabulary[0], item, vocabulary[1])} if vocabulary else set()))
    linked: dict[str, list[str]] = {}
    for rid, position, value in db.execute(f"SELECT id, position, [{item}] FROM [{name}] ORDER BY id, position"):
        assert position == len(linked.setdefault(rid, [])) + 1
        linked[rid].append(value)
    expected = {row.id: list(getattr(row, column)) for row in recs.itertuples() if len(getattr(row, column))}
    assert linked == expected and expected


def test_link_table_names_follow_the_table_and_column():
    assert sqlite.link_table_name("recommendations", "cites") == "recommendation_cites"
    assert sqlite.link_item_name("cites") == "cite"
    assert sqlite.link_item_name("themes") == "theme"
    assert sqlite.link_item_name("refers_to") == "refers_to"


def test_search_for_a_lemma_finds_its_inflected_forms(db, recs):
    found = search(db, "мигрант")
    for form in ("мигрантов", "мигрантам"):
        rows = with_word(recs, form)
        assert rows and rows <= found, form
    text = dict(zip(recs["id"], recs["full_text"].str.lower()))
    assert all("мигрант" in text[rid] for rid in found)


def test_search_of_the_text_as_written_finds_only_that_form(db, recs):
    as_written = search(db, "{text full_text}: мигрантам")
    assert as_written == with_word(recs, "мигрантам")
    assert as_written < search(db, "мигрант")


def test_prefix_search_matches_words_that_start_with_it(db, recs):
    found = search(db, "{text full_text}: мигрант*")
    assert found == {row.id for row in recs.itertuples() if re.search(r"\bмигрант", row.full_text.lower())}


def test_search_can_be_limited_to_a_units_own_text(db, recs):
    def mentions(column: str) -> set[str]:
        return {row.id for row in recs.itertuples() if re.search(r"\bучастник", getattr(row, column).lower())}

    own = search(db, "text_lemmas: участник")
    assert own == mentions("text")
    assert search(db, "full_text_lemmas: участник") == mentions("full_text") > own  # chapeaus name the addressee


@pytest.mark.parametrize("view, column", [("recommendations_per_meeting_and_addressee", "addressee"),
                                          ("recommendations_per_meeting_and_strength", "strength")])
def test_views_count_the_recommendations_per_meeting_without_chapeaus(db, built, recs, view, column):
    counted = recs[recs["kind"] != "chapeau"]
    expected = {(m, None if pd.isna(v) else v): n
                for (m, v), n in counted.groupby(["meeting", column], dropna=False).size().items()}
    rows = db.execute(f"SELECT meeting, roman, year, [{column}], recommendations FROM [{view}]").fetchall()
    assert {(m, v): n for m, _, _, v, n in rows} == expected
    assert sum(n for *_, n in rows) == len(counted) < len(recs)
    meetings = pd.read_parquet(built / "meetings.parquet").set_index("meeting")
    assert all((roman, year) == tuple(meetings.loc[m, ["roman", "year"]]) for m, roman, year, _, _ in rows)


def test_writing_twice_in_different_folders_gives_the_same_bytes(source_build, tmp_path):
    first, second = tmp_path / "a", tmp_path / "elsewhere" / "b"
    first.mkdir(), second.mkdir(parents=True)
    sqlite.write(source_build.tables(), first)
    sqlite.write(source_build.tables(), second)
    assert (first / sqlite.filename()).read_bytes() == (second / sqlite.filename()).read_bytes()


def test_file_has_no_free_pages_and_a_rollback_journal(built):
    data = (built / sqlite.filename()).read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    assert int.from_bytes(data[28:32], "big") * page_size == len(data)  # the header's page count is the file
    assert int.from_bytes(data[36:40], "big") == 0  # no free pages
    assert data[18:20] == b"\x01\x01"  # not WAL: readable from a read-only folder


def test_a_database_altered_after_publishing_fails_the_package_check(built, tmp_path):
    from pipeline.publish.check import validate_package

    package = tmp_path / "package"
    shutil.copytree(built, package)
    path = package / sqlite.filename()
    path.write_bytes(path.read_bytes()[:-1] + b"\x01")
    with pytest.raises(CheckError, match=rf"^{re.escape(str(path))}: expected \d+ bytes with hash sha256:"):
        validate_package(package)


def test_a_database_write_stopped_during_vacuum_into_leaves_no_part_of_it(source_build, tmp_path, monkeypatch):
    import sqlite3

    original = sqlite._fill

    def fill_then_stop_the_next_statement(db, frames):
        original(db, frames)
        # a non-zero answer interrupts the statement running at its 100th step: VACUUM INTO, the commit being shorter
        db.conn.set_progress_handler(lambda: 1, 100)

    monkeypatch.setattr(sqlite, "_fill", fill_then_stop_the_next_statement)
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        sqlite.write(source_build.tables(), tmp_path)
    assert list(tmp_path.iterdir()) == []
