"""Releases: `dist/<name>-<version>/` and its zip, built from a published package.

A release holds the data files and `datapackage.json` as published, a data card (README.md), CITATION.cff, the
changelog, a licence statement, the browse page, the figure, and SHA256SUMS over every other file. The version is
"version" in schemas/package.json; its release date is the date of its heading in CHANGELOG.md. Building the same
version twice gives the same bytes, zip included: files in name order, the release date as every entry's time,
fixed permissions, fixed compression.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline import PROJECT_ROOT
from pipeline.browse import FILENAME as PAGE
from pipeline.browse import page_filters, write_page
from pipeline.errors import CheckError
from pipeline.figure import FILENAME as FIGURE
from pipeline.figure import render_figure
from pipeline.schema import (
    LIST_DELIMITER,
    TABLES,
    data_dictionary,
    list_fields,
    package_metadata,
    resource_schema,
    table_schema,
)
from pipeline.validate import validate_package

CHANGELOG = PROJECT_ROOT / "CHANGELOG.md"
PACKAGE_METADATA = "schemas/package.json"
TEMPLATES = Path(__file__).parent / "templates"
CHECKSUMS = "SHA256SUMS"
AUTHOR = "Contributors to wg-som-recommendations"
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
CHANGELOG_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[ \t]*$", re.M)
ZIP_FILE_MODE = stat.S_IFREG | 0o644
ZIP_DIR_MODE = stat.S_IFDIR | 0o755
ZIP_UNIX = 3  # "made by" system: Unix, whatever system builds the zip
ZIP_COMPRESSLEVEL = 9
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
# Files of a release besides the package's own (datapackage.json and the data files it lists).
RELEASE_FILES = {
    "README.md": "this data card",
    PAGE: "browse page: search, filters and a permalink per recommendation; opens from disk, no network needed",
    FIGURE: "rows per meeting, split by kind, drawn from the data",
    "datapackage.json": "Frictionless Data Package: every file's schema, size and sha256",
    "CITATION.cff": "how to cite this release (Citation File Format)",
    "CHANGELOG.md": "what changed in each version",
    "LICENSE": "terms of use: United Nations material, and this project's additions under CC0 1.0",
    CHECKSUMS: "sha256 of every other file (`sha256sum -c SHA256SUMS`)",
}


@dataclass(frozen=True)
class ReleaseInfo:
    name: str
    version: str
    date: dt.date

    @property
    def folder_name(self) -> str:
        return f"{self.name}-{self.version}"


def release_info(changelog: Path = CHANGELOG) -> ReleaseInfo:
    """The release to build: name and version from schemas/package.json, date from the changelog."""
    meta = package_metadata()
    version = meta["version"]
    if not SEMVER.fullmatch(version):
        raise CheckError(PACKAGE_METADATA, f"expected a version MAJOR.MINOR.PATCH, found {version!r}")
    return ReleaseInfo(meta["name"], version, changelog_date(changelog.read_text(encoding="utf-8"), version, changelog))


def changelog_date(text: str, version: str, where: Path | str = "CHANGELOG.md") -> dt.date:
    """The date of `version`'s heading ("## [1.0.0] - 2026-11-28") in a Keep a Changelog text."""
    for match in CHANGELOG_HEADING.finditer(text):
        if match.group("version") == version:
            try:
                return dt.date.fromisoformat(match.group("date"))
            except ValueError:
                raise CheckError(where, f"expected a real date for version {version}, found {match.group('date')}",
                                 line=text.count("\n", 0, match.start()) + 1) from None
    raise CheckError(where, f"expected a heading '## [{version}] - YYYY-MM-DD' for the version in "
                            f"{PACKAGE_METADATA}, found none: record the release in the changelog first")


