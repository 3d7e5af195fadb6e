"""Read a data file into rows (dicts), each tagged with its 1-based row number in that file.

CSV/TSV and JSONL are read by hand, line by line, so that a malformed row or a byte that is not
UTF-8 is reported with its row number; pandas and json.load only say "somewhere in the file".
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

from afina.errors import DataError

FORMATS = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}

Row = tuple[int, dict]  # (row number in the source, fields)
# What a spreadsheet's "CSV" export may be separated by: commas, semicolons (Spanish and most European
# locales, where the comma is the decimal mark), tabs, pipes.
DELIMITERS = (",", ";", "\t", "|")


def detect_format(path: str, fmt: str = "auto") -> str:
    if fmt != "auto":
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise DataError(
            f"cannot tell the format from the extension '{suffix}'; expected one of "
            f"{', '.join(sorted(FORMATS))}, or set data.format",
            file=path,
        )
    return FORMATS[suffix]


class _NotUtf8(Exception):
    def __init__(self, byte: int, line: int):
        self.byte, self.line = byte, line


def _decode(path: str) -> str:
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _NotUtf8(data[exc.start], data[: exc.start].count(b"\n") + 1) from None


def _not_utf8_error(path: str, bad: _NotUtf8, rows: list[Row]) -> DataError:
    """Name the row and column that hold the first undecodable byte (found by decoding with U+FFFD)."""
    message = (
        f"byte 0x{bad.byte:02x} (line {bad.line}) is not valid UTF-8; save the file as UTF-8 "
        "(in a spreadsheet: 'CSV UTF-8')"
    )
    for row, fields in rows:
        for column, value in fields.items():
            if "\ufffd" in str(value):
                return DataError(message, file=path, row=row, column=column)
    return DataError(message, file=path)


def _named(delimiter: str) -> str:
    return {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes"}.get(delimiter, repr(delimiter))


def _read_delimited(path: str, delimiter: str, text: str | None = None) -> list[Row]:
    text = _decode(path) if text is None else text
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError("the file is empty; expected a header row", file=path) from None
    except csv.Error as exc:
        raise DataError(f"malformed header: {exc}", file=path) from None
    header = [h.strip() for h in header]
    if len(set(header)) != len(header) or "" in header:
        raise DataError(f"the header must name every column once, got {header}", file=path)
    rows: list[Row] = []
    row_number = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataError(f"malformed row (line {reader.line_num}): {exc}", file=path, row=row_number + 1) from None
        if not fields:  # a blank line is not a row
            continue
        row_number += 1
        if len(fields) != len(header):
            raise DataError(
                f"expected {len(header)} fields ({', '.join(header)}) but found {len(fields)} "
                f"(line {reader.line_num}), reading the file as separated by {_named(delimiter)}; quote values "
                f"that contain it, or set data.delimiter",
                file=path,
                row=row_number,
            )
        rows.append((row_number, dict(zip(header, fields))))
    return rows


def _read_jsonl(path: str, text: str | None = None) -> list[Row]:
    rows: list[Row] = []
    text = _decode(path) if text is None else text
    for row_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"not valid JSON: {exc.msg} at character {exc.colno}", file=path, row=row_number) from None
        if not isinstance(record, dict):
            raise DataError(f"expected a JSON object, got {type(record).__name__}", file=path, row=row_number)
        rows.append((row_number, record))
    return rows


def _read_json(path: str) -> list[Row]:
    try:
        data = json.loads(_decode(path))
    except json.JSONDecodeError as exc:
        raise DataError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", file=path) from None
    if isinstance(data, dict) and len(data) == 1 and isinstance(next(iter(data.values())), list):
        data = next(iter(data.values()))  # {"data": [...]} and the like
    if not isinstance(data, list):
        raise DataError("expected a JSON array of objects (or JSON Lines in a .jsonl file)", file=path)
    for row_number, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise DataError(f"expected a JSON object, got {type(record).__name__}", file=path, row=row_number)
    return list(enumerate(data, start=1))


def _read_parquet(path: str) -> list[Row]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise DataError(f"cannot read as Parquet: {exc}", file=path) from None
    return list(enumerate(table.to_pylist(), start=1))


def _read_hub(path: str) -> list[Row]:
    import datasets

    name = path.removeprefix("hf://")
    try:
        dataset = datasets.load_dataset(name, split="train")
    except Exception as exc:  # offline, missing, or gated: the library's message says which
        raise DataError(f"cannot load the dataset from the hub: {exc}", file=path) from None
    return list(enumerate(dataset, start=1))


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns and every row of the first 50 into as
    many (the first of DELIMITERS on a tie); a comma when none does."""
    sample = text[:65536]
    best, best_columns = ",", 1
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in itertools.islice(csv.reader(io.StringIO(sample), delimiter=delimiter), 51) if r]
        except csv.Error:
            continue
        complete = rows[:-1] if len(sample) < len(text) else rows  # the sample may cut its last row
        if rows and len(rows[0]) > best_columns and all(len(r) == len(rows[0]) for r in complete):
            best, best_columns = delimiter, len(rows[0])
    return best


def read_table(path: str, fmt: str = "auto", delimiter: str | None = None) -> tuple[list[Row], str | None]:
    """Read every row of a file, and the delimiter that split it (None for JSON and Parquet): a CSV's is
    sniffed unless given. Raises DataError naming the file and row for anything malformed."""
    if path.startswith("hf://"):
        return _read_hub(path), None
    if not Path(path).is_file():
        raise DataError("file not found", file=path)
    fmt = detect_format(path, fmt)
    if fmt in ("csv", "tsv") and delimiter is None:
        # sniffed on the text as far as it decodes, so that a file that is not UTF-8 is reported as such
        text = Path(path).read_bytes().decode("utf-8-sig", errors="replace")
        delimiter = "\t" if fmt == "tsv" else sniff_delimiter(text)
    readers = {
        "csv": lambda p, text=None: _read_delimited(p, delimiter, text),
        "tsv": lambda p, text=None: _read_delimited(p, delimiter, text),
        "jsonl": _read_jsonl,
        "json": _read_json,
        "parquet": _read_parquet,
    }
    try:
        rows = readers[fmt](path)
    except _NotUtf8 as bad:
        if fmt not in ("csv", "tsv", "jsonl"):
            raise DataError(f"byte 0x{bad.byte:02x} (line {bad.line}) is not valid UTF-8", file=path) from None
        replaced = Path(path).read_bytes().decode("utf-8-sig", errors="replace")
        raise _not_utf8_error(path, bad, readers[fmt](path, replaced)) from None
    if not rows:
        raise DataError("no rows", file=path)
    return rows, delimiter if fmt in ("csv", "tsv") else None


def read_rows(path: str, fmt: str = "auto", delimiter: str | None = None) -> list[Row]:
    """Read every row of a file (`read_table` without the delimiter)."""
    return read_table(path, fmt, delimiter)[0]
