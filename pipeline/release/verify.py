"""Verify a release: checksums, the package against its schemas in every format, the same rows in every format."""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import zipfile
from pathlib import Path

from pipeline.errors import CheckError
from pipeline.guards import (
    CHECKSUMS_MAX_BYTES,
    DESCRIPTOR_MAX_BYTES,
    RELEASE_MAX_BYTES,
    check_relative_path,
    extract_member,
    inside,
    kind_of,
    open_regular,
    open_zip,
    read_member,
    read_regular,
    sha256_file,
)
from pipeline.publish.check import validate_every_format, validate_package
from pipeline.package import DESCRIPTOR, Package, parse_descriptor
from pipeline.release.info import CHECKSUMS, RELEASE_FILES, semver
from pipeline.schema import package_metadata


def verify_release(path: Path) -> str:
    """Check a release zip (or its unpacked folder): checksums, the package against its schemas, the same rows in
    every format. Raises CheckError with a one-line message; returns a one-line summary."""
    path = Path(path)
    try:
        is_folder = path.is_dir() and not path.is_symlink()
    except OSError as exc:
        raise CheckError(path, f"expected a release zip or folder, found {exc.strerror.lower()}") from None
    if is_folder:
        return _verify_folder(path, str(path))
    with tempfile.TemporaryDirectory(prefix="verify-release-") as tmp:
        return _verify_folder(_unpack(path, Path(tmp)), str(path))


def _unpack(path: Path, target: Path) -> Path:
    """Extract the zip, member by member in bounded chunks, after checking before anything is read that every entry
    is a plain file directly inside one top-level folder, within the size and compression limits, and accounted
    for by both SHA256SUMS and datapackage.json (as a resource or one of the release's own files)."""
    where = str(path)
    with open_regular(path, RELEASE_MAX_BYTES, "a release zip or folder") as file:
        archive, entries = open_zip(file, where)
        with archive:
            top, files = _release_entries(entries, where)
            try:
                listed = parse_checksums(read_member(archive, files[CHECKSUMS], where, CHECKSUMS_MAX_BYTES, CHECKSUMS)
                                         if CHECKSUMS in files else None, where)
                descriptor = _descriptor(read_member(archive, files[DESCRIPTOR], where, DESCRIPTOR_MAX_BYTES,
                                                     DESCRIPTOR) if DESCRIPTOR in files else None, where)
                _check_accounted_for(files, listed, descriptor, where)
                (target / top).mkdir()
                for name, entry in sorted(files.items()):
                    extract_member(archive, entry, target / top / name)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
                raise CheckError(where, f"expected a readable zip archive, found: {exc}") from None
    return target / top


def _release_entries(entries: list[zipfile.ZipInfo], where: str) -> tuple[str, dict[str, zipfile.ZipInfo]]:
    """The top-level folder and its files by name, refusing any other layout."""
    names = [entry.filename for entry in entries]
    tops = sorted({name.split("/", 1)[0] for name in names})
    if len(tops) != 1 or not tops[0] or tops[0] in (".", ".."):
        raise CheckError(where, f"expected every entry inside one top-level folder, found {tops[:3]}")
    top = tops[0]
    files = {}
    for entry in entries:
        inner = entry.filename[len(top) + 1:]
        if entry.filename == f"{top}/":
            continue
        if (not entry.filename.startswith(f"{top}/") or not inner or "/" in inner or "\\" in inner
                or inner in (".", "..") or stat.S_ISLNK(entry.external_attr >> 16)):
            raise CheckError(where, f"expected plain files directly inside {top}/, found entry {entry.filename!r}")
        files[inner] = entry
    return top, files


def _descriptor(data: bytes | None, where: str) -> dict:
    if data is None:
        raise CheckError(where, f"expected the release to hold {DESCRIPTOR}, found no such file")
    return parse_descriptor(data, where)


def _check_accounted_for(files: dict[str, zipfile.ZipInfo], listed: dict[str, str], descriptor: dict,
                         where: str) -> None:
    """Every file of the zip is listed in SHA256SUMS and is a resource of the descriptor or a release file."""
    known = {resource["path"] for resource in descriptor["resources"]} | set(RELEASE_FILES)
    for name in sorted(files):
        if name != CHECKSUMS and name not in listed:
            raise CheckError(where, f"expected every file to be listed in {CHECKSUMS}, found {name} unlisted")
        if name not in known:
            raise CheckError(where, f"expected every file to be a resource of {DESCRIPTOR} or a file every release "
                                    f"holds, found {name}")


