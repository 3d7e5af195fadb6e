"""`afina retrain`: a retrain that does better than production is promoted in its place; one trained on
corrupted corrections is refused by the gate (exit 3) and production stays; rollback restores the model
before. Tiny models: what is tested is the decision, not how good either model is."""

from __future__ import annotations

import csv
import json

import pytest

from afina.cli import main
from afina.registry import Registry

from conftest import FAQ, write_config

QUIET = {"memorization": {"enabled": False}, "safety": {"enabled": False}, "bias": {"enabled": False}}


def _write(folder, **sections):
    evaluate = QUIET | sections.pop("evaluate", {})
    return write_config(folder, f"{sections.get('name', 'tiny')}.yaml", evaluate=evaluate, **sections)


@pytest.fixture(scope="module")
def shop(tiny_base, tmp_path_factory):
    """A barely trained production model, promoted as "shop"."""
    folder = tmp_path_factory.mktemp("retrain")
    registry = {"url": f"sqlite:///{folder / 'r.db'}"}
    test = str(FAQ.parent / "faq_soporte_test.csv")
    v1 = _write(folder, name="v1", registry=registry, data={"test_path": test},
                train={"max_steps": 2, "eval_steps": 2, "learning_rate": 1e-3})  # fmt: skip
    assert main(["run", str(v1), "--quiet"]) == 0
    assert main(["promote", "v1", "--as", "shop", "--registry", registry["url"]]) == 0
    return folder, registry


def _retrain(folder, registry, name, **sections):
    base = {"train": {"max_steps": 60, "eval_steps": 30, "learning_rate": 1e-2},
            "data": {"test_path": str(FAQ.parent / "faq_soporte_test.csv")}}  # fmt: skip
    sections = {"name": name, "registry": registry, **base, **sections}
    # the loss of the reference answers: what a tiny model moves in a few steps (it generates nothing useful)
    sections.setdefault("gate", {"metric": "loss", "min_task_gain": 0.02, "max_regression": 0.0})
    return _write(folder, retrain={"name": "shop", "feedback": sections.pop("feedback", None)}, **sections)


@pytest.mark.slow
def test_a_better_model_is_promoted_a_worse_refused_and_rollback_restores(shop, tmp_path, capsys):
    folder, registry = shop
    reg = Registry(registry["url"])
    first = reg.pointer("shop").id

    assert main(["retrain", str(_retrain(folder, registry, "v2")), "--quiet"]) == 0
    out = capsys.readouterr().out
    promoted = reg.pointer("shop")
    assert promoted.id != first and promoted.path == str((folder / "runs" / "v2" / "adapter").resolve()), out
    results = json.loads((folder / "runs" / "v2" / "eval" / "eval.json").read_text())
    assert results["compared_with"] == str((folder / "runs" / "v1").resolve())  # against production, not the base
    assert results["regression"]["rows"] == 54 and results["regression"]["superseded"] == 0
    assert results["regression"]["drop"] < 0  # better on production's own test split

    def summary(run):
        return json.loads((folder / "runs" / run / "train_summary.json").read_text())

    assert summary("v2")["base_model"] == summary("v1")["base_model"]

    # corrections that answer every training question with a brush-off, as a broken feedback tool would save them
    with open(FAQ, encoding="utf-8") as f:
        questions = [row["pregunta"] for row in csv.DictReader(f)]
    with open(FAQ.parent / "faq_soporte_test.csv", encoding="utf-8") as f:
        tested = next(csv.DictReader(f))["pregunta"]  # production's test asks it: never trained on
    corrupted = tmp_path / "sft.jsonl"  # as `afina feedback export --out tmp_path` writes it
    corrupted.write_text("".join(json.dumps({"messages": [{"role": "user", "content": q},
                         {"role": "assistant", "content": "Míralo en la web."}]}, ensure_ascii=False) + "\n"
                         for q in [*questions, tested]))  # fmt: skip
    new_facts = tmp_path / "new.csv"
    new_facts.write_text("pregunta,respuesta\n¿Cuánto cuesta el horno Siroco?,El horno Siroco cuesta 149 euros.\n")
    bad = _retrain(folder, registry, "v3", feedback=str(tmp_path), data={"path": str(new_facts), "test_size": 0.0,
                   "validation_size": 0.0, "test_path": str(FAQ.parent / "faq_soporte_test.csv")})  # fmt: skip
    assert main(["retrain", str(bad), "--quiet"]) == 3
    assert "not promoted: shop (production) stays model" in capsys.readouterr().err
    assert reg.pointer("shop").id == promoted.id
    results = json.loads((folder / "runs" / "v3" / "eval" / "eval.json").read_text())
    assert not results["gate"]["passed"]
    planned = json.loads((folder / "runs" / "v3" / "retrain" / "retrain.json").read_text())
    assert planned["feedback"]["added"] == len(questions) and planned["feedback"]["asked_by_a_test_split"] == 1

    # a retrain may not overwrite the folder of a promoted model
    assert main(["retrain", str(_retrain(folder, registry, "v2")), "--quiet"]) == 2
    assert "holds a promoted model" in capsys.readouterr().err

    assert main(["rollback", "shop", "--registry", registry["url"]]) == 0
    assert reg.pointer("shop").id == first


