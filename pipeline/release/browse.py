"""The browse page of a release: one self-contained HTML file (inline CSS and JavaScript, the rows embedded as JSON)
that lists the recommendations with full-text search, filters and a permalink per recommendation.

Filters come from the schema: every column of FILTER_COLUMNS that the recommendations schema has becomes a group of
toggle buttons, with its enum values as options (for a list column, the enum of its items), or, for a column
without an enum such as `meeting`, the values found in the data; a list column matches when any of its items is
selected. Each option shows human words, with its code (and what it means) in its tooltip: the label and the
definition of the code in the package's codes table (the rows whose `field` is the column), which the build makes
from rules/ (pipeline/codes.py); failing that, the code with its underscores read as spaces. A column added later
gets its filter and its labels from data alone: its name here, its column in the schema and its rows in the codes
table.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections import Counter
from pathlib import Path

from pipeline.counts import units_sentence
from pipeline.package import Package

FILENAME = "index.html"
TEMPLATE = Path(__file__).parent / "templates" / "browse.html"
# Columns that get a filter when the schema has them, in this order, with their names on the page.
FILTER_COLUMNS = {"meeting": "Meeting", "kind": "Kind", "addressee": "Addressee", "modality": "Modality",
                  "themes": "Theme"}
# The files the page offers for download, in this order: (file name, link text); {name} is the package's name.
DOWNLOADS = (
    ("recommendations.csv", "CSV"),
    ("recommendations.json", "JSON"),
    ("recommendations.parquet", "Parquet"),
    ("{name}.xlsx", "Excel"),
    ("{name}.sqlite", "SQLite"),
    ("datapackage.json", "datapackage.json"),
    ("README.md", "README.md"),
)
# Columns every row carries on the page, besides its filter columns.
ROW_COLUMNS = ("id", "meeting", "number", "sub_letter", "kind", "text")
_TOKEN = re.compile(r"\{\{([A-Z]+)\}\}")


def page_filters(schema: dict, rows: list[dict], meetings: list[dict], columns: dict[str, str] = FILTER_COLUMNS,
                 labels: dict[str, dict[str, tuple[str, str]]] | None = None) -> list[dict]:
    """The filter groups of the page: one per column of `columns` present in `schema`, with its options.

    `labels` maps a column to {code: (label, definition)}; by default, those of pipeline/codes.py."""
    labels = column_labels() if labels is None else labels
    fields = {spec["name"]: spec for spec in schema["fields"]}
    meeting_info = {m["meeting"]: m for m in meetings}
    groups = []
    for column, name in columns.items():
        if column not in fields:
            continue
        found = Counter(str(v) for row in rows for v in _values(row.get(column)))
        values = enum_of(fields[column])
        if values is None:  # no enum (as for `meeting`): the values found in the data, in order
            values = sorted({v for row in rows for v in _values(row.get(column))}, key=lambda v: (str(type(v)), v))
        options = []
        for value in values:
            if column == "meeting" and value in meeting_info:
                label, title = meeting_label(meeting_info[value])
            else:
                label, title = option_label(str(value), labels.get(column, {}))
            options.append({"value": value, "label": label, "title": title, "count": found.get(str(value), 0)})
        groups.append({"column": column, "label": name, "options": options})
    return groups


def enum_of(spec: dict) -> list | None:
    """The values a field may take when its schema lists them: its enum, or for a list field its items' enum."""
    if spec.get("type") == "array":
        spec = spec.get("arrayItem", {})
    return spec.get("constraints", {}).get("enum")


