"""Reading a published data package: a package folder, a release zip or a datapackage.json.

The one place that parses datapackage.json. A package may come from someone else, so it is read within the limits
of pipeline.guards: the descriptor and every file only up to a stated size, regular files only, a zip's entries
checked before any of them is read, and every resource path checked to be relative and to stay inside the package
before anything is opened. The descriptor's shape (an object whose resources are a list of objects, each with a
path) is checked when the package is opened, so the code that reads it afterwards meets no surprise.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path, PurePosixPath

from pipeline.errors import CheckError
from pipeline.guards import (
    DESCRIPTOR_MAX_BYTES,
    RELEASE_MAX_BYTES,
    TABLE_MAX_BYTES,
    check_relative_path,
    inside,
    load_json,
    open_regular,
    open_zip,
    read_member,
    read_regular,
)
from pipeline.provenance import integrity

DESCRIPTOR = "datapackage.json"
# The format whose resource of a table is named after the table alone; the copies in other formats are named
# `<table>-<format>`.
PLAIN_FORMAT = "csv"


def resource_name(table: str, fmt: str) -> str:
    """The name of the resource of `table`'s copy in format `fmt`: `recommendations`, `recommendations-json`."""
    return table if fmt == PLAIN_FORMAT else f"{table}-{fmt}"


def parse_descriptor(data: bytes, where: str | Path) -> dict:
    """The descriptor in `data`, after checking its shape: a JSON object whose resources are a list of objects,
    each with a path that is relative and stays inside the package (checked as text: nothing is opened), and every
    schema and dialect given inline, never a reference to fetch."""
    descriptor = load_json(data, where, f"a {DESCRIPTOR}")
    if not isinstance(descriptor, dict):
        raise CheckError(where, f"expected a {DESCRIPTOR} holding a JSON object, found {type(descriptor).__name__}")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not all(isinstance(resource, dict) for resource in resources):
        raise CheckError(where, "expected a data package with a list of resources, found none")
    for resource in resources:
        what = f"the path of resource {resource.get('name')!r}"
        check_relative_path(resource.get("path"), str(where), what)
        for key in ("schema", "dialect"):
            if key in resource and not isinstance(resource[key], dict):
                raise CheckError(where, f"expected the {key} of resource {resource.get('name')!r} inline, found "
                                        f"a reference {resource[key]!r}")
    return descriptor


