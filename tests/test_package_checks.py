"""Each format's validation rejects a broken row; integrity checks catch altered files; swaps are atomic."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.errors import CheckError
from pipeline.publish.check import validate_every_format, validate_package
from pipeline.schema import TABLES


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


def validation_error(package, readers=None) -> str:
    with pytest.raises(CheckError) as error:
        validate_package(package, readers)
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


def test_csv_row_with_unknown_meeting_breaks_the_foreign_key(package):
    path = package / "recommendations.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace("1.1,1,1,", "1.1,1,9,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    rehash(package, "recommendations.csv")
    assert "recommendations row 2: foreign-key" in validation_error(package)


def test_invalid_schema_of_a_copy_is_rejected_by_the_descriptor_validation(package):
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "meetings-parquet")
    resource["schema"]["fields"][0]["type"] = "integr"
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    message = validation_error(package)
    assert message == (f"{descriptor_path}: expected a valid data package, found: field-error: Field is not valid: "
                       'field type "integr" is not supported')


# The JSON and Parquet copies are not read by frictionless: they must hold exactly the rows of the CSV copy.


def rewrite_json(package, table: str, change) -> str:
    """Apply `change` to the rows of a table's JSON copy, record its new hash, and return the build's error."""
    path = package / f"{table}.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    change(rows)
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    rehash(package, path.name)
    return validation_error(package)


def rewrite_parquet(package, table: str, column: str, change) -> str:
    """Apply `change` to one column of a table's Parquet copy (same Arrow type), rehash it, return the error."""
    path = package / f"{table}.parquet"
    arrow_table = pq.read_table(path)
    index = arrow_table.schema.get_field_index(column)
    values = arrow_table.column(column).to_pylist()
    change(values)
    field = arrow_table.schema.field(column)
    pq.write_table(arrow_table.set_column(index, field, pa.array(values, field.type)), path)
    rehash(package, path.name)
    return validation_error(package)


def test_json_row_with_text_date_is_rejected(package):
    def change(rows):
        rows[3]["meeting_end"] = "1 июня 2012"

    message = rewrite_json(package, "recommendations", change)
    assert message == (f"{package / 'recommendations.json'}: expected row 4 (id 1.4) to hold meeting_end 2012-06-01 "
                       "as in recommendations.csv, found '1 июня 2012'")


@pytest.mark.parametrize(("column", "value", "shown"), [
    ("seq", "5", "'5'"), ("seq", 5.0, "5.0"), ("meeting", True, "True"), ("sub_letter", "", "''"),
    ("cites", "", "''"), ("cites", ["protocol:6.3"], "['protocol:6.3']"), ("meeting_start", "20120530", "'20120530'"),
], ids=["text for an integer", "float for an integer", "true for 1", "empty text for null", "text for a list",
        "one item less", "a date in basic form"])
def test_json_value_of_another_type_or_value_is_rejected(package, column, value, shown):
    def change(rows):
        rows[11][column] = value

    message = validation_error_line(rewrite_json(package, "recommendations", change))
    assert message.startswith(f"{package / 'recommendations.json'}: expected row 12 (id 1.12) to hold {column} ")
    assert message.endswith(f"as in recommendations.csv, found {shown}")


def _drop_place(rows):
    rows[2].pop("place")


def _rename_name(rows):
    rows[0]["town"] = rows[0].pop("name")


def _swap_keys(rows):
    rows[0] = {"roman": rows[0].pop("roman"), **rows[0]}


@pytest.mark.parametrize(("change", "expected"), [
    (_drop_place, "expected row 3 to have the columns of meetings.csv, found no column place"),
    (_rename_name, "expected row 1 to have the columns of meetings.csv, found no column name"),
    (lambda rows: rows[4].update(extra=1),
     "expected row 5 to have the columns of meetings.csv, found an extra column extra"),
    (_swap_keys, "expected row 1 to have the columns of meetings.csv, found them in another order: roman, meeting, "),
    (lambda rows: rows.pop(), "expected the 5 rows of meetings.csv, found 4"),
    (lambda rows: rows.reverse(), "expected row 1 (meeting 1) to hold meeting 1 as in meetings.csv, found 5"),
    (lambda rows: rows.append([1, 2]), "expected an array of objects, found another JSON value"),
], ids=["missing key", "renamed key", "extra key", "keys reordered", "row missing", "rows reordered", "not an object"])
def test_json_rows_with_other_keys_or_order_are_rejected(package, change, expected):
    message = validation_error_line(rewrite_json(package, "meetings", change))
    assert message.startswith(f"{package / 'meetings.json'}: {expected}")


