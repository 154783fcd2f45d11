"""The real source, built once: counts, tricky rows, formats, and readers researchers use."""

import json

import duckdb
import frictionless
import numpy as np
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from pipeline import DEFAULT_OUT

PARAGRAPHS_PER_MEETING = [55, 33, 41, 15, 5]
SUBPARAGRAPHS = {"2.8": "abcde", "5.1": "abcd", "5.2": "abcdefghijk", "5.4": "abcde"}


@pytest.fixture(scope="module")
def recs(built) -> pd.DataFrame:
    return pd.read_parquet(built / "recommendations.parquet").set_index("id", drop=False)


def test_dataset_has_174_rows_149_paragraphs_and_25_subparagraphs(recs):
    assert len(recs) == 174
    assert (recs["kind"] != "subparagraph").sum() == 149
    assert (recs["kind"] == "subparagraph").sum() == 25


def test_each_meeting_has_its_paragraph_count(built):
    meetings = pd.read_csv(built / "meetings.csv")
    assert meetings["paragraphs"].tolist() == PARAGRAPHS_PER_MEETING
    assert meetings["subparagraphs"].tolist() == [0, 5, 0, 0, 20]
    assert meetings["meeting_start"].tolist() == ["2012-05-30", "2013-11-11", "2015-11-18", "2017-09-11", "2018-07-04"]
    assert meetings["meeting_end"].tolist() == ["2012-06-01", "2013-11-13", "2015-11-20", "2017-09-13", "2018-07-05"]


def test_chapeaus_are_exactly_the_four_paragraphs_with_lettered_subparagraphs(recs):
    assert sorted(recs.loc[recs["kind"] == "chapeau", "id"]) == sorted(SUBPARAGRAPHS)
    for chapeau, letters in SUBPARAGRAPHS.items():
        subs = recs[(recs["kind"] == "subparagraph") & recs["id"].str.startswith(chapeau + ".")]
        assert "".join(subs["sub_letter"]) == letters


def test_paragraph_split_by_page_break_is_joined_with_one_space(recs):
    row = recs.loc["1.29"]
    assert "повышения защищенности документов и усиления контроля" in row["text"]
    assert (row["line_start"], row["line_end"]) == (77, 79)


def test_subparagraph_split_by_page_break_is_joined_with_one_space(recs):
    row = recs.loc["5.2.g"]
    assert "международного сотрудничества в рамках дел о незаконном ввозе мигрантов" in row["text"]
    assert row["text"].endswith("в целях борьбы с незаконным ввозом мигрантов;")
    assert row["full_text"] == recs.loc["5.2", "text"] + " " + row["text"]


@pytest.mark.parametrize("row_id", ["1.29", "1.38", "2.20", "2.30", "3.9", "3.18", "3.28", "4.10", "5.2.g"])
def test_every_page_break_fragment_joins_its_unit(recs, row_id):
    row = recs.loc[row_id]
    assert row["line_end"] == row["line_start"] + 2
    assert "  " not in row["text"]


def test_cyrillic_e_subparagraph_of_2_8_has_latin_letter(recs):
    row = recs.loc["2.8.e"]
    assert row["sub_letter"] == "e"
    assert row["text"].startswith("меры уголовного правосудия")


def test_last_paragraph_of_fifth_meeting_on_the_last_line_is_present(recs):
    row = recs.loc["5.5"]
    assert row["text"].startswith("Рабочая группа рекомендовала Конференции участников")
    assert row["line_start"] == 349


def test_spelling_slips_of_the_source_are_kept(recs):
    assert "неперенных условий" in recs.loc["2.20", "text"]


def test_text_is_the_source_line_without_its_marker(recs):
    assert recs.loc["1.1", "text"] == (
        "Государства, которые еще не сделали этого, следует настоятельно призвать рассмотреть вопрос "
        "о ратификации Протокола о незаконном ввозе мигрантов или присоединении к нему.")
    assert recs.loc["5.1.a", "text"].startswith("способствовать по мере возможности")


def test_text_source_leaves_page_empty(recs):
    assert recs["page"].isna().all()


def test_parquet_reads_back_in_pandas_with_schema_types(built):
    frame = pd.read_parquet(built / "recommendations.parquet")
    assert str(frame["seq"].dtype) == "int64"
    assert str(frame["page"].dtype) == "Int64"
    assert frame["meeting_start"].iloc[0].isoformat() == "2012-05-30"