class Package:
    """A data package opened for reading: its descriptor, each table's resource by format, a table's rows and any
    file it holds by name. Open one with `Package.open(path)`."""

    def __init__(self, where: str, descriptor: dict, folder: Path | None = None, zip_path: Path | None = None,
                 zip_folder: PurePosixPath | None = None):
        self.where = where
        self.descriptor = descriptor
        self.folder = folder  # the folder of the descriptor, when the package is not a zip
        self._zip_path = zip_path
        self._zip_folder = zip_folder

    @classmethod
    def open(cls, path: Path | str) -> Package:
        """A package folder, a release zip (or its unpacked folder) or a datapackage.json; CheckError, one line, if
        it cannot be read as a data package."""
        path = Path(path)
        where = str(path)
        try:
            if path.is_dir():
                return cls.open_folder(path, where)
            with open_regular(path, RELEASE_MAX_BYTES,
                              "a release zip, a package folder or a datapackage.json") as file:
                if zipfile.is_zipfile(file):
                    return cls._open_zip(path, file, where)
            return cls._open_descriptor(path, where)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
            raise CheckError(where, f"expected a readable release zip or package, found: {exc}") from None

    @classmethod
    def open_folder(cls, folder: Path, where: str | None = None) -> Package:
        """The package whose datapackage.json is in `folder`."""
        folder = Path(folder)
        descriptor_path = folder / DESCRIPTOR
        if not os.path.lexists(descriptor_path):
            raise CheckError(where or descriptor_path,
                             f"expected a data package folder holding {DESCRIPTOR}, found none")
        return cls._open_descriptor(descriptor_path, where)

    @classmethod
    def _open_descriptor(cls, descriptor_path: Path, where: str | None) -> Package:
        data = read_regular(descriptor_path, DESCRIPTOR_MAX_BYTES, f"a {DESCRIPTOR}")
        return cls(where or str(descriptor_path), parse_descriptor(data, where or descriptor_path),
                   folder=descriptor_path.parent)

    @classmethod
    def _open_zip(cls, path: Path, file, where: str) -> Package:
        archive, entries = open_zip(file, where)
        with archive:
            names = [entry for entry in entries if PurePosixPath(entry.filename).name == DESCRIPTOR]
            if len(names) != 1:
                raise CheckError(where, f"expected a release zip with one {DESCRIPTOR}, found {len(names)}")
            data = read_member(archive, names[0], where, DESCRIPTOR_MAX_BYTES, DESCRIPTOR)
        return cls(where, parse_descriptor(data, where), zip_path=path,
                   zip_folder=PurePosixPath(names[0].filename).parent)

    # The descriptor

    @property
    def name(self) -> object:
        return self.descriptor.get("name")

    @property
    def resources(self) -> list[dict]:
        return self.descriptor["resources"]

    def find(self, table: str, fmt: str) -> dict | None:
        """The resource of `table`'s copy in format `fmt`, or None when the package has none."""
        name = resource_name(table, fmt)
        return next((resource for resource in self.resources if resource.get("name") == name), None)

    def resource(self, table: str, fmt: str) -> dict:
        """The resource of `table`'s copy in format `fmt`; CheckError when the package has none."""
        if (resource := self.find(table, fmt)) is None:
            raise CheckError(self.where, f"expected a resource {resource_name(table, fmt)} in {DESCRIPTOR}, "
                                         f"found none")
        return resource

    def resource_of_format(self, fmt: str) -> dict:
        """The one resource in format `fmt` (a file that holds every table: the database, the spreadsheet)."""
        found = [resource for resource in self.resources if resource.get("format") == fmt]
        if len(found) != 1:
            raise CheckError(self.where, f"expected one resource of format {fmt} in {DESCRIPTOR}, found "
                                         f"{len(found)}")
        return found[0]

    # Files

    def path(self, name: str, what: str = "a resource path") -> Path:
        """The file `name` of a package folder, checked to be a regular file inside it (nothing is opened); `what`
        names the path in a message."""
        if self.folder is None:
            raise CheckError(self.where, f"expected a package folder to find {name} in, found a zip")
        return inside(self.folder, name, self.where, what)

    def has(self, name: str) -> bool:
        """Whether the package holds a file `name` (a path checked as for a resource)."""
        check_relative_path(name, self.where)
        if self.folder is not None:
            return os.path.lexists(self.folder / name)
        with self._archive() as (archive, entries):
            return self._member(name) in entries

    def read(self, name: str, limit: int = TABLE_MAX_BYTES, what: str | None = None) -> bytes:
        """The bytes of the file `name`, read within `limit`: a regular file inside a folder, or a member of the
        zip."""
        what = what or f"the file {name}"
        if self.folder is not None:
            return read_regular(self.path(name), limit, what)
        check_relative_path(name, self.where)
        with self._archive() as (archive, entries):
            member = entries.get(self._member(name))
            if member is None:
                raise CheckError(self.where, f"expected the file {name} that the package lists, found no such file")
            return read_member(archive, member, self.where, limit, what)

    def read_resource(self, resource: dict, verify: bool = False) -> bytes:
        """The bytes of a resource's file; with `verify`, checked against the sha256 the descriptor lists."""
        name = resource["path"]
        if not self.has(name):
            raise CheckError(self.where, f"expected the file {name} listed in {DESCRIPTOR}, found none")
        data = self.read(name, what=f"the table copy {name}")
        if verify and integrity(data)["hash"] != resource.get("hash"):
            raise CheckError(self.where, f"expected {name} to have the sha256 listed in {DESCRIPTOR}, found "
                                         f"another: the file was altered")
        return data

    def rows(self, table: str, verify: bool = False) -> list[dict]:
        """The rows of `table`, from its JSON copy (checked against its sha256 with `verify`), as a list of
        objects."""
        resource = self.resource(table, "json")
        data = self.read_resource(resource, verify)
        records = load_json(data, self.where, f"the JSON rows of {resource['path']}")
        if not isinstance(records, list) or not all(isinstance(row, dict) for row in records):
            found = type(records).__name__ if not isinstance(records, list) else "other values"
            raise CheckError(self.where, f"expected an array of rows in {resource['path']}, found {found}")
        return records

    def _member(self, name: str) -> str:
        return str(self._zip_folder / name) if str(self._zip_folder) != "." else name

    def _archive(self):
        return _OpenZip(self._zip_path, self.where)


class _OpenZip:
    """The package's zip, opened again for one read, its entries checked as when it was first opened."""

    def __init__(self, path: Path, where: str):
        self.path, self.where = path, where

    def __enter__(self):
        self.file = open_regular(self.path, RELEASE_MAX_BYTES, "a release zip, a package folder or a datapackage.json")
        try:
            self.archive, members = open_zip(self.file, self.where)
        except BaseException:
            self.file.close()
            raise
        return self.archive, {entry.filename: entry for entry in members}

    def __exit__(self, *exc_info):
        self.archive.close()
        self.file.close()
