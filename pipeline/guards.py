"""Reading files that someone else made, within bounds.

Every file is checked to be a regular file before it is opened for reading (a FIFO would block, a device never
ends), is read only up to a stated size, and is hashed in chunks so memory does not grow with it. A resource path
from a descriptor must be relative and stay inside its package; a zip member's declared size and compression ratio
are checked before a byte of it is read, and reading stops at the declared size whatever the data holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from pipeline.errors import CheckError, PipelineError

MiB = 1024 * 1024
# A source document: the text of this edition is 0.1 MiB and a PDF of it about 0.3 MiB; an edition a hundred times
# larger still fits.
SOURCE_MAX_BYTES = 64 * MiB
# A datapackage.json (this one is 0.07 MiB, most of it the Table Schemas) and a SHA256SUMS listing.
DESCRIPTOR_MAX_BYTES = 16 * MiB
CHECKSUMS_MAX_BYTES = 1 * MiB
# A release: each file, all files together, and the number of entries of its zip. This release is 2 MiB unpacked.
MEMBER_MAX_BYTES = 256 * MiB
RELEASE_MAX_BYTES = 1024 * MiB
RELEASE_MAX_ENTRIES = 1000
# A table's JSON copy that `diff` loads whole (this edition's largest is 0.3 MiB), and a table's data once a Parquet
# copy is unpacked, its text as it is read (0.4 MiB here): larger ones would cost more memory than a reader should
# have to give.
TABLE_MAX_BYTES = 64 * MiB
# Rows of one table in a package someone else made (this edition has 174, one a hundred times larger 17,400), lines
# of a text source (349 here), and values of a JSON file read whole: numbers, strings, objects and arrays, counted
# from above by its commas and brackets. They bound the memory and time that reading them may take.
TABLE_MAX_ROWS = 100_000
SOURCE_MAX_LINES = 200_000
JSON_MAX_VALUES = 2_000_000
TABLE_MAX_VALUES = 2_000_000  # cells and list items of a Parquet copy, as its footer counts them
# A zip member larger than RATIO_CHECKED_FROM may be at most MAX_RATIO times its compressed size: the data files of
# a release compress about 5 to 10 times, a zip bomb a thousand times.
MAX_RATIO = 100
RATIO_CHECKED_FROM = 1 * MiB
CHUNK = 1 * MiB

URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
END_OF_DIRECTORY = b"PK\x05\x06"
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP64_END_OF_DIRECTORY = b"PK\x06\x06"
DIRECTORY_BYTES_PER_ENTRY = 1024  # a central-directory record with a long name and extra fields


def size_text(size: int) -> str:
    """A size in words a reader takes in at once: 512 bytes, 3.4 MiB, 1.0 GiB."""
    if size < 1024:
        return f"{size} bytes"
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        size /= 1024
        if size < 1024 or unit == "TiB":
            return f"{size:.1f} {unit}"
    raise AssertionError("unreachable")


def kind_of(mode: int) -> str:
    """What a file of this `st_mode` is, in words."""
    for test, kind in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"),
                       (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "a special file"


def open_regular(path: Path, limit: int, what: str, error: type[PipelineError] = CheckError) -> BinaryIO:
    """Open `path` for reading after checking it is a regular file of at most `limit` bytes; `what` names it in the
    message (\"a source file\"). The check is made before opening and again on the opened file, which is opened
    without blocking, so a FIFO swapped in between is refused, not waited on."""
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise error(path, f"expected {what}, found nothing at this path") from None
    except OSError as exc:
        raise error(path, f"expected {what}, found {exc.strerror.lower()}") from None
    _check_regular(path, before, limit, what, error)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise error(path, f"expected {what} that can be read, found {exc.strerror.lower()}") from None
    try:
        _check_regular(path, os.fstat(descriptor), limit, what, error)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _check_regular(path: Path, status: os.stat_result, limit: int, what: str, error: type[PipelineError]) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise error(path, f"expected {what}, found {kind_of(status.st_mode)}")
    if status.st_size > limit:
        raise error(path, f"expected {what} of at most {size_text(limit)}, found {size_text(status.st_size)}")


def read_regular(path: Path, limit: int, what: str, error: type[PipelineError] = CheckError) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (see open_regular); a file that grows past the limit
    while it is read is refused too."""
    with open_regular(path, limit, what, error) as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise error(path, f"expected {what} of at most {size_text(limit)}, found more")
    return data


def sha256_file(path: Path, limit: int = MEMBER_MAX_BYTES, what: str = "a regular file") -> tuple[int, str]:
    """(size, sha256 hex) of a regular file, read in chunks: memory stays the same whatever its size."""
    digest, size = hashlib.sha256(), 0
    with open_regular(path, limit, what) as file:
        while chunk := file.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise CheckError(path, f"expected {what} of at most {size_text(limit)}, found more")
            digest.update(chunk)
    return size, digest.hexdigest()


def check_relative_path(value: object, where: str, what: str = "a resource path") -> PurePosixPath:
    """A path from a descriptor or a listing, checked before anything is opened: a non-empty string, relative, with
    no URL scheme, no backslash, no `.` or `..` part and no empty part."""
    if not isinstance(value, str) or not value:
        raise CheckError(where, f"expected {what} as a relative file path, found {value!r}")
    shown = value if len(value) <= 80 else value[:79] + "…"
    if URL_SCHEME.match(value):
        raise CheckError(where, f"expected {what} as a relative file path inside the package, found the URL "
                                f"{shown!r}")
    if value.startswith("/") or "\\" in value or "\x00" in value:
        raise CheckError(where, f"expected {what} as a relative file path inside the package, found {shown!r}")
    path = PurePosixPath(value)
    if any(part in ("", ".", "..") for part in value.split("/")):
        raise CheckError(where, f"expected {what} that stays inside the package (no '.' or '..' parts), found "
                                f"{shown!r}")
    return path


def inside(folder: Path, relative: object, where: str, what: str = "a resource path") -> Path:
    """The file `relative` names inside `folder`: the path is checked as text first (check_relative_path), then
    must be a regular file, not a link, whose real location is inside the folder. Nothing is opened."""
    path = folder / check_relative_path(relative, where, what)
    try:
        status = os.lstat(path)
    except OSError:
        raise CheckError(where, f"expected the file {relative} that the package lists, found no such file") from None
    if not stat.S_ISREG(status.st_mode):
        raise CheckError(where, f"expected {relative} to be a regular file inside the package, found "
                                f"{kind_of(status.st_mode)}")
    if not path.resolve().is_relative_to(folder.resolve()):
        raise CheckError(where, f"expected {relative} to lie inside the package, found it leads outside")
    return path


@dataclass(frozen=True)
class ZipLimits:
    """What a zip may hold, checked on the sizes its entries declare before any of them is read."""

    entries: int
    member: int
    total: int
    ratio: int = MAX_RATIO
    ratio_from: int = RATIO_CHECKED_FROM


RELEASE_ZIP = ZipLimits(entries=RELEASE_MAX_ENTRIES, member=MEMBER_MAX_BYTES, total=RELEASE_MAX_BYTES)


def check_directory(file: BinaryIO, where: str | Path, limits: ZipLimits = RELEASE_ZIP,
                    error: type[PipelineError] = CheckError) -> None:
    """Check the number of entries and the size of the zip's central directory, from its end record, before
    zipfile reads the directory into memory (two million entries take it past a gigabyte). A file with no end record
    is left to zipfile to refuse."""
    file.seek(0, os.SEEK_END)
    size = file.tell()
    tail_size = min(size, 0xFFFF + 22)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or at + 22 > len(tail):
        return
    entries, directory = struct.unpack("<HI", tail[at + 10:at + 16])
    locator = at - 20
    if (entries == 0xFFFF or directory == 0xFFFFFFFF) and locator >= 0 and tail[locator:locator + 4] == ZIP64_LOCATOR:
        (offset,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
        file.seek(offset)
        record = file.read(56)
        if record[:4] == ZIP64_END_OF_DIRECTORY and len(record) == 56:
            entries, directory = struct.unpack("<QQ", record[32:48])
    if entries > limits.entries:
        raise error(where, f"expected at most {limits.entries} entries in the zip, found {entries}")
    if directory > limits.entries * DIRECTORY_BYTES_PER_ENTRY:
        raise error(where, f"expected a zip directory of at most {size_text(limits.entries * DIRECTORY_BYTES_PER_ENTRY)}"
                           f", found one of {size_text(directory)}")
    file.seek(0)


def open_zip(file: BinaryIO, where: str | Path, limits: ZipLimits = RELEASE_ZIP,
             error: type[PipelineError] = CheckError) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The zip in `file` and its entries, the directory checked (check_directory) before zipfile reads it and the
    entries (check_members) before any of them is read."""
    check_directory(file, where, limits, error)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise error(where, f"expected a zip archive, found a file zipfile cannot read ({exc})") from None
    try:
        return archive, check_members(archive, where, limits, error)
    except BaseException:
        archive.close()
        raise


def check_members(archive: zipfile.ZipFile, where: str | Path, limits: ZipLimits = RELEASE_ZIP,
                  error: type[PipelineError] = CheckError) -> list[zipfile.ZipInfo]:
    """The entries of a zip, after checking their number, names, encryption and compression, each one's declared
    size and compression ratio, and their total against `limits`, before anything is read."""
    entries = archive.infolist()
    if len(entries) > limits.entries:
        raise error(where, f"expected at most {limits.entries} entries in the zip, found {len(entries)}")
    total, seen = 0, set()
    for entry in entries:
        if CONTROL.search(entry.filename) or "\\" in entry.filename:
            raise error(where, f"expected entry names without control characters or backslashes, found "
                               f"{entry.filename!r}")
        if entry.filename in seen:
            raise error(where, f"expected each entry once, found {entry.filename} repeated")
        seen.add(entry.filename)
        if entry.flag_bits & 0x1:
            raise error(where, f"expected files that are not encrypted, found {entry.filename} encrypted")
        if entry.compress_type not in ZIP_METHODS:
            raise error(where, f"expected files stored or deflated, found {entry.filename} compressed with method "
                               f"{entry.compress_type}")
        if entry.file_size > limits.member:
            raise error(where, f"expected each file of at most {size_text(limits.member)}, found "
                               f"{entry.filename} of {size_text(entry.file_size)}")
        if entry.file_size > limits.ratio_from and entry.file_size > limits.ratio * max(entry.compress_size, 1):
            raise error(where, f"expected each file compressed at most {limits.ratio} to 1, found "
                               f"{entry.filename} of {size_text(entry.file_size)} in "
                               f"{size_text(entry.compress_size)} (a zip bomb?)")
        total += entry.file_size
    if total > limits.total:
        raise error(where, f"expected at most {size_text(limits.total)} unpacked, found {size_text(total)}")
    return entries


def load_json(data: bytes, where: str | Path, what: str, error: type[PipelineError] = CheckError,
              max_values: int = JSON_MAX_VALUES):
    """The JSON value in `data`, refused in one line when it is not UTF-8 JSON, holds more than `max_values` values
    (counted from above before parsing), nests too deep, or holds a number too long to read."""
    values = json_values(data)
    if values > max_values:
        raise error(where, f"expected {what} of at most {max_values:,} JSON values, found up to {values:,}")
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise error(where, f"expected {what} in UTF-8, found other bytes") from None
    except json.JSONDecodeError as exc:
        raise error(where, f"expected {what}, found text that is not JSON ({exc})") from None
    except (ValueError, RecursionError):
        raise error(where, f"expected {what}, found JSON nested too deep or a number too long to read") from None


def json_values(data: bytes) -> int:
    """An upper bound of the number of values in a JSON text: one more than its commas and opening brackets."""
    return data.count(b",") + data.count(b"[") + data.count(b"{") + 1


def count_lines(path: Path, limit: int, what: str) -> int:
    """The number of line ends in a regular file, read in chunks; CheckError past `limit`."""
    lines = 0
    with open_regular(path, MEMBER_MAX_BYTES, what) as file:
        while chunk := file.read(CHUNK):
            lines += chunk.count(b"\n")
            if lines > limit:
                raise CheckError(path, f"expected {what} of at most {limit:,} lines, found more")
    return lines


def check_json_file(path: Path, what: str, max_values: int = JSON_MAX_VALUES) -> None:
    """Refuse a JSON file with more than `max_values` values (json_values), read in chunks, before it is parsed."""
    values = 1
    with open_regular(path, MEMBER_MAX_BYTES, what) as file:
        while chunk := file.read(CHUNK):
            values += json_values(chunk) - 1
            if values > max_values:
                raise CheckError(path, f"expected {what} of at most {max_values:,} JSON values, found more")


def read_member(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, where: str, limit: int, what: str) -> bytes:
    """The bytes of one zip member of at most `limit` bytes, its declared size checked before reading."""
    if entry.file_size > limit:
        raise CheckError(where, f"expected {what} of at most {size_text(limit)}, found {entry.filename} of "
                                f"{size_text(entry.file_size)}")
    with archive.open(entry) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise CheckError(where, f"expected {what} of at most {size_text(limit)}, found more in {entry.filename}")
    return data


def extract_member(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, target: Path) -> None:
    """Copy one zip member to `target` in chunks, stopping at its declared size (zipfile reads no further)."""
    with archive.open(entry) as member, open(target, "xb") as out:
        while chunk := member.read(CHUNK):
            out.write(chunk)