def test_parquet_copy_is_read_a_column_at_a_time_and_each_column_as_pyarrow_reads_it(package, monkeypatch):
    from pipeline.publish.formats import parquet

    path = package / "recommendations.parquet"
    whole = pq.read_table(path)
    asked = []
    read = pq.ParquetFile.read

    def read_columns(self, columns=None, **options):
        asked.append(columns)
        return read(self, columns=columns, **options)

    monkeypatch.setattr(pq.ParquetFile, "read", read_columns)
    table = parquet.read_tables(path)["recommendations"]
    assert asked == [] and (table.num_rows, table.column_names) == (whole.num_rows, whole.column_names)
    for name in whole.column_names:
        assert table.column(name).equals(whole.column(name))
    def has_text(kind: pa.DataType) -> bool:  # read twice: its size unpacked from the dictionaries, then itself
        return pa.types.is_string(kind) or pa.types.is_large_string(kind) or (
            pa.types.is_list(kind) and has_text(kind.value_type))

    assert asked == [[field.name] for field in whole.schema for _ in range(2 if has_text(field.type) else 1)]


def test_parquet_copy_with_damaged_pages_and_matching_hash_is_refused_in_one_line(package):
    path = package / "recommendations.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 4:len(data) // 2] = bytes(b ^ 0x5A for b in data[len(data) // 4:len(data) // 2])
    path.write_bytes(bytes(data))
    rehash(package, path.name)
    message = validation_error(package)
    prefix = f"{path}: expected a Parquet file whose column "
    assert message.startswith(prefix) and "\n" not in message
    column, _, found = message.removeprefix(prefix).partition(" pyarrow can read, found: ")
    assert column in pq.read_schema(path).names and found


def test_parquet_row_with_another_id_is_rejected(package):
    def change(ids):
        ids[0] = "I.1"

    message = rewrite_parquet(package, "recommendations", "id", change)
    assert message == (f"{package / 'recommendations.parquet'}: expected row 1 (id 1.1) to hold id '1.1' "
                       "as in recommendations.csv, found 'I.1'")


def _drop_second_item(cites):
    cites[11] = cites[11][:1]


def _next_day(dates):
    dates[11] = dates[11] + dt.timedelta(days=1)


@pytest.mark.parametrize(("column", "change", "expected"), [
    ("cites", _drop_second_item, "cites ['protocol:6.3', 'protocol:6.1'] as in recommendations.csv, "
                                 "found ['protocol:6.3']"),
    ("meeting_end", _next_day, "meeting_end 2012-06-01 as in recommendations.csv, found 2012-06-02"),
], ids=["list item", "date"])
def test_parquet_list_item_or_date_that_differs_is_rejected(package, column, change, expected):
    message = validation_error_line(rewrite_parquet(package, "recommendations", column, change))
    assert message == f"{package / 'recommendations.parquet'}: expected row 12 (id 1.12) to hold {expected}"


def test_parquet_count_below_a_minimum_is_rejected(package):
    def change(paragraphs):
        paragraphs[0] = 0

    message = rewrite_parquet(package, "meetings", "paragraphs", change)
    assert message.endswith("expected row 1 (meeting 1) to hold paragraphs 55 as in meetings.csv, found 0")


def test_a_file_holding_several_tables_is_compared_table_by_table(package):
    """As a spreadsheet or a database would be: every table of the package in one file."""
    from pipeline.publish.formats import json as json_format

    def read_workbook(path):
        tables = {**json_format.read_tables(package / "meetings.json"),
                  **json_format.read_tables(package / "recommendations.json")}
        tables["meetings"][1]["place"] = "Нью-Йорк"
        return tables

    message = validation_error_line(validation_error(package, {"json": read_workbook}))
    assert message.startswith(f"{package / 'recommendations.json'}: meetings: expected row 2 (meeting 2) to hold "
                              "place ")
    assert message.endswith("as in meetings.csv, found 'Нью-Йорк'")
    tables = ", ".join(TABLES)
    assert validation_error(package, {"json": lambda path: {"notes": []}}) == (
        f"{package / 'recommendations.json'}: notes: expected a table with a csv copy to compare with ({tables}), "
        f"found notes")


def test_every_format_validation_for_releases_reads_the_json_copy_with_frictionless(package):
    path = package / "recommendations.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[3]["meeting_end"] = "1 июня 2012"
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    with pytest.raises(CheckError, match="recommendations-json row 5: type-error"):
        validate_every_format(package)


def validation_error_line(message: str) -> str:
    assert "\n" not in message
    return message


