"""The alignment path end to end on the tiny base: a supervised run, a reward model, then DPO from the
supervised model, evaluated against it — win rate and KL judged by the reward model, the supervised run's task
metric before and after, and the gate on them."""

from __future__ import annotations

import json

import pytest

from afina.cli import main

from conftest import FAQ, ROOT, write_config

PAIRS = ROOT / "examples" / "data" / "preferencias.jsonl"
LIGHT = {"retain": None, "memorization": {"enabled": False}, "safety": {"enabled": False}, "bias": {"enabled": False}}


@pytest.mark.slow
def test_dpo_from_a_supervised_model_is_judged_against_it(tiny_base, tmp_path):
    def run(name: str, **sections) -> dict:
        folder = tmp_path / name
        folder.mkdir()
        path = write_config(folder, name=name, **sections)
        code = main(["run", str(path), "--quiet"])
        return {"code": code, "dir": folder / "runs" / name}

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(PAIRS.read_text(encoding="utf-8").splitlines(keepends=True)[:120]), encoding="utf-8")
    sft = run(
        "sft",
        data={"path": str(FAQ), "columns": {"prompt": "pregunta", "completion": "respuesta"}},
        method={"name": "full"},
        train={"max_steps": 10},
        evaluate=LIGHT,
    )
    reward = run(
        "reward",
        data={"path": str(pairs), "columns": {}},
        train={"objective": "reward", "max_steps": 10, "max_length": 192},
        evaluate=LIGHT,
    )
    assert sft["code"] == 0 and reward["code"] == 0
    dpo = run(
        "dpo",
        data={"path": str(pairs), "columns": {}},
        model={"base_model": str(sft["dir"] / "model")},
        train={"objective": "dpo", "max_steps": 6, "max_length": 192},
        align={"reward_model": str(reward["dir"]), "task_run": str(sft["dir"])},
        evaluate=LIGHT,
        gate={"max_kl": 0.0, "min_win_rate": 0.0},  # a policy that trained has moved from its reference
    )
    results = json.loads((dpo["dir"] / "eval" / "eval.json").read_text())
    assert dpo["code"] == 3
    a = results["alignment"]
    assert a["prompts"] == results["test_rows"] and 0 <= a["win_rate"]["value"] <= 1
    assert a["judge_accuracy"]["accuracy"] >= 0 and a["task"]["run"] == str(sft["dir"])
    checks = {c["check"]: c for c in results["gate"]["checks"]}
    assert checks["min_win_rate"]["passed"] and not checks["max_kl"]["passed"] and a["kl"]["value"] > 0
    assert "<h2>Alignment</h2>" in (dpo["dir"] / "eval" / "report.html").read_text()
