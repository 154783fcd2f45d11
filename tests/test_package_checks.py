"""Each format's validation rejects a broken row; integrity checks catch altered files; swaps are atomic."""

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.errors import CheckError
from pipeline.stages.validate import validate_package


@pytest.fixture
def package(built, tmp_path):
    """A private copy of the built package to break."""
    target = tmp_path / "package"
    shutil.copytree(built, target)
    return target


def rehash(package, filename):
    """Record a file's new hash and size, so that only frictionless can catch what is wrong inside it."""
    import hashlib

    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    data = (package / filename).read_bytes()
    for resource in descriptor["resources"]:
        if resource["path"] == filename:
            resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
            if "bytes" in resource:
                resource["bytes"] = len(data)
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def validation_error(package) -> str:
    with pytest.raises(CheckError) as error:
        validate_package(package)
    return str(error.value)


def test_copy_of_built_package_is_valid(package):
    validate_package(package)


def test_csv_row_with_unknown_kind_is_rejected(package):
    path = package / "recommendations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",paragraph,", ",paragraf,", 1), encoding="utf-8")
    rehash(package, "recommendations.csv")
    message = validation_error(package)
    assert "recommendations row 2: constraint-error" in message and "paragraf" in message


def test_csv_row_with_duplicate_id_is_rejected(package):
    path = package / "recommendations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\n1.2,", "\n1.1,", 1), encoding="utf-8")
    rehash(package, "recommendations.csv")
    assert "primary-key" in validation_error(package) or "unique-error" in validation_error(package)


def test_json_row_with_text_date_is_rejected(package):
    path = package / "recommendations.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[3]["meeting_end"] = "1 июня 2012"
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    rehash(package, "recommendations.json")
    message = validation_error(package)
    assert "recommendations-json row 5: type-error" in message


def test_json_row_with_unknown_meeting_breaks_the_foreign_key(package):
    path = package / "recommendations.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[0]["meeting"] = 9
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    rehash(package, "recommendations.json")
    assert "recommendations-json row 2: foreign-key" in validation_error(package)


def test_parquet_row_with_bad_id_pattern_is_rejected(package):
    path = package / "recommendations.parquet"
    table = pq.read_table(path)
    ids = table.column("id").to_pylist()
    ids[0] = "I.1"
    table = table.set_column(table.schema.get_field_index("id"), table.schema.field("id"), pa.array(ids))
    pq.write_table(table, path)
    rehash(package, "recommendations.parquet")
    message = validation_error(package)
    assert "recommendations-parquet row 2: constraint-error" in message and "I.1" in message


def test_parquet_row_below_a_minimum_is_rejected(package):
    path = package / "meetings.parquet"
    table = pq.read_table(path)
    index = table.schema.get_field_index("paragraphs")
    table = table.set_column(index, table.schema.field("paragraphs"), pa.array([0, 33, 41, 15, 5], pa.int64()))
    pq.write_table(table, path)
    rehash(package, "meetings.parquet")
    assert "meetings-parquet row 2: constraint-error" in validation_error(package)


@pytest.mark.parametrize("filename", ["recommendations.csv", "recommendations.json", "meetings.parquet"])
def test_file_altered_after_publishing_fails_the_hash_check(package, filename):
    path = package / filename
    path.write_bytes(path.read_bytes() + b" ")
    message = validation_error(package)
    assert message.startswith(f"{path}: expected ") and "found" in message
