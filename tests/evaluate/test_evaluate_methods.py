"""Evaluation works on what every kind of method produces (soft prompts add positions to the logits)."""

import json

import pytest
import yaml

from afina.cli import main

from conftest import tiny_config

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "method",
    [
        {"name": "prompt", "num_virtual_tokens": 4},
        {"name": "ptuning", "num_virtual_tokens": 4, "encoder_hidden_size": 16},
        {"name": "prefix", "num_virtual_tokens": 4},
        {"name": "adapter"},
        {"name": "freeze", "trainable_layers": 1},
    ],
)
def test_run_evaluates_every_kind_of_result(method, tiny_base, tmp_path):
    config = tiny_config(tmp_path, method=method, train={"max_steps": 4, "eval_steps": 2, "learning_rate": 3e-2})
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    assert main(["run", str(tmp_path / "c.yaml"), "--quiet"]) == 0
    results = json.loads((tmp_path / "runs" / "tiny" / "eval" / "eval.json").read_text())
    base, tuned = results["models"]["base"], results["models"]["tuned"]
    assert 0 < tuned["loss"] < 20 and len(results["examples"]) == results["test_rows"]
    assert tuned["loss"] != base["loss"]


def test_seq2seq_run_on_an_encoder_decoder(tiny_base, tmp_path):
    from tiny_families import build_tiny

    base = build_tiny("t5", tiny_base, tmp_path / "t5")
    config = tiny_config(
        tmp_path,
        model={"base_model": str(base)},
        method={"name": "lora", "r": 4, "alpha": 8},
        train={"max_steps": 6, "eval_steps": 3, "learning_rate": 3e-2},
    )
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    assert main(["run", str(tmp_path / "c.yaml"), "--quiet"]) == 0
    results = json.loads((tmp_path / "runs" / "tiny" / "eval" / "eval.json").read_text())
    assert results["objective"] == "seq2seq" and results["head"] == "seq2seq_lm"
    assert {"loss", "exact_match", "token_f1"} <= set(results["models"]["tuned"])
    assert results["models"]["tuned"]["loss"] < results["models"]["base"]["loss"]
