"""`make serve`: Datasette over the published SQLite database, read-only, with metadata made from the package.

The metadata (title, source, licences, every table's and column's description, facets, full-text search and canned
queries) is generated from datapackage.json and the Table Schemas each time, into a temporary folder. The database
is opened immutable (`-i`): Datasette never writes to it and runs only read-only SQL. Before starting, the database
is checked against the sha256 that datapackage.json records; a missing or altered file is rebuilt from the source
when one is given, and refused otherwise, so a stale copy is never served.
"""

from __future__ import annotations

import contextlib
import errno
import importlib.util
import json
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline import DEFAULT_PORT
from pipeline.errors import CheckError, PipelineError
from pipeline.guards import sha256_file
from pipeline.package import DESCRIPTOR, Package
from pipeline.publish.formats import sqlite
from pipeline.schema import TABLES, list_fields, table_schema

HOST = "127.0.0.1"
PLUGINS = Path(__file__).parent / "datasette_plugins"
# Table pages open on the rows: the column descriptions, which Datasette puts above them, go below them.
STYLE = """body.table section.content { display: flex; flex-direction: column; }
body.table section.content > * { order: 0; }
body.table section.content > dl.column-descriptions { order: 1; margin-top: 2em; }
"""
STYLE_URL = "/assets/serve.css"
# Datasette's limits, so that one visitor's query cannot hold the server: each SQL query (researchers may write
# their own, read-only) stops after a second, returns at most 1,000 rows a page, each facet gets 200 ms, and a CSV
# export stops at 10 MB.
SETTINGS = {
    "default_page_size": 50,
    "sql_time_limit_ms": 1000,
    "max_returned_rows": 1000,
    "facet_time_limit_ms": 200,
    "max_csv_mb": 10,
    "num_sql_threads": 3,
}
COUNT_DESCRIPTION = "Number of recommendations (chapeaus not counted)."
POSITION_DESCRIPTION = "Position of the item in the list, counting from 1."
# Read-only canned queries: Datasette shows each as a page with a form for its :parameters.
QUERIES = {
    "search": {
        "title": "Search the recommendations by dictionary form, best matches first",
        "description": "Russian words, each read as its dictionary form, as the table's search box and the browse "
                       "page read them: «прав мигрантов» finds the units whose own text has a form of право and of "
                       "мигрант, best matches first.",
        "sql": "SELECT r.id, m.roman || ' · ' || m.year AS meeting, k.label AS kind, a.label AS addressee,\n"
               "  o.label AS modality, r.strength, r.text\n"
               "FROM recommendations_fts AS f JOIN recommendations AS r ON r.rowid = f.rowid\n"
               "JOIN meetings AS m ON m.meeting = r.meeting JOIN codes_kind AS k ON k.code = r.kind\n"
               "JOIN codes_addressee AS a ON a.code = r.addressee JOIN codes_modality AS o ON o.code = r.modality\n"
               "WHERE recommendations_fts MATCH russian_query(:query)\nORDER BY f.rank",
    },
    "search_fts5": {
        "title": "Search the recommendations (FTS5 syntax)",
        "description": "Full-text search with SQLite's FTS5 syntax, best matches first: мигрант finds every form "
                       "of the word (мигрантов, мигрантам) through the lemma columns; мигрант* matches words that "
                       "start with мигрант; OR, NOT, \"exact phrases\" and column filters such as text: or "
                       "text_lemmas: work too.",
        "sql": "SELECT r.id, r.meeting, r.kind, r.addressee, r.modality, r.strength, r.text\n"
               "FROM recommendations_fts AS f JOIN recommendations AS r ON r.rowid = f.rowid\n"
               "WHERE recommendations_fts MATCH :query\nORDER BY f.rank",
    },
    "cited_provisions": {
        "title": "Provisions cited, most cited first",
        "description": "Every provision or instrument that recommendations cite, with how many cite it and which.",
        "sql": "SELECT cite, count(*) AS recommendations, group_concat(id, ', ') AS ids\n"
               "FROM (SELECT cite, id FROM recommendation_cites ORDER BY id)\n"
               "GROUP BY cite ORDER BY recommendations DESC, cite",
    },
    "firm_recommendations_to": {
        "title": "Recommendations to an addressee at a strength or firmer",
        "description": "The recommendations to one addressee (such as states_parties or secretariat) worded at "
                       "least as firmly as the given strength (1 to 5), in document order.",
        "sql": "SELECT id, meeting, modality, strength, text FROM recommendations\n"
               "WHERE addressee = :addressee AND strength >= CAST(:strength AS INTEGER)\nORDER BY seq",
    },
}


