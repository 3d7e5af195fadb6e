import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from afina.errors import DataError
from afina.records.load import read_rows


def test_reads_every_format_with_row_numbers(tmp_path):
    rows = [{"prompt": "¿Hola?", "completion": "Hola."}, {"prompt": "a,b", "completion": "c"}]
    (tmp_path / "d.csv").write_text('prompt,completion\n¿Hola?,Hola.\n"a,b",c\n', encoding="utf-8")
    (tmp_path / "d.tsv").write_text("prompt\tcompletion\n¿Hola?\tHola.\na,b\tc\n", encoding="utf-8")
    (tmp_path / "d.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    (tmp_path / "d.json").write_text(json.dumps(rows), encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "d.parquet")
    for name in ("d.csv", "d.tsv", "d.jsonl", "d.json", "d.parquet"):
        assert read_rows(str(tmp_path / name)) == [(1, rows[0]), (2, rows[1])], name


def test_csv_row_with_extra_field_names_row_and_expected_columns(tmp_path):
    path = tmp_path / "faq.csv"
    path.write_text("pregunta,respuesta\nuno,dos\ntres,cuatro,cinco\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_rows(str(path))
    assert info.value.row == 2
    assert "expected 2 fields (pregunta, respuesta) but found 3" in str(info.value)


def test_non_utf8_byte_names_row_and_column(tmp_path):
    path = tmp_path / "faq.csv"
    path.write_bytes("pregunta,respuesta\nuno,dos\ntres,se\xf1al\n".encode("utf-8").replace(b"\xc3\xb1", b"\xf1"))
    with pytest.raises(DataError) as info:
        read_rows(str(path))
    assert (info.value.row, info.value.column) == (2, "respuesta")
    assert "0xf1" in str(info.value) and "UTF-8" in str(info.value)


def test_bad_jsonl_line_names_row(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a"}\n{"text": "b"\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_rows(str(path))
    assert info.value.row == 2 and str(path) in str(info.value)


def test_unknown_extension_and_missing_file_are_clear(tmp_path):
    (tmp_path / "d.xlsx").write_text("x")
    with pytest.raises(DataError, match="format"):
        read_rows(str(tmp_path / "d.xlsx"))
    with pytest.raises(DataError, match="not found"):
        read_rows(str(tmp_path / "nope.csv"))
