"""`make serve`: Datasette over the database on a free loopback port, read-only, with metadata from the package; bad
input (a taken port, a missing or altered database) refused in one line or rebuilt, and no process left behind."""

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from pipeline import DEFAULT_SOURCE, PROJECT_ROOT
from pipeline.errors import PipelineError
from pipeline.publish.formats import sqlite
from pipeline.schema import TABLES, list_fields, table_schema
from pipeline.search import matches
from pipeline.serve import QUERIES, SETTINGS, facets, metadata, serve
from tests.test_browser import WINDOW_SIZE, screenshot, viewport_box
from tests.test_browser import driver  # noqa: F401  (the headless Chromium fixture)

DATABASE = Path(sqlite.filename()).stem
READY_WITHIN = 90  # seconds: Datasette starts in a few, more on a busy machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_command(package: Path, port: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "serve", "--package", str(package), "--port", str(port), *extra]


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop(process: subprocess.Popen) -> None:
    """Stop the server's whole process group: SIGTERM, then SIGKILL for anything still there after 10 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while group_alive(process.pid) and time.monotonic() < deadline:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_until_ready(process: subprocess.Popen, base: str, log) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            pytest.fail(f"the server exited with code {process.returncode}: {log.read().decode()[-2000:]}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                return
        time.sleep(0.2)
    pytest.fail(f"the server did not answer within {READY_WITHIN} s")


@contextlib.contextmanager
def running_server(package: Path, *extra: str):
    """Start `python -m pipeline serve` in a process group of its own; yield its base URL, the process and its log;
    always stop the whole group, whatever happens inside."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(serve_command(package, port, *extra), cwd=PROJECT_ROOT, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until_ready(process, base, log)
            yield base, process, log
        finally:
            stop(process)


@pytest.fixture(scope="module")
def server(built):
    with running_server(built) as (base, _, _):
        yield base


def get_json(base: str, path: str, **params) -> dict:
    """JSON of the database's `path` from a running server at `base`."""
    url = f"{base}/{DATABASE}{path}" + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def api(datasette_get, path: str, **params) -> dict:
    """JSON of the database's `path` from Datasette in-process, which must answer 200."""
    response = datasette_get(f"/{DATABASE}{path}", **params)
    assert response.status_code == 200, (path, response.text[:300])
    return response.json()


