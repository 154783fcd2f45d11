"""The release being built: its name, version and date, and the files every release holds."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline import PROJECT_ROOT
from pipeline.errors import CheckError
from pipeline.publish.datapackage import PACKAGE_METADATA
from pipeline.release.browse import FILENAME as PAGE
from pipeline.release.figure import FILENAME as FIGURE
from pipeline.schema import package_metadata

CHANGELOG = PROJECT_ROOT / "CHANGELOG.md"
TEMPLATES = Path(__file__).parent / "templates"
CHECKSUMS = "SHA256SUMS"
AUTHOR = "Contributors to wg-som-recommendations"
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
CHANGELOG_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[ \t]*$", re.M)
NEXT_ENTRY = re.compile(r"^## ", re.M)
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


def changelog_with_section(text: str, version: str, section: str) -> str:
    """The changelog `text` with `section` (Markdown) added at the end of the entry of `version`."""
    heading = next((m for m in CHANGELOG_HEADING.finditer(text) if m.group("version") == version), None)
    if heading is None:
        raise CheckError("CHANGELOG.md", f"expected a heading '## [{version}] - YYYY-MM-DD', found none")
    following = NEXT_ENTRY.search(text, heading.end())
    end = following.start() if following else len(text)
    rest = text[end:]
    return f"{text[:end].rstrip()}\n\n{section.rstrip()}\n" + (f"\n{rest}" if rest else "")


def semver(version: object) -> tuple[int, ...] | None:
    """(MAJOR, MINOR, PATCH) of a version, or None when it is not one (or not even text)."""
    if not isinstance(version, str) or not SEMVER.fullmatch(version):
        return None
    return tuple(int(part) for part in version.split("."))

