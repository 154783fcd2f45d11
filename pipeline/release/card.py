"""The release's texts: data card (README.md), CITATION.cff, LICENSE and the citation line."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

from pipeline.counts import counted_sentence, units_sentence
from pipeline.package import resource_name
from pipeline.publish.datapackage import coverage, long_date
from pipeline.release.browse import page_filters
from pipeline.release.info import AUTHOR, PAGE, RELEASE_FILES, TEMPLATES, ReleaseInfo
from pipeline.schema import data_dictionary


def citation_text(info: ReleaseInfo, descriptor: dict) -> str:
    """One-paragraph citation of the release and the document it is derived from."""
    return (f"{AUTHOR} ({info.date.year}). {descriptor['title']} (dataset, version {info.version}, released "
            f"{info.date.isoformat()}). Derived from: {derived_from(descriptor)}.")


def derived_from(descriptor: dict) -> str:
    """The source document as a citation names it: issuing body, title and date."""
    source = descriptor["sources"][0]
    derived = f"«{source['title']}»"
    if source.get("issuing_body"):
        derived = f"United Nations, {source['issuing_body']}, {derived}"
    if source.get("date"):
        derived += f", {long_date(dt.date.fromisoformat(source['date']))}"
    return derived


def data_card(descriptor: dict, rows: dict[str, list[dict]], info: ReleaseInfo) -> str:
    """The README.md of the release."""
    first = ("README.md", PAGE)
    files = [(name, RELEASE_FILES[name]) for name in first]
    for resource in sorted(descriptor["resources"], key=lambda r: r["path"]):
        table = resource["path"].rsplit(".", 1)[0]
        files.append((resource["path"], f"{resource['title']}: {len(rows[table])} rows" if table in rows else
                      resource["title"]))
    files += [(name, what) for name, what in RELEASE_FILES.items() if name not in first]
    recs = rows["recommendations"]
    per_meeting = Counter(row["meeting"] for row in recs)
    meeting_counts = ", ".join(
        f"{m['roman']} ({m['year']}): {per_meeting[m['meeting']]}" for m in rows["meetings"]
    )
    row_text = (
        f"`recommendations` has one row per unit of the document, in document order: "
        f"{units_sentence(row['kind'] for row in recs)}; per meeting: {meeting_counts}. Counts of recommendations by "
        f"addressee, wording or theme count {counted_sentence(row['kind'] for row in recs)}. `meetings` has "
        f"{len(rows['meetings'])} rows, one per meeting. `themes` has {len(rows['themes'])} rows, one per theme of the "
        f"project's vocabulary. `codes` has {len(rows['codes'])} rows, one per code of `kind`, `addressee`, "
        f"`modality`, `themes` and `groups`, with its label and definition; the same labels are the `categories` of "
        f"those columns in `datapackage.json`."
    )
    page_note = ("- `page` is empty in this release: the source was a text file without page numbers.\n"
                 if all(row.get("page") is None for row in recs) else "")
    values = {
        "TITLE": descriptor["title"],
        "VERSION": info.version,
        "DATE": info.date.isoformat(),
        "FILTERS": _and([group["label"].lower() for group in page_filters(
            next(r["schema"] for r in descriptor["resources"] if r["name"] == resource_name("recommendations", "json")),
            recs, rows["meetings"])]),
        "DESCRIPTION": descriptor["description"],
        "FILES": "\n".join(f"| [`{name}`]({name}) | {what} |" for name, what in files),
        "ROWS": row_text,
        "DICTIONARY": data_dictionary().replace("### `", "#### `"),
        "SOURCE": _source_text(descriptor),
        "PAGENOTE": page_note,
        "COVERAGE": _coverage_text(rows["meetings"]),
        "LICENCE": "\n".join(f"- {lic['title']}: <{lic['path']}>" for lic in descriptor["licenses"]),
        "CITATION": "> " + citation_text(info, descriptor),
    }
    return _fill("datacard.md", values)


def citation_cff(descriptor: dict, info: ReleaseInfo) -> str:
    """CITATION.cff of the release; every string is written as a JSON string, which YAML reads as is."""
    source = descriptor["sources"][0]
    q = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731
    values = {
        "TITLE": q(descriptor["title"]),
        "VERSION": q(info.version),
        "DATE": q(info.date.isoformat()),
        "ABSTRACT": q(descriptor["description"]),
        "AUTHOR": q(AUTHOR),
        "KEYWORDS": "\n".join(f"  - {q(word)}" for word in descriptor.get("keywords", [])),
        "SOURCETITLE": q(source["title"]),
        "SOURCEAUTHOR": q("United Nations, " + source.get("issuing_body", "")),
        "SOURCEDATE": q(source.get("date", "")),
        "SOURCELANGUAGE": q(source.get("language", "ru")),
        "SOURCENOTES": q(" ".join(filter(None, [
            source.get("title_en") and f"English title: {source['title_en']}.",
            source.get("meeting") and f"Prepared for the {source['meeting'][0].lower()}{source['meeting'][1:]}.",
            source.get("note")]))),
    }
    return _fill("CITATION.cff", values)


def licence(descriptor: dict, info: ReleaseInfo) -> str:
    source = descriptor["sources"][0]
    parts = [f"«{source['title']}»"]
    if source.get("issuing_body"):
        parts.append(f"United Nations, {source['issuing_body']}")
    if source.get("date"):
        parts.append(long_date(dt.date.fromisoformat(source["date"])))
    return _fill("LICENSE.txt", {"NAME": info.name, "VERSION": info.version, "SOURCE": ", ".join(parts) + "."})


def _source_text(descriptor: dict) -> str:
    source = descriptor["sources"][0]
    document = descriptor.get("document", {})
    text = f"«{source['title']}»"
    if source.get("title_en"):
        text += f" ({source['title_en']})"
    if source.get("issuing_body"):
        text += f", United Nations, {source['issuing_body']}"
    if source.get("date"):
        text += f", dated {long_date(dt.date.fromisoformat(source['date']))}"
    text += "."
    if source.get("meeting"):
        text += f" Prepared for the {source['meeting'][0].lower()}{source['meeting'][1:]}."
    if document.get("language") and document.get("original_language"):
        text += f" Language: {document['language']}; original: {document['original_language']}."
    if source.get("note"):
        text += f" {source['note']}"
    text += f" The text file used (`{source['path']}`) has the hash `{source['hash']}`."
    return text


def _coverage_text(meetings: list[dict]) -> str:
    """'first five meetings (2012–2018)', from the meetings table."""
    words = coverage(len(meetings), [row["year"] for row in meetings])
    return f"{words['meetings']} ({words['years'].replace('-', '–')})"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _fill(template: str, values: dict[str, str]) -> str:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda match: values[match.group(1)], text)