def metadata(descriptor: dict, database: Path) -> dict:
    """Datasette metadata for `database`, from the package descriptor and the Table Schemas."""
    licences = descriptor["licenses"]
    source = descriptor["sources"][0]
    return {
        "title": descriptor["title"],
        "description": descriptor["description"],
        "license": "; ".join(lic["title"] for lic in licences),
        "license_url": licences[0]["path"],
        "source": f"«{source['title']}»" + (f", {source['date']}" if source.get("date") else ""),
        "databases": {Path(sqlite.filename()).stem: {
            "description": next(r["description"] for r in descriptor["resources"] if r["format"] == sqlite.FORMAT),
            "tables": {**table_metadata(), **link_table_metadata(), **label_table_metadata(),
                       **view_metadata(database)},
            "queries": QUERIES,
        }},
        "extra_css_urls": [STYLE_URL],
    }


def table_metadata() -> dict:
    """Each table: its description, every column's (and those the database adds), its facets, its order (document
    order where it has `seq`) and its label column. A table with the searched columns is searched by dictionary form
    through the lemma_search plugin, so Datasette's own search (which would match the words as written) is not
    configured."""
    tables = {}
    for table in TABLES:
        schema = table_schema(table)
        entry = {"description": schema["description"], "columns": _descriptions(schema)}
        if table in sqlite.DISPLAY_LABELS:
            column, _ = sqlite.DISPLAY_LABELS[table]
            entry["columns"][column] = sqlite.DISPLAY_LABEL_DESCRIPTION
            entry["label_column"] = column
        if table_facets := facets(schema):
            entry["facets"] = table_facets
        if "seq" in entry["columns"]:
            entry["sort"] = "seq"
        tables[table] = entry
    return tables


def label_table_metadata() -> dict:
    """Each table of the codes of one coded column: hidden from the listing (the codes table lists them all), with
    its label column for Datasette to show beside the codes."""
    return {sqlite.label_table_name(column): {
        "description": f"The codes of {column} with their labels, from the codes table.",
        "columns": {"code": f"A code of {column}.", "label": "Its label in English words.",
                    "definition": "What it means."},
        "label_column": "label",
        "hidden": True,
    } for column in sqlite.label_table_fields()}


def facets(schema: dict) -> list:
    """Facets from a Table Schema: every foreign-key column, every column with an enum, every list column."""
    keys = {name for fk in schema.get("foreignKeys", []) for name in fk["fields"]}
    out: list = []
    for spec in schema["fields"]:
        if spec["type"] == "array":
            out.append({"array": spec["name"]})
        elif spec["name"] in keys or "enum" in spec.get("constraints", {}):
            out.append(spec["name"])
    return out


def link_table_metadata() -> dict:
    """Each link table: what it lists, and its key, position and item columns."""
    tables = {}
    for table in TABLES:
        schema = table_schema(table)
        described = _descriptions(schema)
        for column in list_fields(table):
            keys = {key: f"{described[key]} (the row of {table} that lists the item)" for key in schema["primaryKey"]}
            tables[sqlite.link_table_name(table, column)] = {
                "hidden": True,
                "description": f"One row per item of the list column {column} of {table}.",
                "columns": {**keys, "position": POSITION_DESCRIPTION,
                            sqlite.link_item_name(column): f"One item of {column}: {described[column]}"},
            }
    return tables


def view_metadata(database: Path) -> dict:
    """Each view: its description, and each of its columns described as the table column it shows."""
    described = {name: text for table in reversed(TABLES) for name, text in _descriptions(table_schema(table)).items()}
    described["recommendations"] = COUNT_DESCRIPTION
    with contextlib.closing(sqlite3.connect(f"{database.resolve().as_uri()}?immutable=1", uri=True)) as db:
        columns = {name: [row[1] for row in db.execute(f"PRAGMA table_info([{name}])")] for name in sqlite.VIEWS}
    return {name: {"description": text, "columns": {c: described[c] for c in columns[name]}}
            for name, (text, _) in sqlite.VIEWS.items()}