def table_count(datasette_get, table: str) -> int:
    return api(datasette_get, f"/{table}.json", _size="0")["filtered_table_rows_count"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the JSON API ----------------------------------------------------------------------------------------------


def test_every_table_and_link_table_has_the_rows_of_the_package(datasette_get, built):
    for table in TABLES:
        frame = pd.read_parquet(built / f"{table}.parquet")
        assert table_count(datasette_get, table) == len(frame) > 0, table
        for column in list_fields(table):
            items = sum(len(items) for items in frame[column])
            assert table_count(datasette_get, sqlite.link_table_name(table, column)) == items > 0, column


def test_full_text_search_finds_a_recommendation_that_has_the_word_only_in_another_form(datasette_get, built):
    recs = pd.read_parquet(built / "recommendations.parquet")
    words = {row.id: set(re.findall(r"\w+", row.full_text.lower())) for row in recs.itertuples()}
    known = sorted(rid for rid, found in words.items() if "мигрантам" in found and "мигрант" not in found)
    assert known
    result = api(datasette_get, "/recommendations.json", _search="мигрант", _shape="objects", _size="max", _col="id")
    ids = {row["id"] for row in result["rows"]}
    assert set(known) <= ids
    assert result["filtered_table_rows_count"] == len(ids) < len(recs)


def test_facets_from_the_schema_are_shown_with_their_counts(datasette_get, built):
    recs = pd.read_parquet(built / "recommendations.parquet")
    result = api(datasette_get, "/recommendations.json", _size="0")
    expected = [f["array"] if isinstance(f, dict) else f for f in facets(table_schema("recommendations"))]
    assert list(result["facet_results"]) == expected
    for column in ("meeting", "addressee"):
        counts = {item["value"]: item["count"] for item in result["facet_results"][column]["results"]}
        assert counts == recs[column].value_counts().to_dict(), column
    cites = {item["value"]: item["count"] for item in result["facet_results"]["cites"]["results"]}
    assert cites == recs["cites"].explode().dropna().value_counts().to_dict()


def test_canned_queries_answer(datasette_get, built):
    recs = pd.read_parquet(built / "recommendations.parquet")
    found = api(datasette_get, "/search_fts5.json", query="мигрант*", _shape="objects")["rows"]
    assert {row["id"] for row in found} == {r.id for r in recs.itertuples() if "мигрант" in r.full_text.lower()}
    found = api(datasette_get, "/search.json", query="мигрантами", _shape="objects", _size="max")["rows"]
    assert {row["id"] for row in found} == {r.id for r in recs.itertuples() if matches(r.text, "мигрантами")}
    cited = api(datasette_get, "/cited_provisions.json", _shape="objects")["rows"]
    assert sum(row["recommendations"] for row in cited) == sum(len(items) for items in recs["cites"])
    firm = api(datasette_get, "/firm_recommendations_to.json", addressee="secretariat", strength="5", _shape="objects")
    expected = recs[(recs["addressee"] == "secretariat") & (recs["strength"] >= 5)]["id"].tolist()
    assert [row["id"] for row in firm["rows"]] == expected and expected
    assert set(QUERIES) == {"search", "search_fts5", "cited_provisions", "firm_recommendations_to"}


def test_sql_that_writes_is_refused_and_the_file_is_untouched(datasette_get, built):
    before = sha256(built / sqlite.filename())
    refused = datasette_get(f"/{DATABASE}.json", sql="DELETE FROM meetings")
    assert refused.status_code == 400 and "Statement must be a SELECT" in refused.text
    assert table_count(datasette_get, "meetings") == len(pd.read_parquet(built / "meetings.parquet"))
    assert sha256(built / sqlite.filename()) == before


def test_the_documented_limits_stop_a_query_that_runs_too_long(datasette_get):
    endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
    started = time.monotonic()
    stopped = datasette_get(f"/{DATABASE}.json", sql=endless)
    assert stopped.status_code == 400 and "took too long" in stopped.text
    assert time.monotonic() - started < 20


def test_served_metadata_describes_the_package_and_every_column(datasette_get, built):
    served = datasette_get("/-/metadata.json").json()
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    assert served["title"] == descriptor["title"]
    assert all(lic["title"] in served["license"] for lic in descriptor["licenses"])
    assert descriptor["sources"][0]["title"] in served["source"]
    tables = served["databases"][DATABASE]["tables"]
    db = sqlite3.connect(f"{(built / sqlite.filename()).as_uri()}?mode=ro", uri=True)
    shown = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND "
                                          "name NOT LIKE '%_fts%'")]
    for name in shown:
        columns = [row[1] for row in db.execute(f"PRAGMA table_xinfo([{name}])")]
        assert tables[name]["description"] and set(tables[name]["columns"]) == set(columns), name
        assert all(tables[name]["columns"].values()), name
    db.close()


@pytest.mark.slow
def test_table_page_in_a_browser_shows_the_search_result_and_the_facets(server, driver):  # noqa: F811
    from selenium.webdriver.common.by import By

    expected = get_json(server, "/recommendations.json", _search="мигрант", _size="0")["filtered_table_rows_count"]
    driver.get(f"{server}/{DATABASE}/recommendations")
    box = driver.find_element(By.ID, "_search")
    box.send_keys("мигрант")
    box.submit()
    heading = driver.find_element(By.CSS_SELECTOR, "h3").text
    assert heading.startswith(f"{expected} rows where search matches") and "мигрант" in heading
    rows = driver.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert len(rows) == min(expected, 50)
    facet_names = [e.get_attribute("data-column") for e in driver.find_elements(By.CSS_SELECTOR, ".facet-info")]
    assert sorted(facet_names) == sorted(f["array"] if isinstance(f, dict) else f
                                         for f in facets(table_schema("recommendations")))
    assert "I · 2012" in driver.page_source  # meetings' labels through the foreign key
    assert "States parties" in driver.page_source and "Should" in driver.page_source  # codes' labels likewise


