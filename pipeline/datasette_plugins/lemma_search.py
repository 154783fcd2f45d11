"""Datasette plugin of `make serve`: search by dictionary form, as the browse page searches.

The table page's search box (`?_search=`) of a table with a full-text index `<table>_fts` is read word by word, each
word as its dictionary form (pipeline.search), and matched against the lemmas of the unit's own text; the rows stay
in the table's order (document order), with their facets, and a link above them opens the same search as the canned
query `search`, best matches first. A small script on table pages folds the facets into one line above the rows and
shows the labels of the codes table for list columns of codes (Datasette labels single codes itself, through the
foreign keys to the tables of codes). Canned queries call the same reading as the SQL function russian_query(text),
which gives the FTS5 query.
"""

from __future__ import annotations

import json

from datasette import hookimpl
from datasette.filters import FilterArguments

from pipeline.search import fts_query


def russian_query(text):
    # A query without words matches nothing (an FTS5 query that names no lemma).
    return fts_query(text or "") or '"\u0000"'


@hookimpl
def prepare_connection(conn):
    conn.create_function("russian_query", 1, russian_query, deterministic=True)


# Table pages: the facets fold into one line above the rows (open when the page is filtered), list columns of codes
# show their labels in facets and cells (the codes in the tooltip), and a search links to the same search, best
# matches first (the canned query `search`). The words come from the database's codes table.
TABLE_SCRIPT = """
(function () {
  var labels = %(labels)s, searchUrl = %(search)s;
  var params = new URLSearchParams(location.search);
  Object.keys(labels).forEach(function (column) {
    var words = labels[column];
    document.querySelectorAll('.facet-info[data-column="' + column + '"] li > a:not(.cross)').forEach(function (a) {
      if (words[a.textContent]) { a.title = a.textContent; a.textContent = words[a.textContent]; }
    });
    document.querySelectorAll("td.col-" + column).forEach(function (td) {
      var codes;
      try { codes = JSON.parse(td.textContent); } catch (e) { return; }
      if (!Array.isArray(codes)) { return; }
      td.title = codes.join(", ");
      td.textContent = codes.map(function (c) { return words[c] || c; }).join("; ");
    });
  });
  var facets = document.querySelector(".facet-results");
  if (facets) {
    var box = document.createElement("details"), summary = document.createElement("summary");
    var names = Array.prototype.map.call(facets.querySelectorAll(".facet-info"), function (f) {
      return f.dataset.column;
    });
    summary.textContent = "Counts by " + names.join(", ");
    box.className = "facets";
    box.open = Array.from(params.keys()).some(function (k) { return k.charAt(0) !== "_"; });
    facets.parentNode.insertBefore(box, facets);
    box.appendChild(summary);
    box.appendChild(facets);
    var suggested = document.querySelector(".suggested-facets");
    if (suggested) { box.appendChild(suggested); }
  }
  var query = params.get("_search"), heading = document.querySelector("section.content h3");
  if (query && heading && searchUrl) {
    var link = document.createElement("a");
    link.href = searchUrl + "?query=" + encodeURIComponent(query);
    link.textContent = "Show the same search, best matches first";
    link.className = "ranked-search";
    var line = document.createElement("p");
    line.appendChild(link);
    heading.insertAdjacentElement("afterend", line);
  }
}());
"""


@hookimpl
def extra_body_script(template, database, table, datasette):
    if template != "table.html" or not table:
        return None

    async def inner():
        db = datasette.get_database(database)
        labels: dict[str, dict[str, str]] = {}
        if await db.table_exists("codes"):
            columns = set(await db.table_columns(table))
            for field, code, label in (await db.execute("SELECT field, code, label FROM codes")).rows:
                if field in columns:
                    labels.setdefault(field, {})[code] = label
        has_search = await db.table_exists(f"{table}_fts") and "search" in (
            datasette.metadata("queries", database=database) or {})
        search = datasette.urls.database(database) + "/search" if has_search else None
        return TABLE_SCRIPT % {"labels": json.dumps(labels, ensure_ascii=False), "search": json.dumps(search)}

    return inner


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
