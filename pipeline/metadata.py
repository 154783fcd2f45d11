"""The dataset's package-level metadata (name, title, version, licences) from schemas/package.json.

Reads nothing but that file and imports nothing heavy, so that `python -m pipeline version` runs with the
standard library alone (the Makefile names releases with it before the dependencies are installed).
"""

from __future__ import annotations

import json

from pipeline import SCHEMAS_DIR


def package_metadata() -> dict:
    """Package-level metadata (name, title, version, licences) from schemas/package.json."""
    return json.loads((SCHEMAS_DIR / "package.json").read_text(encoding="utf-8"))
