"""Every relative link and #anchor in README.md and docs/ resolves, and the README stays a front door."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import pytest

from pipeline import PROJECT_ROOT
from pipeline.release.docs import README, documents

LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE = re.compile(r"`[^`\n]*`")
README_LIMIT = 15_000  # bytes


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]|<[^>]+>", "", heading.strip().lower())
    text = "".join(c for c in text if unicodedata.category(c)[0] in "LN" or c in " -")
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings, with -1, -2 … for repeats as GitHub numbers them."""
    found: dict[str, int] = {}
    out = set()
    for line in FENCE.sub("", path.read_text(encoding="utf-8")).splitlines():
        if match := re.match(r"#{1,6}\s+(.*)", line):
            base = slug(match.group(1))
            count = found.get(base, 0)
            out.add(base if count == 0 else f"{base}-{count}")
            found[base] = count + 1
    return out


def links(path: Path) -> list[str]:
    text = CODE.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))
    return [target for target in LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", target)]


def test_the_link_finder_finds_links_and_anchors_in_a_small_text(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# A `code` title\n\n## Same\n\n## Same\n\nSee [x](#a-code-title), ![y](pic.png), "
                    "[z](https://example.org), `[not](a-link)`.\n", encoding="utf-8")
    assert links(page) == ["#a-code-title", "pic.png"]
    assert anchors(page) == {"a-code-title", "same", "same-1"}


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_relative_link_and_anchor_resolves(path):
    broken = []
    for target in links(path):
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / unquote(file_part)).resolve() if file_part else path
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and unquote(anchor) not in anchors(resolved):
            broken.append(f"{target}: no such heading")
    assert broken == []


def test_the_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= README_LIMIT
    head = text.split("\n## Three ways in", 1)[0]
    assert "## Contents" in head
    for needed in ("#browse", "#spreadsheet", "#python-and-sql", "#how-to-cite", "#where-to-get-a-release"):
        assert f"]({needed})" in head, needed
    for page in sorted((PROJECT_ROOT / "docs").glob("*.md")):
        assert f"](docs/{page.name})" in text, page.name
    assert "](pipeline/release/templates/datacard.md)" in text  # the data card every release carries
