"""Recommendations of the Working Group on the Smuggling of Migrants as an open dataset."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = PROJECT_ROOT / "schemas"
DEFAULT_SOURCE = PROJECT_ROOT / "raw" / "wg-som-recommendations-2012-2018.ru.md"
DEFAULT_OUT = PROJECT_ROOT / "output"
DEFAULT_DIST = PROJECT_ROOT / "dist"
DEFAULT_PORT = 8001  # of `make serve` on 127.0.0.1
RULES_DIR = PROJECT_ROOT / "rules"