def _descriptions(schema: dict) -> dict[str, str]:
    return {spec["name"]: spec["description"] for spec in schema["fields"]}


def check_port(port: int, host: str = HOST) -> None:
    """Refuse a port that another program is listening on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                message = "expected a free port, found it taken by another program; choose another with PORT=…"
            else:
                message = f"expected a port to listen on, found: {exc.strerror}"
            raise PipelineError(f"{host}:{port}", message) from None


def check_database(package: Path) -> Path:
    """The package's database, after checking it against the sha256 recorded in datapackage.json."""
    try:
        opened = Package.open_folder(package)
        resource = opened.resource_of_format(sqlite.FORMAT)
    except CheckError:
        raise CheckError(package / DESCRIPTOR, f"expected a {DESCRIPTOR} that lists the SQLite database, found "
                                               f"none") from None
    path = package / resource["path"]
    if not path.is_file():
        raise CheckError(path, f"expected the database listed in {DESCRIPTOR}, found no such file")
    found = f"sha256:{sha256_file(opened.path(resource['path']), what='the database')[1]}"
    if found != resource.get("hash"):
        raise CheckError(path, f"expected the sha256 recorded in {DESCRIPTOR} ({str(resource.get('hash'))[7:19]}…), "
                               f"found {found[7:19]}…: the file is damaged or stale")
    return path


def ready_database(package: Path, source: Path | None) -> Path:
    """The checked database; a missing or altered one is rebuilt from `source`, said on stderr, when given."""
    try:
        return check_database(package)
    except CheckError as problem:
        if source is None:
            raise CheckError(problem.path, f"{problem.message}; rebuild it with `python -m pipeline build --out "
                                           f"{package}` or run `make serve`") from None
        print(f"serve: {problem}; rebuilding {package} from {source}", file=sys.stderr)
    from pipeline.build import build

    build(source, package, log=lambda line: print(line, file=sys.stderr))
    return check_database(package)


def datasette_command(database: Path, metadata_path: Path, port: int) -> list[str]:
    """Datasette on `database`, read-only, with the metadata, the stylesheet beside it, the search plugin and the
    limits in SETTINGS."""
    settings = [word for name, value in SETTINGS.items() for word in ("--setting", name, str(value))]
    return [sys.executable, "-m", "datasette", "serve", "-i", str(database), "--metadata", str(metadata_path),
            "--static", f"assets:{metadata_path.parent}", "--plugins-dir", str(PLUGINS),
            "--host", HOST, "--port", str(port), *settings]


def write_settings(folder: Path, descriptor: dict, database: Path) -> Path:
    """Write metadata.json and the stylesheet into `folder`; return the metadata's path."""
    metadata_path = folder / "metadata.json"
    metadata_path.write_text(json.dumps(metadata(descriptor, database), ensure_ascii=False, indent=2),
                             encoding="utf-8")
    (folder / STYLE_URL.rsplit("/", 1)[1]).write_text(STYLE, encoding="utf-8")
    return metadata_path


def serve(package: Path, port: int = DEFAULT_PORT, source: Path | None = None) -> int:
    """Check everything, then run Datasette until it stops; return its exit code."""
    if importlib.util.find_spec("datasette") is None:
        raise PipelineError("datasette", "expected Datasette, the optional extra `serve`, found it not installed: "
                                         "pip install -r requirements.lock (make venv)")
    check_port(port)
    package = Path(package)
    database = ready_database(package, source)
    descriptor = Package.open_folder(package).descriptor
    with tempfile.TemporaryDirectory(prefix="datasette-") as tmp:
        return _run(datasette_command(database, write_settings(Path(tmp), descriptor, database), port))


def _run(command: list[str]) -> int:
    """Run `command` to its end, passing on SIGTERM and SIGHUP; return its exit status as a shell reports it."""
    child = subprocess.Popen(command)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda signum, frame: child.send_signal(signum))
    while True:
        try:
            code = child.wait()
            return 128 - code if code < 0 else code
        except KeyboardInterrupt:  # the terminal sent SIGINT to Datasette too; let it finish
            continue