@pytest.mark.parametrize("filename", ["recommendations.csv", "recommendations.json", "meetings.parquet"])
def test_file_altered_after_publishing_fails_the_hash_check(package, filename):
    path = package / filename
    path.write_bytes(path.read_bytes() + b" ")
    message = validation_error(package)
    assert message.startswith(f"{path}: expected ") and "found" in message


def rewrite_database(package, statement: str) -> str:
    """Run one SQL statement on the package's database, record its new hash, and return the build's error."""
    import sqlite3

    from pipeline.publish.formats import sqlite

    path = package / sqlite.filename()
    with sqlite3.connect(path) as db:
        db.execute(statement)
    db.close()
    rehash(package, path.name)
    return validation_error_line(validation_error(package))


def test_database_copy_is_compared_with_the_csv_rows_table_by_table(package):
    from pipeline.publish.formats import sqlite

    path = package / sqlite.filename()
    assert rewrite_database(package, "UPDATE meetings SET place = 'Нью-Йорк' WHERE meeting = 2") == (
        f"{path}: meetings: expected row 2 (meeting 2) to hold place 'Вена' as in meetings.csv, "
        "found 'Нью-Йорк'")


@pytest.mark.parametrize(("statement", "expected"), [
    ("UPDATE recommendations SET cites = '[\"protocol:6.3\"]' WHERE id = '1.12'",
     "recommendations: expected row 12 (id 1.12) to hold cites ['protocol:6.3', 'protocol:6.1'] as in "
     "recommendations.csv, found ['protocol:6.3']"),
    ("UPDATE recommendations SET meeting_end = '1 июня 2012' WHERE id = '1.4'",
     "recommendations: expected row 4 (id 1.4) to hold meeting_end 2012-06-01 as in recommendations.csv, "
     "found '1 июня 2012'"),
    ("UPDATE recommendations SET strength = 2.5 WHERE id = '1.5'",
     "recommendations: expected row 5 (id 1.5) to hold strength 5 as in recommendations.csv, found 2.5"),
    ("DELETE FROM recommendations WHERE id = '5.5'",
     "recommendations: expected the 174 rows of recommendations.csv, found 173"),
    ("DROP TABLE meetings", "expected a table named meetings, found none"),
], ids=["list item", "date", "a fraction for an integer", "row missing", "table missing"])
def test_database_copy_that_differs_is_rejected(package, statement, expected):
    from pipeline.publish.formats import sqlite

    assert rewrite_database(package, statement) == f"{package / sqlite.filename()}: {expected}"


# A Parquet copy that lies about itself, or holds what its types do not allow, is refused in one line before or while
# it is read, in bounded memory.


def _varint(number: int) -> bytes:
    """An unsigned LEB128 varint, as Thrift's compact protocol writes the footer's integers (zigzag applied)."""
    out = bytearray()
    while True:
        low, number = number & 0x7F, number >> 7
        out.append(low | (0x80 if number else 0))
        if not number:
            return bytes(out)


def write_and_rehash(package, arrow_table: pa.Table, table: str, **options) -> Path:
    path = package / f"{table}.parquet"
    pq.write_table(arrow_table, path, compression="zstd", **options)
    rehash(package, path.name)
    return path


def test_parquet_footer_giving_more_rows_than_its_row_groups_hold_is_refused_before_reading(package):
    meetings = pq.read_table(package / "meetings.parquet")
    path = write_and_rehash(package, meetings.slice(0, 4), "meetings")
    data = path.read_bytes()
    # the file's row count (field 3 of FileMetaData, an i64) is followed by its row groups (field 4, a list)
    told = b"\x16" + _varint(2 * 4) + b"\x19"
    assert data.count(told) == 1
    path.write_bytes(data.replace(told, b"\x16" + _varint(2 * 5) + b"\x19"))
    rehash(package, path.name)
    assert validation_error(package) == (f"{path}: expected a Parquet file whose row groups hold the 5 rows its footer "
                                         f"gives, found 4 in them")


def test_parquet_copy_that_unpacks_past_the_limit_is_refused_before_reading(package, monkeypatch):
    from pipeline.guards import TABLE_MAX_VALUES
    from pipeline.publish.formats import parquet

    path = package / "recommendations.parquet"
    unpacked = sum(group.column(i).total_uncompressed_size
                   for group in (pq.ParquetFile(path).metadata.row_group(g)
                                 for g in range(pq.ParquetFile(path).metadata.num_row_groups))
                   for i in range(group.num_columns))
    monkeypatch.setattr(parquet.footer_rows, "__defaults__", (unpacked - 1, TABLE_MAX_VALUES))
    assert validation_error(package) == (f"{path}: expected a Parquet file of at most {unpacked - 1:,} bytes of data "
                                         f"uncompressed, found {unpacked:,}")