def test_parquet_columns_carry_schema_types_and_descriptions(built):
    schema = pq.read_schema(built / "recommendations.parquet")
    assert str(schema.field("meeting_start").type) == "date32[day]"
    assert str(schema.field("text").type) == "string"
    assert schema.field("kind").metadata[b"description"].startswith(b"paragraph:")


def test_parquet_reads_in_duckdb_with_dates(built):
    path = built / "recommendations.parquet"
    types = {row[0]: row[1] for row in duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
    assert types["meeting_start"] == "DATE" and types["seq"] == "BIGINT"
    [(count,)] = duckdb.sql(f"SELECT count(*) FROM '{path}' WHERE meeting = 5 AND kind = 'subparagraph'").fetchall()
    assert count == 20


def test_parquet_reads_in_polars_with_dates(built):
    frame = pl.read_parquet(built / "recommendations.parquet")
    assert frame.schema["meeting_end"] == pl.Date
    assert frame.schema["sub_letter"] == pl.String
    assert frame.filter(pl.col("id") == "2.8.e")["sub_letter"].item() == "e"


def test_csv_is_utf8_without_bom_with_unix_line_ends_and_one_header(built):
    data = (built / "recommendations.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in data
    assert data.decode("utf-8").splitlines()[0].startswith("id,seq,meeting,meeting_start")


def test_json_rows_have_every_key_with_null_for_missing_and_cyrillic_unescaped(built):
    raw = (built / "recommendations.json").read_text(encoding="utf-8")
    assert "\\u04" not in raw and "Государства" in raw
    rows = json.loads(raw)
    assert len({tuple(row) for row in rows}) == 1
    assert rows[0]["sub_letter"] is None and rows[0]["page"] is None
    assert rows[0]["meeting_start"] == "2012-05-30"


def cell(value) -> str:
    """One cell as CSV spells it: empty for missing, list items joined by ";"."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return ";".join(map(str, list(value)))
    return "" if pd.isna(value) else str(value)


def cells(frame: pd.DataFrame) -> list[list[str]]:
    return [[cell(value) for value in row] for row in frame.itertuples(index=False)]


def test_three_formats_hold_the_same_rows(built):
    from_parquet = pd.read_parquet(built / "recommendations.parquet")
    from_json = pd.DataFrame(json.loads((built / "recommendations.json").read_text(encoding="utf-8")))
    from_csv = pd.read_csv(built / "recommendations.csv", dtype=str, keep_default_na=False)
    assert cells(from_parquet) == cells(from_csv) == cells(from_json)
    assert len(from_csv) == 174


def test_package_is_valid_for_frictionless(built):
    report = frictionless.validate(str(built / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])
    assert sorted(task.type for task in report.tasks) == ["file"] * 4 + ["table"] * 12


def test_package_describes_source_with_its_hash_and_no_timestamp(built):
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    source = descriptor["sources"][0]
    assert source["hash"] == "sha256:628c1c4680369192adb2bb5301b12f3f72d95cfed37461a38845c252e53129f7"
    assert "created" not in descriptor
    assert descriptor["document"]["agenda_symbol"] == "CTOC/COP/WG.7/2019/1"
    assert descriptor["document"]["date"] == "2019-06-21"
    tables = [r for r in descriptor["resources"] if r["type"] == "table"]
    assert {r["name"] for r in tables} == {
        "recommendations", "meetings", "themes", "codes", "recommendations-json", "meetings-json", "themes-json",
        "codes-json", "recommendations-parquet", "meetings-parquet", "themes-parquet", "codes-parquet"}
    assert all(r["hash"].startswith("sha256:") for r in descriptor["resources"])


def test_committed_output_is_what_the_build_produces(built):
    committed = sorted(p.name for p in DEFAULT_OUT.iterdir())
    assert committed == sorted(p.name for p in built.iterdir())
    for name in committed:
        assert (DEFAULT_OUT / name).read_bytes() == (built / name).read_bytes(), f"output/{name} is stale: run make dataset"


def test_windows_line_ends_and_bom_build_the_same_tables(built, tmp_path, run_cli):
    from pipeline import DEFAULT_SOURCE

    text = DEFAULT_SOURCE.read_text(encoding="utf-8")
    windows = tmp_path / "windows.md"
    windows.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    code, _, err = run_cli("build", "--source", windows, "--out", tmp_path / "out")
    assert code == 0, err
    for name in ("recommendations.csv", "meetings.csv", "recommendations.parquet", "meetings.json"):
        assert (tmp_path / "out" / name).read_bytes() == (built / name).read_bytes(), name
