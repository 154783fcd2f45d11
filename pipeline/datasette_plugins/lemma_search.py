"""Datasette plugin of `make serve`: search by dictionary form, as the browse page searches.

The table page's search box (`?_search=`) of a table with a full-text index `<table>_fts` is read word by word, each
word as its dictionary form (pipeline.search), and matched against the lemmas of the unit's own text. Canned queries
call the same reading as the SQL function russian_query(text), which gives the FTS5 query.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.filters import FilterArguments

from pipeline.search import fts_query


def russian_query(text):
    # A query without words matches nothing (an FTS5 query that names no lemma).
    return fts_query(text or "") or '"\u0000"'


@hookimpl
def prepare_connection(conn):
    conn.create_function("russian_query", 1, russian_query, deterministic=True)


@hookimpl(trylast=True)  # after Datasette's own search filter, so that its "no search here" gives way to this
def filters_from_request(request, database, table, datasette):
    async def inner():
        db = datasette.get_database(database)
        fts = f"{table}_fts"
        if not await db.table_exists(fts):
            return None
        query = request.args.get("_search", "").strip()
        context = {"supports_search": True, "search": query}
        if not query:
            return FilterArguments([], extra_context=context)
        return FilterArguments(
            [f"rowid IN (SELECT rowid FROM [{fts}] WHERE [{fts}] MATCH russian_query(:search_lemmas))"],
            params={"search_lemmas": query},
            human_descriptions=[f'search matches "{query}"'],
            extra_context=context,
        )

    return inner