def test_parquet_text_repeated_in_every_row_is_refused_before_it_is_unpacked(package):
    from pipeline.guards import TABLE_MAX_BYTES

    meetings = pq.read_table(package / "meetings.parquet")
    text = "я" * (TABLE_MAX_BYTES // 8)  # a quarter of the limit in UTF-8, stored once in the file's dictionary
    huge = pa.array([text] * meetings.num_rows, meetings.schema.field("name").type)
    path = write_and_rehash(package, meetings.set_column(meetings.schema.get_field_index("name"),
                                                         meetings.schema.field("name"), huge), "meetings")
    assert path.stat().st_size < TABLE_MAX_BYTES // 1000
    assert validation_error(package) == (f"{path}: expected column name to hold at most {TABLE_MAX_BYTES:,} bytes of "
                                         f"text, found {meetings.num_rows * len(text.encode()):,}")


def test_parquet_list_of_a_million_items_in_one_row_is_refused_by_its_footer(package):
    from pipeline.guards import TABLE_MAX_VALUES

    recommendations = pq.read_table(package / "recommendations.parquet")
    field = recommendations.schema.field("cites")
    items = [["protocol:6.3"] * (TABLE_MAX_VALUES + 1)] + [[]] * (recommendations.num_rows - 1)
    path = write_and_rehash(package, recommendations.set_column(recommendations.schema.get_field_index("cites"), field,
                                                                pa.array(items, field.type)), "recommendations")
    message = validation_error(package)
    assert message.startswith(f"{path}: expected a Parquet file of at most {TABLE_MAX_VALUES:,} values, found ")


def test_parquet_copy_with_a_column_twice_is_refused(package):
    meetings = pq.read_table(package / "meetings.parquet")
    path = write_and_rehash(package, meetings.append_column(meetings.schema.field("roman"), meetings.column("roman")),
                            "meetings")
    assert validation_error(package) == f"{path}: expected each column once, found roman twice"


def test_parquet_text_that_is_not_utf8_is_refused_naming_the_column(package):
    meetings = pq.read_table(package / "meetings.parquet")
    field = meetings.schema.field("place")
    texts = [b"\xff\xfe"] + [value.encode("utf-8") for value in meetings.column("place").to_pylist()[1:]]
    offsets = [0]
    for text in texts:
        offsets.append(offsets[-1] + len(text))
    large = pa.types.is_large_string(field.type)
    invalid = pa.Array.from_buffers(field.type, len(texts), [None, pa.py_buffer(
        pa.array(offsets, pa.int64() if large else pa.int32()).buffers()[1]), pa.py_buffer(b"".join(texts))])
    path = write_and_rehash(package, meetings.set_column(meetings.schema.get_field_index("place"), field, invalid),
                            "meetings")
    message = validation_error(package)
    assert message.startswith(f"{path}: expected a Parquet file whose column place pyarrow can read, found: ")
    assert "UTF8" in message.upper().replace("-", "") and "\n" not in message


def test_parquet_date_past_year_9999_is_refused_naming_the_column(package):
    meetings = pq.read_table(package / "meetings.parquet")
    field = meetings.schema.field("meeting_end")
    days = pa.array([3_000_000] * meetings.num_rows, pa.int32()).cast(field.type)
    path = write_and_rehash(package, meetings.set_column(meetings.schema.get_field_index("meeting_end"), field, days),
                            "meetings")
    message = validation_error(package)
    assert message.startswith(f"{path}: expected column meeting_end to hold values as in meetings.csv, found one "
                              f"Python cannot read: ")


def test_a_column_read_with_fewer_rows_than_its_footer_gives_is_refused(package, monkeypatch):
    from pipeline.publish.formats import parquet

    read = pq.ParquetFile.read
    monkeypatch.setattr(pq.ParquetFile, "read", lambda self, **options: read(self, **options).slice(1))
    path = package / "meetings.parquet"
    assert parquet.read_tables(path)["meetings"].num_rows == 5
    with pytest.raises(CheckError) as error:
        parquet.read_tables(path)["meetings"].column("roman")
    assert str(error.value) == f"{path}: expected column roman to hold the 5 rows the footer gives, found 4"


def test_same_python_values_in_another_arrow_type_are_refused_with_both_types():
    from pipeline.publish.check import check_same_rows

    expected = pa.table({"meeting": pa.array([1, 2], pa.int64())})
    found = pa.table({"meeting": pa.array([1, 2], pa.int32())})
    with pytest.raises(CheckError) as error:
        check_same_rows("copy", found, expected, "meetings.csv", "meetings")
    assert str(error.value) == ("copy: expected column meeting to hold values of type int64 as in meetings.csv, "
                                "found int32")