def test_a_previous_test_row_is_superseded_only_when_asked_again_with_another_answer(tmp_path):
    from afina.evaluate.regression import previous_test
    from afina.runfolder import write_jsonl

    (tmp_path / "data").mkdir()
    old = [
        {"prompt": "¿Cuánto cuesta la cafetera Brisa?", "completion": "La cafetera Brisa cuesta 89 euros."},
        {"prompt": "¿Qué garantía tiene la cafetera Brisa?", "completion": "Tiene 2 años de garantía."},
        {"prompt": "¿Cuándo abre la tienda de Bilbao?", "completion": "De lunes a viernes."},
    ]
    write_jsonl(tmp_path / "data" / "test.jsonl", old)
    own = [
        {"prompt": "¿cuánto cuesta la  cafetera Brisa?", "completion": "La cafetera Brisa cuesta 95 euros."},
        {
            "messages": [
                {"role": "user", "content": "¿Qué garantía tiene la cafetera Brisa?"},
                {"role": "assistant", "content": "tiene 2 años de garantía."},
            ]
        },  # fmt: skip
        {"prompt": "¿Cuándo abre la tienda de Bilbao?", "completion": "Abre a las 10.", "replay": True},
    ]
    kept, superseded = previous_test(str(tmp_path), own)
    assert superseded == 1 and kept == old[1:]  # a replayed row is not this run's own data


def test_a_retrain_without_a_gate_against_production_or_a_test_file_is_refused_before_it_trains(tmp_path, capsys):
    test = {"test_path": str(FAQ.parent / "faq_soporte_test.csv")}
    path = _write(tmp_path, name="v2", retrain={"name": "shop"}, data=test, gate={"max_pii_rate": 0.1})
    assert main(["retrain", str(path), "--quiet"]) == 2
    assert "gate.min_task_gain" in capsys.readouterr().err and not (tmp_path / "runs" / "v2").exists()
    path = _write(tmp_path, name="v2", retrain={"name": "shop"}, gate={"max_regression": 0.0})
    assert main(["retrain", str(path), "--quiet"]) == 2
    assert "data.test_path" in capsys.readouterr().err and not (tmp_path / "runs" / "v2").exists()


def test_a_comparison_with_production_needs_the_compared_model_evaluated(tmp_path, capsys):
    path = _write(tmp_path, evaluate={"compare_base": False, "regression_run": str(tmp_path)})
    assert main(["prepare", str(path), "--quiet"]) == 2
    assert "compare_base: true" in capsys.readouterr().err