def long_date(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def citation_text(info: ReleaseInfo, descriptor: dict) -> str:
    """One-paragraph citation of the release and the document it is derived from."""
    source = descriptor["sources"][0]
    derived = f"«{source['title']}»"
    if source.get("issuing_body"):
        derived = f"United Nations, {source['issuing_body']}, {derived}"
    if source.get("date"):
        derived += f", {long_date(dt.date.fromisoformat(source['date']))}"
    return (f"{AUTHOR} ({info.date.year}). {descriptor['title']} (dataset, version {info.version}, released "
            f"{info.date.isoformat()}). Derived from: {derived}.")


# ---------------------------------------------------------------------------------------------------------------
# Building


def build_release(package_dir: Path, dist_dir: Path, info: ReleaseInfo | None = None) -> Path:
    """Build `dist_dir/<name>-<version>/` and its zip from the package in `package_dir`; return the zip's path.

    The package must be valid and current (its version and schemas those of schemas/); the finished zip is
    verified before this returns, and nothing is left behind when any step fails."""
    info = info or release_info()
    package_dir, dist_dir = Path(package_dir), Path(dist_dir)
    validate_package(package_dir)
    descriptor = _descriptor(package_dir)
    _check_current(descriptor, info, package_dir)
    dist_dir.mkdir(parents=True, exist_ok=True)
    folder = dist_dir / info.folder_name
    zip_path = dist_dir / f"{info.folder_name}.zip"
    staging = Path(tempfile.mkdtemp(prefix=f".{info.folder_name}.tmp-", dir=dist_dir))
    staging.chmod(0o755)
    zip_tmp = dist_dir / f".{info.folder_name}.zip.tmp-{os.getpid()}"
    try:
        write_release(package_dir, staging, descriptor, info)
        write_zip(staging, zip_tmp, info)
        verify_release(zip_tmp)
        if folder.exists():
            shutil.rmtree(folder)
        os.rename(staging, folder)
        os.replace(zip_tmp, zip_path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        zip_tmp.unlink(missing_ok=True)
        raise
    return zip_path


def write_release(package_dir: Path, folder: Path, descriptor: dict, info: ReleaseInfo) -> None:
    """Write every file of the release into `folder`, SHA256SUMS last."""
    for name in ["datapackage.json"] + [resource["path"] for resource in descriptor["resources"]]:
        (folder / name).write_bytes((package_dir / name).read_bytes())
    rows = {table: _rows(package_dir, table) for table in TABLES}
    (folder / FIGURE).write_bytes(render_figure(rows["recommendations"], rows["meetings"]))
    write_page(package_dir, folder / PAGE, version=info.version, released=info.date.isoformat())
    (folder / "README.md").write_text(data_card(descriptor, rows, info), encoding="utf-8")
    (folder / "CITATION.cff").write_text(citation_cff(descriptor, info), encoding="utf-8")
    (folder / "LICENSE").write_text(licence(descriptor, info), encoding="utf-8")
    shutil.copyfile(CHANGELOG, folder / "CHANGELOG.md")
    (folder / CHECKSUMS).write_text(checksums(folder), encoding="utf-8")
    for path in folder.iterdir():
        path.chmod(0o644)


def checksums(folder: Path) -> str:
    """SHA256SUMS in the format of `sha256sum`: every file of `folder` but SHA256SUMS itself, in name order."""
    return "".join(
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n"
        for path in sorted(folder.iterdir())
        if path.name != CHECKSUMS
    )


def write_zip(folder: Path, zip_path: Path, info: ReleaseInfo) -> None:
    """Zip `folder` as `<name>-<version>/…`: entries in name order, all dated the release date at midnight,
    mode 644 (folder 755), deflate level 9, no extra fields and no comment."""
    when = (info.date.year, info.date.month, info.date.day, 0, 0, 0)
    with zipfile.ZipFile(zip_path, "w") as archive:
        root = zipfile.ZipInfo(f"{info.folder_name}/", date_time=when)
        root.create_system = ZIP_UNIX
        root.external_attr = (ZIP_DIR_MODE << 16) | 0x10  # 0x10: the MS-DOS directory flag
        archive.writestr(root, b"")
        for path in sorted(folder.iterdir(), key=lambda p: p.name):
            entry = zipfile.ZipInfo(f"{info.folder_name}/{path.name}", date_time=when)
            entry.create_system = ZIP_UNIX
            entry.external_attr = ZIP_FILE_MODE << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes(), compresslevel=ZIP_COMPRESSLEVEL)


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
    kinds = Counter(row["kind"] for row in recs)
    kind_counts = ", ".join(f"{kinds[kind]} {kind}" for kind in _kind_order(kinds))
    per_meeting = Counter(row["meeting"] for row in recs)
    meeting_counts = ", ".join(
        f"{m['roman']} ({m['year']}): {per_meeting[m['meeting']]}" for m in rows["meetings"]
    )
    row_text = (
        f"`recommendations` has {len(recs)} rows ({kind_counts}), one per unit of the document in document order; "
        f"per meeting: {meeting_counts}. `meetings` has {len(rows['meetings'])} rows, one per meeting."
    )
    page_note = ("- `page` is empty in this release: the source was a text file without page numbers.\n"
                 if all(row.get("page") is None for row in recs) else "")
    values = {
        "TITLE": descriptor["title"],
        "VERSION": info.version,
        "DATE": info.date.isoformat(),
        "FILTERS": _and([group["label"].lower() for group in page_filters(
            next(r["schema"] for r in descriptor["resources"] if r["name"] == "recommendations"),
            recs, rows["meetings"])]),
        "DESCRIPTION": descriptor["description"],
        "FILES": "\n".join(f"| [`{name}`]({name}) | {what} |" for name, what in files),
        "ROWS": row_text,
        "DICTIONARY": data_dictionary().replace("### `", "#### `"),
        "SOURCE": _source_text(descriptor),
        "PAGENOTE": page_note,
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


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _fill(template: str, values: dict[str, str]) -> str:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda match: values[match.group(1)], text)


def _kind_order(kinds: Counter) -> list[str]:
    enum = next((f.get("constraints", {}).get("enum") for f in table_schema("recommendations")["fields"]
                 if f["name"] == "kind"), None) or []
    return [kind for kind in enum if kinds[kind]] + sorted(set(kinds) - set(enum))


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def _rows(folder: Path, table: str) -> list[dict]:
    return json.loads((folder / f"{table}.json").read_text(encoding="utf-8"))


def _check_current(descriptor: dict, info: ReleaseInfo, package_dir: Path) -> None:
    """Refuse a package built from other schemas or another version than the ones in schemas/."""
    where = package_dir / "datapackage.json"
    if descriptor.get("version") != info.version:
        raise CheckError(where, f"expected version {info.version} as in {PACKAGE_METADATA}, found "
                                f"{descriptor.get('version')}: the package is stale, rebuild it (make dataset)")
    for resource in descriptor["resources"]:
        table, fmt = resource["path"].rsplit(".", 1)
        if table in TABLES and resource["schema"]["fields"] != resource_schema(table, fmt)["fields"]:
            raise CheckError(where, f"expected the fields of schemas/{table}.schema.json in resource "
                                    f"{resource['name']}, found others: the package is stale, rebuild it "
                                    "(make dataset)")


# ---------------------------------------------------------------------------------------------------------------
# Verifying


def verify_release(path: Path) -> str:
    """Check a release zip (or its unpacked folder): checksums, the package against its schemas, the same rows in
    every format. Raises CheckError with a one-line message; returns a one-line summary."""
    path = Path(path)
    if path.is_dir():
        return _verify_folder(path, str(path))
    with tempfile.TemporaryDirectory(prefix="verify-release-") as tmp:
        return _verify_folder(_unpack(path, Path(tmp)), str(path))


def _unpack(path: Path, target: Path) -> Path:
    """Extract the zip after checking that every entry is a plain file directly inside one top-level folder."""
    where = str(path)
    if not path.is_file():
        raise CheckError(where, "expected a release zip or folder, found nothing at this path")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise CheckError(where, f"expected a zip archive, found a file zipfile cannot read ({exc})") from None
    with archive:
        entries = archive.infolist()
        names = [entry.filename for entry in entries]
        tops = sorted({name.split("/", 1)[0] for name in names})
        if len(tops) != 1 or not tops[0] or tops[0] in (".", ".."):
            raise CheckError(where, f"expected every entry inside one top-level folder, found {tops[:3]}")
        top = tops[0]
        if duplicates := sorted(name for name, n in Counter(names).items() if n > 1):
            raise CheckError(where, f"expected each entry once, found {duplicates[0]} repeated")
        for entry in entries:
            inner = entry.filename[len(top) + 1:]
            if entry.filename == f"{top}/":
                continue
            if (not entry.filename.startswith(f"{top}/") or not inner or "/" in inner or "\\" in inner
                    or inner in (".", "..") or stat.S_ISLNK(entry.external_attr >> 16)):
                raise CheckError(where, f"expected plain files directly inside {top}/, found entry {entry.filename!r}")
        try:
            archive.extractall(target)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
            raise CheckError(where, f"expected a readable zip archive, found: {exc}") from None
    return target / top


def _verify_folder(folder: Path, where: str) -> str:
    checked = _check_checksums(folder, where)
    for name in RELEASE_FILES:
        if not (folder / name).is_file():
            raise CheckError(where, f"expected the release to hold {name}, found no such file")
    try:
        validate_package(folder)
    except CheckError as exc:
        raise CheckError(where, f"{_relative(exc.path, folder)}: {exc.message}") from None
    descriptor = _descriptor(folder)
    expected_folder = f"{descriptor['name']}-{descriptor['version']}"
    if folder.name != expected_folder:
        raise CheckError(where, f"expected the folder {expected_folder}/ for version {descriptor['version']}, "
                                f"found {folder.name}/")
    cff = (folder / "CITATION.cff").read_text(encoding="utf-8")
    if f"version: {json.dumps(descriptor['version'])}\n" not in cff:
        raise CheckError(where, f"expected CITATION.cff to give version {descriptor['version']}, found another")
    counts = _check_same_rows(folder, descriptor, where)
    summary = ", ".join(f"{n} {table}" for table, n in counts.items())
    return (f"verify-release: {checked} files match {CHECKSUMS}, package valid, "
            f"every format holds the same rows ({summary})")


def _check_checksums(folder: Path, where: str) -> int:
    listing = folder / CHECKSUMS
    if not listing.is_file():
        raise CheckError(where, f"expected {CHECKSUMS} in {folder.name}/, found no such file")
    listed: dict[str, str] = {}
    for number, line in enumerate(listing.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](\S.*)", line)
        if not match:
            raise CheckError(where, f"expected '<sha256>  <file>' on line {number} of {CHECKSUMS}, found {line[:80]!r}")
        listed[match.group(2)] = match.group(1)
    present = {path.name for path in folder.iterdir() if path.name != CHECKSUMS}
    if unlisted := sorted(present - set(listed)):
        raise CheckError(where, f"expected every file to be listed in {CHECKSUMS}, found {unlisted[0]} unlisted")
    if missing := sorted(set(listed) - present):
        raise CheckError(where, f"expected {missing[0]} as listed in {CHECKSUMS}, found no such file")
    for name in sorted(listed):
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        if digest != listed[name]:
            raise CheckError(where, f"expected {name} to have the sha256 listed in {CHECKSUMS} "
                                    f"({listed[name][:12]}…), found {digest[:12]}…: the file was altered")
    return len(listed)


def _check_same_rows(folder: Path, descriptor: dict, where: str) -> dict[str, int]:
    """Read every resource typed by its schema and check that the formats of each table hold the same rows."""
    import frictionless

    package = frictionless.Package(str(folder / "datapackage.json"))
    by_table: dict[str, list[tuple[str, list[dict]]]] = {}
    for resource in package.resources:
        if not isinstance(resource, frictionless.resources.TableResource):
            continue
        table = resource.path.rsplit(".", 1)[0]
        lists = set(list_fields(table))
        rows = [_with_lists(row.to_dict(), lists) for row in resource.read_rows()]
        by_table.setdefault(table, []).append((resource.path, rows))
    for versions in by_table.values():
        (first_name, first_rows), *others = versions
        for name, rows in others:
            if len(rows) != len(first_rows):
                raise CheckError(where, f"expected {name} to hold the {len(first_rows)} rows of {first_name}, "
                                        f"found {len(rows)}")
            for number, (a, b) in enumerate(zip(first_rows, rows), start=1):
                if a != b:
                    column = next((key for key in a if a.get(key) != b.get(key)), None) or sorted(set(a) ^ set(b))[0]
                    raise CheckError(where, f"expected {name} to hold the same rows as {first_name}, found row "
                                            f"{number} differing in column {column}: {_short(b.get(column))} vs "
                                            f"{_short(a.get(column))}")
    return {table: len(versions[0][1]) for table, versions in by_table.items()}


def _with_lists(row: dict, lists: set[str]) -> dict:
    """A row with its list columns as Python lists, whichever way the format spells them."""
    for name in lists:
        value = row.get(name)
        if value is None:
            row[name] = []
        elif isinstance(value, str):
            row[name] = value.split(LIST_DELIMITER) if value else []
        else:
            row[name] = [str(item) for item in value]
    return row


def _short(value, width: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _relative(path: str, folder: Path) -> str:
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return path
