"""Verify a release: checksums, the package against its schemas, the same rows in every format."""

from __future__ import annotations

import hashlib
import json
import re
import stat
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from pipeline.errors import CheckError
from pipeline.release.info import CHECKSUMS, RELEASE_FILES, read_descriptor
from pipeline.schema import LIST_DELIMITER, list_fields
from pipeline.stages.validate import validate_package


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
    descriptor = read_descriptor(folder)
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