def _verify_folder(folder: Path, where: str) -> str:
    checked = _check_checksums(folder, where)
    for name in RELEASE_FILES:
        if not (folder / name).is_file():
            raise CheckError(where, f"expected the release to hold {name}, found no such file")
    try:
        descriptor = Package.open_folder(folder).descriptor
        _check_identity(descriptor, folder / DESCRIPTOR)
        counts = validate_package(folder)
        validate_every_format(folder)
    except CheckError as exc:
        raise CheckError(where, f"{_relative(exc.path, folder)}: {exc.message}") from None
    expected_folder = f"{descriptor['name']}-{descriptor['version']}"
    if folder.name != expected_folder:
        raise CheckError(where, f"expected the folder {expected_folder}/ for version {descriptor['version']}, "
                                f"found {folder.name}/")
    cff = read_regular(folder / "CITATION.cff", CHECKSUMS_MAX_BYTES, "CITATION.cff").decode("utf-8", "replace")
    if f"version: {json.dumps(descriptor['version'])}\n" not in cff:
        raise CheckError(where, f"expected CITATION.cff to give version {descriptor['version']}, found another")
    summary = ", ".join(f"{n} {table}" for table, n in counts.items())
    return (f"verify-release: {checked} files match {CHECKSUMS}, package valid, "
            f"every format holds the same rows ({summary})")


def parse_checksums(data: bytes | None, where: str) -> dict[str, str]:
    """The sha256 of each file that a SHA256SUMS listing names, its names checked to be plain file names."""
    if data is None:
        raise CheckError(where, f"expected {CHECKSUMS} in the release, found no such file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CheckError(where, f"expected {CHECKSUMS} to be UTF-8 text, found other bytes") from None
    listed: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](\S.*)", line)
        if not match:
            raise CheckError(where, f"expected '<sha256>  <file>' on line {number} of {CHECKSUMS}, found {line[:80]!r}")
        name = match.group(2)
        if "/" in check_relative_path(name, where, f"a file name on line {number} of {CHECKSUMS}").as_posix():
            raise CheckError(where, f"expected a file name directly inside the release on line {number} of "
                                    f"{CHECKSUMS}, found {name[:80]!r}")
        listed[name] = match.group(1)
    return listed


def _check_checksums(folder: Path, where: str) -> int:
    listing = folder / CHECKSUMS
    if not os.path.lexists(listing):
        raise CheckError(where, f"expected {CHECKSUMS} in {folder.name}/, found no such file")
    listed = parse_checksums(read_regular(listing, CHECKSUMS_MAX_BYTES, CHECKSUMS), where)
    present = set()
    for entry in os.scandir(folder):
        if entry.name == CHECKSUMS:
            continue
        if not entry.is_file(follow_symlinks=False):
            kind = kind_of(entry.stat(follow_symlinks=False).st_mode)
            raise CheckError(where, f"expected only regular files in {folder.name}/, found {entry.name}, {kind}")
        present.add(entry.name)
    if unlisted := sorted(present - set(listed)):
        raise CheckError(where, f"expected every file to be listed in {CHECKSUMS}, found {unlisted[0]} unlisted")
    if missing := sorted(set(listed) - present):
        raise CheckError(where, f"expected {missing[0]} as listed in {CHECKSUMS}, found no such file")
    for name in sorted(listed):
        digest = sha256_file(inside(folder, name, where, "a file of the release"), what="a file of the release")[1]
        if digest != listed[name]:
            raise CheckError(where, f"expected {name} to have the sha256 listed in {CHECKSUMS} "
                                    f"({listed[name][:12]}…), found {digest[:12]}…: the file was altered")
    return len(listed)


def _check_identity(descriptor: dict, where: Path) -> None:
    """The descriptor names this dataset and gives a version MAJOR.MINOR.PATCH."""
    name = package_metadata()["name"]
    if descriptor.get("name") != name:
        raise CheckError(where, f"expected a data package named {name}, found {descriptor.get('name')!r}")
    version = descriptor.get("version")
    if not isinstance(version, str) or semver(version) is None:
        raise CheckError(where, f"expected a version MAJOR.MINOR.PATCH, found {version!r}")


def _relative(path: str, folder: Path) -> str:
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return path