def option_label(code: str, vocabulary: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """Human words for a code and its tooltip: the short label and "code: meaning" from the vocabulary; failing
    that, the code with underscores as spaces and a capital letter, and the code itself."""
    if code in vocabulary:
        short, meaning = vocabulary[code]
        return short, f"{code}: {meaning}" if meaning else code
    words = code.replace("_", " ")
    return words[:1].upper() + words[1:], code


def meeting_label(meeting: dict) -> tuple[str, str]:
    """A meeting as the page shows it ("I · 2012") and its tooltip (name, place and dates)."""
    return (f"{meeting['roman']} · {meeting['year']}",
            f"{meeting['roman']}. {meeting['name']}, {meeting['place']}, {meeting['meeting_start']} – "
            f"{meeting['meeting_end']}")


def column_labels(rows: list[dict] | None = None) -> dict[str, dict[str, tuple[str, str]]]:
    """{column: {code: (label, definition)}} from rows of the codes table; by default those that pipeline/codes.py
    makes from rules/."""
    if rows is None:
        from pipeline.codes import codes_rows
        from pipeline.rules import load_rules

        rows = codes_rows(load_rules())
    labels: dict[str, dict[str, tuple[str, str]]] = {}
    for row in rows:
        labels.setdefault(row["field"], {})[row["code"]] = (row["label"], row.get("definition") or "")
    return labels


def page_rows(schema: dict, rows: list[dict], columns: dict[str, str] = FILTER_COLUMNS) -> list[dict]:
    """The rows as the page embeds them: display columns, filter columns, the id of a subparagraph's chapeau, and
    the lemmas of the unit's own text that the search matches (space-separated, as pipeline.search reads them)."""
    from pipeline.search import text_lemmas

    names = {spec["name"] for spec in schema["fields"]}
    keep = [c for c in ROW_COLUMNS if c in names] + [c for c in columns if c in names and c not in ROW_COLUMNS]
    out = []
    for row in rows:
        item = {column: row.get(column) for column in keep}
        if row.get("kind") == "subparagraph":
            item["chapeau"] = row["id"].rsplit(".", 1)[0]
        item["lemmas"] = " ".join(text_lemmas(row.get("text") or ""))
        out.append(item)
    return out


def packed_forms(texts: list[str]) -> str:
    """The form → lemma map of pipeline.search.form_map, packed for the page: one entry per lemma, separated by ";",
    each "stem|rest of the lemma|rest of each form, separated by commas", the stem being what the lemma and all its
    forms begin with (words hold letters only, so the separators cannot occur in them)."""
    from pipeline.search import form_map

    by_lemma: dict[str, list[str]] = {}
    for form, lemma in form_map(texts).items():
        by_lemma.setdefault(lemma, []).append(form)
    entries = []
    for lemma, forms in sorted(by_lemma.items()):
        stem = os.path.commonprefix([lemma, *forms])
        entries.append(f"{stem}|{lemma[len(stem):]}|{','.join(sorted(form[len(stem):] for form in forms))}")
    return ";".join(entries)


def unpack_forms(packed: str) -> dict[str, str]:
    """The map that packed_forms packed, read back as the page reads it."""
    forms = {}
    for entry in filter(None, packed.split(";")):
        stem, rest, tails = entry.split("|")
        for tail in tails.split(","):
            forms[stem + tail] = stem + rest
    return forms


def render_page(schema: dict, rows: list[dict], meetings: list[dict], *, title: str, subtitle: str = "",
                footer: str = "", downloads: str = "", columns: dict[str, str] = FILTER_COLUMNS,
                labels: dict[str, dict[str, tuple[str, str]]] | None = None) -> str:
    """The whole page as a string. Text is escaped for HTML; the embedded JSON cannot close its script element."""
    data = {"filters": page_filters(schema, rows, meetings, columns, labels), "rows": page_rows(schema, rows, columns),
            "forms": packed_forms([row.get("text") or "" for row in rows]), "units": len(rows)}
    values = {
        "TITLE": html.escape(title),
        "SUBTITLE": subtitle,  # already HTML: built by the caller from escaped parts
        "FOOTER": footer,
        "DOWNLOADS": downloads,  # HTML list items, built by the caller from escaped parts
        "DATA": script_json(data),
    }
    return _TOKEN.sub(lambda match: values[match.group(1)], TEMPLATE.read_text(encoding="utf-8"))


def script_json(value) -> str:
    """JSON that is safe inside <script type="application/json">: no '<', '>' or '&' can end the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def write_page(package: Package, path: Path, *, version: str, released: str) -> None:
    """Write the browse page of `package` to `path`."""
    descriptor = package.descriptor
    # the JSON copy's schema: it declares list columns as arrays, with the enum of their items where they have one
    schema = package.resource("recommendations", "json")["schema"]
    rows = package.rows("recommendations")
    meetings = package.rows("meetings")
    labels = column_labels(package_codes(package))
    source = descriptor["sources"][0]
    e = html.escape
    subtitle = (f"Version {e(version)}, released {e(released)} · {e(units_sentence(row['kind'] for row in rows))} · "
                "<a href=\"#about\">source and licence</a>")
    downloads = "\n".join(f"    <li><a href=\"{e(name.format(name=descriptor['name']))}\">{e(text)}</a></li>"
                          for name, text in DOWNLOADS)
    footer = (
        f"The recommendations are those of the United Nations document «<span lang=\"ru\">{e(source['title'])}"
        f"</span>» ({e(source.get('date', ''))}), in its Russian text. The texts are reproduced under the "
        "<a href=\"https://www.un.org/en/about-us/terms-of-use\">United Nations terms of use</a>; what this project "
        "added is dedicated to the public domain under CC0 1.0. See <a href=\"LICENSE\">LICENSE</a> and "
        "<a href=\"README.md\">README.md</a>. This page works offline: everything it shows is inside this one file."
    )
    page = render_page(schema, rows, meetings, title=descriptor["title"], subtitle=subtitle, footer=footer,
                       downloads=downloads, labels=labels)
    path.write_text(page, encoding="utf-8")


def package_codes(package: Package) -> list[dict] | None:
    """The rows of the package's codes table (None when it has no such table)."""
    if package.find("codes", "json") is None:
        return None
    return package.rows("codes")


def _values(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
