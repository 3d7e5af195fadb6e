"""Each preference objective trains a tiny model a few steps, and its own training signal moves the right
way on held-out pairs: the reward model's margin grows, and each direct method's implicit reward puts the
chosen answer above the rejected one by more than before training."""

from __future__ import annotations

import json
import re

import pytest

from afina.cli import main
from afina.config import load_config

from conftest import ROOT, write_config

PAIRS = ROOT / "examples" / "data" / "preferencias.jsonl"
# The objective's own signal on the validation split, as its trainer logs it (eval_ prefix).
SIGNAL = {
    "reward": "eval_margin",
    "dpo": "eval_rewards/margins",
    "kto": "eval_rewards/margins",
    "orpo": "eval_rewards/margins",
    "cpo": "eval_rewards/margins",
}


def _pairs(tmp_path, rows: int = 120):
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(PAIRS.read_text(encoding="utf-8").splitlines(keepends=True)[:rows]), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("objective", SIGNAL)
def test_the_objective_signal_moves_the_right_way(objective, tiny_base, tmp_path):
    from afina.train import build_trainer

    path = write_config(
        tmp_path,
        data={"path": str(_pairs(tmp_path)), "columns": {}, "validation_size": 0.25},
        train={"objective": objective, "max_steps": 24, "eval_steps": 24, "learning_rate": 2e-2, "batch_size": 8},
        align={"beta": 1.0 if objective == "orpo" else 0.1},  # ORPO's logged reward is beta × mean log-prob
    )
    assert main(["prepare", str(path), "--quiet"]) == 0
    config = load_config(path)
    built = build_trainer(config, config.run, quiet=True)
    before = built.trainer.evaluate()[SIGNAL[objective]]
    built.trainer.train()
    after = built.trainer.evaluate()[SIGNAL[objective]]
    assert after > before + 0.01 and after > 0, (before, after)


def test_a_pair_longer_than_max_length_is_refused_not_dropped(tiny_base, tmp_path, capsys):
    long = {"prompt": "¿Horario? " * 40, "chosen": "De 9 a 18 h.", "rejected": "No sé."}
    data = _pairs(tmp_path, 40)
    data.write_text(data.read_text(encoding="utf-8") + json.dumps(long, ensure_ascii=False) + "\n", encoding="utf-8")
    path = write_config(
        tmp_path,
        data={"path": str(data), "columns": {}, "validation_size": 0.0},
        train={"objective": "dpo", "max_steps": 1, "max_length": 64},
    )
    assert main(["run", str(path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert re.search(r"1 of \d+ training examples are longer than train.max_length \(64 tokens\)", err), err
