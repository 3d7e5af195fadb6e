"""Bad data stops `afina run` before training: exit code 2, the file, row and column named,
nothing registered and no data/ folder left behind."""

import json

import pytest

from afina.cli import main
from afina.registry import open_registry

from conftest import write_config


def _csv(tmp_path, body: bytes, name="faq.csv"):
    path = tmp_path / name
    path.write_bytes(body)
    return path


CASES = {
    "malformed_row": (
        "faq.csv",
        "pregunta,respuesta\n¿Hola?,Hola.\n¿Qué tal?,Bien,gracias\n".encode(),
        {},
        2,
        None,
        "expected 2 fields",
    ),
    "non_utf8_byte": (
        "faq.csv",
        "pregunta,respuesta\nHola,Hola.\nQue tal,Ma\xf1ana\n".encode("latin-1"),
        {},
        2,
        "respuesta",
        "not valid UTF-8",
    ),
    "empty_prompt": ("faq.csv", "pregunta,respuesta\n¿Hola?,Hola.\n   ,Nada\n".encode(), {}, 2, "pregunta", "is empty"),
    "missing_column": (
        "faq.jsonl",
        b'{"pregunta": "a", "respuesta": "b"}\n{"pregunta": "c"}\n',
        {},
        2,
        "respuesta",
        "is missing",
    ),
    "label_outside_set": (
        "reviews.csv",
        "texto,etiqueta\nMe encanta,positivo\nHorrible,neutro\n".encode(),
        {"columns": {"text": "texto", "label": "etiqueta"}, "labels": ["positivo", "negativo"]},
        2,
        "etiqueta",
        "not in the label set",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_data_exits_2_names_row_and_column_and_registers_nothing(case, tmp_path, capsys):
    name, body, data, row, column, phrase = CASES[case]
    path = _csv(tmp_path, body, name)
    data = {"path": str(path), **({"columns": {"prompt": "pregunta", "completion": "respuesta"}} | data)}
    registry_url = f"sqlite:///{tmp_path / 'registry.db'}"
    config = write_config(tmp_path, data=data, registry={"url": registry_url})

    code = main(["run", str(config), "--quiet"])

    err = capsys.readouterr().err
    assert code == 2
    assert str(path) in err and f"row {row}" in err and phrase in err
    if column:
        assert f"column '{column}'" in err
    registry = open_registry(registry_url)
    assert registry.runs() == [] and registry.datasets() == [] and registry.models() == []
    assert not (tmp_path / "runs" / "tiny" / "data").exists()


def test_bad_config_key_exits_2_with_suggestion(tmp_path, capsys):
    config = write_config(tmp_path)
    assert main(["prepare", str(config), "--set", "train.epohcs=2"]) == 2
    assert "Did you mean 'epochs'?" in capsys.readouterr().err


def test_good_data_is_prepared_and_registered_with_its_report(tmp_path, capsys):
    registry_url = f"sqlite:///{tmp_path / 'registry.db'}"
    config = write_config(tmp_path, registry={"url": registry_url})
    assert main(["prepare", str(config), "--quiet"]) == 0
    report = json.loads((tmp_path / "runs" / "tiny" / "data" / "data_report.json").read_text())
    assert report["kind"] == "prompt_completion"
    assert report["rows_kept"] + report["rows_dropped"] == report["rows_read"]
    assert sum(s["rows"] for s in report["splits"].values()) == report["rows_kept"]
    datasets = open_registry(registry_url).datasets()
    assert [d.hash for d in datasets] == [report["hash"]]


@pytest.mark.parametrize("stage", ["train", "evaluate"])
def test_a_stage_before_prepare_says_what_to_run(tmp_path, capsys, stage):
    config_path = write_config(tmp_path)
    assert main([stage, str(config_path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "data_report.json" in err and "run `afina prepare`" in err


def test_a_semicolon_separated_export_is_prepared_and_says_so(tmp_path, capsys):
    lines = ["pregunta;respuesta"] + [
        f"¿Cuánto cuesta el modelo {i}?;Cuesta {i},50 €, IVA incluido." for i in range(30)
    ]
    data = tmp_path / "precios.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = write_config(tmp_path, data={"path": str(data), "test_path": None})
    assert main(["prepare", str(config)]) == 0
    assert "semicolon-separated" in capsys.readouterr().out
    report = json.loads((tmp_path / "runs" / "tiny" / "data" / "data_report.json").read_text())
    assert report["delimiter"] == ";" and report["rows_kept"] == 30
    train = (tmp_path / "runs" / "tiny" / "data" / "train.jsonl").read_text(encoding="utf-8")
    assert ",50 €, IVA incluido." in train