@pytest.mark.slow
@pytest.mark.parametrize("size", [(390, 844), (1280, 900)], ids=["390", "1280"])
def test_table_page_opens_on_the_search_box_and_the_rows(server, driver, size, tmp_path_factory):  # noqa: F811
    from selenium.webdriver.common.by import By

    driver.set_window_size(*size)
    try:
        driver.get(f"{server}/{DATABASE}/recommendations")
        screenshot(driver, tmp_path_factory, f"datasette-{size[0]}.png")
        assert viewport_box(driver, driver.find_element(By.ID, "_search"))["inside"], "search box below the fold"
        first_row = driver.find_element(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
        assert viewport_box(driver, first_row)["top"] < size[1], "rows below the fold"
        assert first_row.find_element(By.CSS_SELECTOR, "td.col-id").text == "1.1"
        descriptions = driver.find_element(By.CSS_SELECTOR, "dl.column-descriptions")
        assert descriptions.location["y"] > first_row.location["y"]
        driver.get(f"{server}/{DATABASE}")
        listed = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "div.db-table h3 a")]
        assert set(TABLES) <= set(listed) and not [name for name in listed if name.startswith("recommendation_")]
        screenshot(driver, tmp_path_factory, f"datasette-home-{size[0]}.png")
    finally:
        driver.set_window_size(*WINDOW_SIZE)


# --- bad input -------------------------------------------------------------------------------------------------


def run_serve(package: Path, port: int, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(serve_command(package, port, *extra), cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=120, start_new_session=True)


@pytest.fixture
def package(built, tmp_path) -> Path:
    target = tmp_path / "package"
    shutil.copytree(built, target)
    return target


@pytest.mark.slow
def test_a_taken_port_is_refused_in_one_line(built):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_serve(built, port)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: 127.0.0.1:{port}: expected a free port, found it taken by another program; choose another with "
        "PORT=…"]


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["missing", "altered"])
def test_a_missing_or_altered_database_is_refused_in_one_line_without_a_source(package, damage):
    path = package / sqlite.filename()
    if damage == "missing":
        path.unlink()
        expected = "expected the database listed in datapackage.json, found no such file"
    else:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
        expected = (r"expected the sha256 recorded in datapackage.json \(\w+…\), found \w+…: "
                    r"the file is damaged or stale")
    result = run_serve(package, free_port())
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert re.fullmatch(rf"error: {re.escape(str(path))}: {expected}; rebuild it with `python -m "
                        rf"pipeline build --out {re.escape(str(package))}` or run `make serve`", line)


@pytest.mark.slow
def test_serve_rebuilds_an_altered_database_from_the_source_and_serves_it_with_the_documented_limits(package, built):
    path = package / sqlite.filename()
    path.write_bytes(path.read_bytes()[:4096])
    with running_server(package, "--source", str(DEFAULT_SOURCE)) as (base, _, log):
        served = get_json(base, "/recommendations.json", _size="0")["filtered_table_rows_count"]
        assert served == len(pd.read_parquet(built / "recommendations.parquet"))
        with urllib.request.urlopen(f"{base}/-/settings.json", timeout=30) as response:
            settings = json.load(response)
        assert {name: settings[name] for name in SETTINGS} == SETTINGS
        log.seek(0)
        assert f"rebuilding {package} from {DEFAULT_SOURCE}" in log.read().decode()
    assert path.read_bytes() == (built / sqlite.filename()).read_bytes()


def test_without_datasette_serve_says_how_to_install_it(built, monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(PipelineError, match=r"expected Datasette, the optional extra `serve`, found it not installed"):
        serve(built, free_port())


@pytest.mark.slow
def test_no_process_is_left_behind_when_a_test_fails_inside(built):
    with pytest.raises(AssertionError, match="a failing check"):
        with running_server(built) as (_, process, _):
            group = process.pid
            assert group_alive(group)
            raise AssertionError("a failing check")
    assert not group_alive(group)


# --- metadata from the schemas ---------------------------------------------------------------------------------


def test_facets_come_from_the_schema_so_a_new_list_or_enum_column_gets_one():
    schema = table_schema("recommendations")
    added = {**schema, "fields": schema["fields"] + [
        {"name": "themes", "type": "array", "arrayItem": {"type": "string"}},
        {"name": "tone", "type": "string", "constraints": {"enum": ["a", "b"]}},
        {"name": "note", "type": "string"}]}
    assert facets(added) == facets(schema) + [{"array": "themes"}, "tone"]
    assert "meeting" in facets(schema) and "text" not in facets(schema)


def test_metadata_is_generated_for_the_package_in_any_folder(built):
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    tables = metadata(descriptor, built / sqlite.filename())["databases"][DATABASE]["tables"]
    assert tables["recommendations"]["sort"] == "seq" and "sort" not in tables["meetings"]
    assert all(tables[sqlite.link_table_name("recommendations", c)]["hidden"] for c in list_fields("recommendations"))
    assert not any(tables[table].get("hidden") for table in TABLES)
    assert set(tables) >= set(TABLES) | set(sqlite.VIEWS)
