"""PPO, RLOO and GRPO each train a tiny model a few steps against a reward it can earn, and their own signal
moves the right way: the mean reward of what the policy samples rises, and its KL to the reference stays
bounded. The tiny base's frozen output layer can hardly sharpen its next-token distribution, so these runs
train every weight (method full; the reference is then a frozen copy, for PPO) on one prompt."""

from __future__ import annotations

import json

import pytest

from afina.align import rewards
from afina.cli import main
from afina.config import load_config

from conftest import write_config

# What each trainer logs as the mean reward of its samples, and as their KL to the reference.
LOGGED = {"ppo": ("score", "kl"), "rloo": ("reward", "kl"), "grpo": ("reward", "kl")}


def _spaces(answer: str, reference: str) -> float:
    """A reward a near-random model can earn token by token: the share of its characters that are spaces."""
    return answer.count(" ") / max(1, len(answer))


@pytest.mark.slow
@pytest.mark.parametrize("objective", LOGGED)
def test_the_sampled_reward_rises_and_the_kl_stays_bounded(objective, tiny_base, tmp_path, monkeypatch):
    from afina.train import build_trainer

    monkeypatch.setitem(rewards.REWARD_FUNCTIONS, "spaces", _spaces)
    data = tmp_path / "prompts.jsonl"
    rows = [{"prompt": "¿Qué horario tenéis?", "completion": f"Respuesta {i}."} for i in range(64)]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows))
    path = write_config(
        tmp_path,
        data={"path": str(data), "columns": {}, "validation_size": 0.0, "test_size": 0.0, "dedup": False},
        method={"name": "full"},
        train={
            "objective": objective,
            "max_steps": 48,
            "batch_size": 16,
            "learning_rate": 3e-3,
            "trl": {"logging_steps": 8},
        },
        align={"rewards": ["spaces"], "max_new_tokens": 12, "missing_eos_penalty": None, "beta": 0.05},
    )
    assert main(["prepare", str(path), "--quiet"]) == 0
    config = load_config(path)
    built = build_trainer(config, config.run, quiet=True)
    built.trainer.train()
    reward, kl = LOGGED[objective]
    logs = [entry for entry in built.trainer.state.log_history if reward in entry]
    first, last = logs[0][reward], sum(entry[reward] for entry in logs[-2:]) / 2
    assert last > first + 0.025, [round(entry[reward], 3) for entry in logs]
    assert all(abs(entry[kl]) < 50 for entry in logs), [entry[kl] for entry in logs]
