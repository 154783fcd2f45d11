"""Sidecar files that record where a raw source came from and its sha256."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pipeline.errors import SourceError
from pipeline.guards import load_json, read_regular

SIDECAR_SUFFIX = ".source.json"
SIDECAR_MAX_BYTES = 1024 * 1024
REQUIRED_KEYS = ("sha256", "bytes", "title", "date", "language", "original_language", "issuing_body", "note")


def sidecar_path(source: Path) -> Path:
    return source.with_name(source.name + SIDECAR_SUFFIX)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def integrity(data: bytes) -> dict:
    """A Data Package resource's `bytes` and `hash` for a file's contents."""
    return {"bytes": len(data), "hash": "sha256:" + sha256_hex(data)}


def read_sidecar(source: Path) -> dict | None:
    """Return the sidecar of `source`, or None when it has none."""
    path = sidecar_path(source)
    if not os.path.lexists(path):
        return None
    sidecar = load_json(read_regular(path, SIDECAR_MAX_BYTES, "a JSON sidecar", SourceError), path,
                        "a JSON sidecar", SourceError)
    if not isinstance(sidecar, dict):
        raise SourceError(path, f"expected a JSON sidecar holding an object, found {type(sidecar).__name__}")
    missing = [key for key in REQUIRED_KEYS if key not in sidecar]
    if missing:
        raise SourceError(path, f"expected sidecar keys {', '.join(REQUIRED_KEYS)}, missing {', '.join(missing)}")
    return sidecar


def check_sidecar(source: Path, data: bytes, sidecar: dict) -> None:
    """Refuse a source whose bytes no longer match its recorded sha256 and size."""
    digest = sha256_hex(data)
    if digest != sidecar["sha256"] or len(data) != sidecar["bytes"]:
        raise SourceError(
            source,
            f"expected sha256 {sidecar['sha256']} ({sidecar['bytes']} bytes) as recorded in "
            f"{sidecar_path(source).name}, found {digest} ({len(data)} bytes); if the source changed "
            f"on purpose, review it and run `python -m pipeline sidecar {source}` to record the new hash",
        )


def update_sidecar(source: Path) -> Path:
    """Record the current sha256 and size of `source` in its sidecar, keeping the other keys."""
    data = source.read_bytes()
    path = sidecar_path(source)
    sidecar = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    sidecar.setdefault("path", source.name)
    sidecar["sha256"] = sha256_hex(data)
    sidecar["bytes"] = len(data)
    for key in REQUIRED_KEYS:
        sidecar.setdefault(key, None)
    path.write_text(json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
