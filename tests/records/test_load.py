import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from afina.errors import DataError
from afina.records.load import read_rows, read_table


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


# A Spanish spreadsheet's "CSV" export: semicolons between columns, commas as the decimal mark.
SPANISH = (
    "producto;precio;respuesta\n"
    "Cafetera Brisa;12,50 €;Cuesta 12,50 €, envío incluido.\n"
    '"Tostadora; 2 ranuras";"8,99 €";Sí\n'
)


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_a_csv_separated_by_what_spreadsheets_use_is_read_and_its_delimiter_reported(tmp_path, delimiter):
    path = tmp_path / "precios.csv"
    path.write_text(SPANISH.replace(";", delimiter) if delimiter != "," else SPANISH.replace(";", "\x00")
                    .replace(",", ".").replace("\x00", ","), encoding="utf-8")  # fmt: skip
    rows, used = read_table(str(path))
    assert used == delimiter
    assert [fields["producto"] for _, fields in rows] == ["Cafetera Brisa", f"Tostadora{delimiter} 2 ranuras"]
    assert len(rows) == 2 and all(len(fields) == 3 for _, fields in rows)


def test_semicolons_with_decimal_commas_keep_their_commas(tmp_path):
    path = tmp_path / "precios.csv"
    path.write_text(SPANISH, encoding="utf-8")
    rows, used = read_table(str(path))
    assert used == ";" and rows[0][1]["precio"] == "12,50 €"
    assert rows[0][1]["respuesta"] == "Cuesta 12,50 €, envío incluido."


def test_a_forced_delimiter_is_used_and_a_wrong_one_is_named_in_the_error(tmp_path):
    path = tmp_path / "precios.csv"
    path.write_text(SPANISH, encoding="utf-8")
    assert read_table(str(path), delimiter=";")[1] == ";"
    with pytest.raises(DataError) as info:
        read_table(str(path), delimiter=",")
    assert info.value.row == 1 and "separated by commas" in str(info.value) and "data.delimiter" in str(info.value)


def test_json_has_no_delimiter(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "hola"}\n', encoding="utf-8")
    assert read_table(str(path)) == ([(1, {"text": "hola"})], None)
