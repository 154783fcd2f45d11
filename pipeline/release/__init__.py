"""Releases: `dist/<name>-<version>/` and its zip, built from a published package.

A release holds the data files and `datapackage.json` as published, a data card (README.md), CITATION.cff, the
changelog, a licence statement, the browse page, the figure, and SHA256SUMS over every other file. The version is
"version" in schemas/package.json; its release date is the date of its heading in CHANGELOG.md. Building the same
version twice gives the same bytes, zip included: files in name order, the release date as every entry's time,
fixed permissions, fixed compression.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path

from pipeline.errors import CheckError
from pipeline.guards import MEMBER_MAX_BYTES, RELEASE_MAX_BYTES, open_regular, open_zip
from pipeline.package import DESCRIPTOR, Package
from pipeline.publish.outfolder import OutputError, install, output_target
from pipeline.publish.check import validate_package
from pipeline.release.browse import write_page
from pipeline.release.card import citation_cff, data_card, licence
from pipeline.release.diff import changelog_section, diff_packages
from pipeline.release.figure import render_figure
from pipeline.release.info import (  # noqa: F401  (the names a release is described by)
    CHANGELOG,
    CHECKSUMS,
    FIGURE,
    PACKAGE_METADATA,
    PAGE,
    RELEASE_FILES,
    ReleaseInfo,
    changelog_date,
    changelog_with_section,
    release_info,
    semver,
)
from pipeline.release.verify import verify_release
from pipeline.codes import Codes
from pipeline.rules import load_rules
from pipeline.schema import TABLES, resource_schema

ZIP_FILE_MODE = stat.S_IFREG | 0o644
ZIP_DIR_MODE = stat.S_IFDIR | 0o755
ZIP_UNIX = 3  # "made by" system: Unix, whatever system builds the zip
ZIP_COMPRESSLEVEL = 9


def build_release(package_dir: Path, dist_dir: Path, info: ReleaseInfo | None = None,
                  previous: Path | None = None) -> Path:
    """Build `dist_dir/<name>-<version>/` and its zip from the package in `package_dir`; return the zip's path.

    The package must be valid and current (its version and schemas those of schemas/); the finished zip is
    verified before this returns, and nothing is left behind when any step fails. With `previous` (an earlier
    release zip, folder or datapackage.json), the release's changelog entry says what changed since it."""
    info = info or release_info()
    package_dir, dist_dir = Path(package_dir), Path(dist_dir)
    validate_package(package_dir)
    package = Package.open_folder(package_dir)
    descriptor = package.descriptor
    _check_current(descriptor, info, package_dir)
    changelog = release_changelog(info, package_dir, previous)
    dist_dir = Path(os.path.realpath(dist_dir))  # a link to a folder, even one not made yet, stays a link
    folder = output_target(dist_dir / info.folder_name, info.name, own_names=RELEASE_FILES, option="--dist")
    zip_path = Path(os.path.realpath(dist_dir / f"{info.folder_name}.zip"))
    _check_earlier_zip(zip_path, info)
    try:
        dist_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{info.folder_name}.tmp-", dir=dist_dir))
    except OSError as exc:
        raise OutputError(dist_dir, f"expected a folder the release can be written in, found "
                                    f"{exc.strerror.lower()} ({exc.filename})") from None
    staging.chmod(0o755)
    zip_tmp = zip_path.with_name(f".{zip_path.name}.tmp-{os.getpid()}")
    try:
        write_release(package, staging, info, changelog)
        write_zip(staging, zip_tmp, info)
        verify_release(zip_tmp)
        install(staging, folder, info.name, own_names=RELEASE_FILES, option="--dist")
        os.replace(zip_tmp, zip_path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        zip_tmp.unlink(missing_ok=True)
        raise
    return zip_path


def _check_earlier_zip(zip_path: Path, info: ReleaseInfo) -> None:
    """A file already at the release zip's path is replaced only when it is a zip of this release: every entry
    inside the folder `<name>-<version>/`."""
    if not os.path.lexists(zip_path):
        return
    try:
        with open_regular(zip_path, RELEASE_MAX_BYTES, "an earlier release zip") as file:
            archive, entries = open_zip(file, zip_path)
            archive.close()
        ours = bool(entries) and all(entry.filename.startswith(f"{info.folder_name}/") for entry in entries)
        found = None if ours else "a zip of other files"
    except CheckError as exc:
        found = f"a file that is not a release zip ({exc.message})"
    if found:
        raise OutputError(zip_path, f"expected an earlier {info.folder_name}.zip or nothing at this path, found "
                                    f"{found}; move it away or choose another --dist")


def release_changelog(info: ReleaseInfo, package_dir: Path, previous: Path | None = None) -> str:
    """The changelog the release holds: the project's, with the diff against `previous` in this version's entry."""
    text = CHANGELOG.read_bytes().decode("utf-8")
    if previous is None:
        return text
    differences = diff_packages(Path(previous), package_dir)
    earlier = differences.old.descriptor.get("version", "")
    if semver(earlier) is None or semver(earlier) >= semver(info.version):
        raise CheckError(previous, f"expected a previous release, older than version {info.version}, found "
                                   f"version {earlier!r}")
    return changelog_with_section(text, info.version, changelog_section(differences))


def write_release(package: Package, folder: Path, info: ReleaseInfo, changelog: str) -> None:
    """Write every file of the release into `folder`, SHA256SUMS last."""
    descriptor = package.descriptor
    for name in [DESCRIPTOR] + [resource["path"] for resource in descriptor["resources"]]:
        (folder / name).write_bytes(package.read(name, MEMBER_MAX_BYTES))
    rows = {table: package.rows(table) for table in TABLES}
    (folder / FIGURE).write_bytes(render_figure(rows["recommendations"], rows["meetings"]))
    write_page(package, folder / PAGE, version=info.version, released=info.date.isoformat())
    (folder / "README.md").write_text(data_card(descriptor, rows, info), encoding="utf-8")
    (folder / "CITATION.cff").write_text(citation_cff(descriptor, info), encoding="utf-8")
    (folder / "LICENSE").write_text(licence(descriptor, info), encoding="utf-8")
    (folder / "CHANGELOG.md").write_bytes(changelog.encode("utf-8"))
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


def _check_current(descriptor: dict, info: ReleaseInfo, package_dir: Path) -> None:
    """Refuse a package built from other schemas or another version than the ones in schemas/."""
    where = package_dir / "datapackage.json"
    if descriptor.get("version") != info.version:
        raise CheckError(where, f"expected version {info.version} as in {PACKAGE_METADATA}, found "
                                f"{descriptor.get('version')}: the package is stale, rebuild it (make dataset)")
    categories = Codes.of_rules(load_rules()).categories
    for resource in descriptor["resources"]:
        path = resource["path"]  # a path inside the folder, checked when the package was read
        if "/" in path or "." not in path:
            raise CheckError(where, f"expected every file of the package directly in its folder, named "
                                    f"<table>.<format>, found {path!r}")
        table, fmt = path.rsplit(".", 1)
        if table in TABLES and resource["schema"]["fields"] != resource_schema(table, fmt, categories)["fields"]:
            raise CheckError(where, f"expected the fields of schemas/{table}.schema.json in resource "
                                    f"{resource['name']}, found others: the package is stale, rebuild it "
                                    "(make dataset)")
