"""The browse page of a release: one self-contained HTML file (inline CSS and JavaScript, the rows embedded as JSON)
that lists the recommendations with full-text search, filters and a permalink per recommendation.

Filters come from the schema: every column of FILTER_COLUMNS that the recommendations schema has becomes a group of
toggle buttons, with its enum values (or its list items' enum) as options (or, for a column without an enum such as
`meeting`, the values found in the data; a list column matches when any of its items is selected). Columns added
later (`addressee`, `modality`) get their filters without a change here. Every recommendation shows its values of
the filter columns as tags; a theme shows its name from the themes table.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

FILENAME = "index.html"
TEMPLATE = Path(__file__).parent / "templates" / "browse.html"
# Columns that get a filter when the schema has them, in this order, with their labels on the page.
FILTER_COLUMNS = {"meeting": "Meeting", "kind": "Kind", "addressee": "Addressee", "modality": "Modality",
                  "themes": "Theme"}
# Columns every row carries on the page, besides its filter columns.
ROW_COLUMNS = ("id", "meeting", "number", "sub_letter", "kind", "text")
_TOKEN = re.compile(r"\{\{([A-Z]+)\}\}")


def page_filters(schema: dict, rows: list[dict], meetings: list[dict],
                 columns: dict[str, str] = FILTER_COLUMNS, names: dict[str, dict] | None = None) -> list[dict]:
    """The filter groups of the page: one per column of `columns` present in `schema`, with its options.

    `names` gives display labels of a column's values ({"themes": {code: name}}); by default a value is its label.
    """
    fields = {spec["name"]: spec for spec in schema["fields"]}
    meeting_info = {m["meeting"]: m for m in meetings}
    groups = []
    for column, label in columns.items():
        spec = fields.get(column)
        if spec is None:
            continue
        found = Counter(str(v) for row in rows for v in _values(row.get(column)))
        enum = _enum(spec)
        if enum is not None:
            values = list(enum)
        else:  # no enum (as for `meeting`): the values found in the data, in order
            values = sorted({v for row in rows for v in _values(row.get(column))}, key=lambda v: (str(type(v)), v))
        options = []
        labels = {}
        for value in values:
            label = (names or {}).get(column, {}).get(value, str(value))
            option = {"value": value, "label": label, "count": found.get(str(value), 0)}
            if column == "meeting" and value in meeting_info:
                m = meeting_info[value]
                option["label"] = f"{m['roman']} · {m['year']}"
                option["title"] = (f"{m['roman']}. {m['name']}, {m['place']}, "
                                   f"{m['meeting_start']} – {m['meeting_end']}")
            labels[str(value)] = option["label"]
            options.append(option)
        groups.append({"column": column, "label": label, "options": options, "labels": labels})
    return groups


def page_rows(schema: dict, rows: list[dict], columns: dict[str, str] = FILTER_COLUMNS) -> list[dict]:
    """The rows as the page embeds them: display columns, filter columns, and the id of a subparagraph's chapeau."""
    names = {spec["name"] for spec in schema["fields"]}
    keep = [c for c in ROW_COLUMNS if c in names] + [c for c in columns if c in names and c not in ROW_COLUMNS]
    out = []
    for row in rows:
        item = {column: row.get(column) for column in keep}
        if row.get("kind") == "subparagraph":
            item["chapeau"] = row["id"].rsplit(".", 1)[0]
        out.append(item)
    return out


def render_page(schema: dict, rows: list[dict], meetings: list[dict], *, title: str, subtitle: str = "",
                footer: str = "", columns: dict[str, str] = FILTER_COLUMNS,
                names: dict[str, dict] | None = None) -> str:
    """The whole page as a string. Text is escaped for HTML; the embedded JSON cannot close its script element."""
    data = {"filters": page_filters(schema, rows, meetings, columns, names), "rows": page_rows(schema, rows, columns)}
    values = {
        "TITLE": html.escape(title),
        "SUBTITLE": subtitle,  # already HTML: built by the caller from escaped parts
        "FOOTER": footer,
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


def write_page(package_dir: Path, path: Path, *, version: str, released: str) -> None:
    """Write the browse page of the package in `package_dir` to `path`."""
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    # The JSON copy's schema: its list columns are declared as arrays, with their items' enum.
    schema = next(r["schema"] for r in descriptor["resources"] if r["name"] == "recommendations-json")
    rows = json.loads((package_dir / "recommendations.json").read_text(encoding="utf-8"))
    meetings = json.loads((package_dir / "meetings.json").read_text(encoding="utf-8"))
    names = {"themes": theme_names(package_dir)}
    source = descriptor["sources"][0]
    e = html.escape
    subtitle = (
        f"Version {e(version)}, released {e(released)}. {len(rows)} recommendations from «"
        f"<span lang=\"ru\">{e(source['title'])}</span>» ({e(source.get('date', ''))}). "
        f"Data: <a href=\"recommendations.csv\">CSV</a>, <a href=\"recommendations.json\">JSON</a>, "
        f"<a href=\"recommendations.parquet\">Parquet</a>, <a href=\"{e(descriptor['name'])}.xlsx\">spreadsheet "
        f"(Excel)</a>, <a href=\"{e(descriptor['name'])}.sqlite\">SQLite</a>, "
        f"<a href=\"datapackage.json\">datapackage.json</a>; "
        f"about it: <a href=\"README.md\">README.md</a>."
    )
    footer = (
        "The recommendation texts are a United Nations document, reproduced under the "
        "<a href=\"https://www.un.org/en/about-us/terms-of-use\">United Nations terms of use</a>; "
        "what this project added is dedicated to the public domain under CC0 1.0. See <a href=\"LICENSE\">LICENSE</a>. "
        "This page works offline: everything it shows is inside this one file."
    )
    page = render_page(schema, rows, meetings, title=descriptor["title"], subtitle=subtitle, footer=footer,
                       names=names)
    path.write_text(page, encoding="utf-8")


def theme_names(package_dir: Path) -> dict[str, str]:
    """Theme code → English name, from the package's themes table (none when the package has no such table)."""
    path = package_dir / "themes.json"
    if not path.exists():
        return {}
    return {row["code"]: row["name"] for row in json.loads(path.read_text(encoding="utf-8"))}


def _enum(spec: dict) -> list | None:
    """The values a column can take: its enum, or for a list column its items' enum."""
    if spec.get("type") == "array":
        return spec.get("arrayItem", {}).get("constraints", {}).get("enum")
    return spec.get("constraints", {}).get("enum")


def _values(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
