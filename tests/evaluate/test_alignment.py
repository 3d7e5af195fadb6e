"""The alignment report from fixed numbers: win rate with ties as half, KL as the mean log-ratio of the
policy's own samples, the task's drop, and the gate keys that read them."""

import pytest

from afina.config import Config
from afina.evaluate import alignment
from afina.evaluate.gate import check_gate
from afina.evaluate.tasks import Scored


def _task(f1: list[float]) -> Scored:
    return Scored(["a"] * len(f1), ["a"] * len(f1), {"token_f1": f1, "exact_match": f1, "rouge_l": f1})


def _report(config: Config) -> dict:
    prompts = [[{"role": "user", "content": f"q{i}"}] for i in range(4)]
    context = {"prompts": prompts, "judge_accuracy": None}
    tuned = {"answers": list("abcd"), "rewards": [1.0, 2.0, 3.0, 0.0], "logprobs": [-1.0, -2.0, -1.0, -2.0]}
    base = {"answers": list("efgh"), "rewards": [0.0, 2.0, 1.0, 1.0], "logprobs": [-3.0, -2.5, -2.0, -2.5]}
    tuned |= {"greedy_answers": list("abcd"), "greedy_rewards": [1.0, 1.0, 1.0, 1.0]}
    base |= {"greedy_answers": list("abcd"), "greedy_rewards": [1.0, 1.0, 1.0, 2.0]}
    tuned["task"], base["task"] = _task([1.0, 0.5, 1.0, 1.0]), _task([1.0, 1.0, 1.0, 1.0])
    return alignment.report(tuned, base, context, config, "token_f1")


def test_win_rate_kl_and_task_drop_from_fixed_numbers():
    config = Config.model_validate({"align": {"reward_model": "rm", "task_run": "runs/sft"}})
    a = _report(config)
    assert a["win_rate"]["value"] == pytest.approx((1 + 0.5 + 1 + 0) / 4)  # the tie counts half
    assert a["kl"]["value"] == pytest.approx((2 + 0.5 + 1 + 0.5) / 4)
    assert a["reward"]["tuned"]["value"] == pytest.approx(1.5) and a["reward"]["base"]["value"] == pytest.approx(1.0)
    assert a["task"]["drop"] == pytest.approx(0.125)
    assert a["greedy"]["win_rate"]["value"] == pytest.approx((0.5 + 0.5 + 0.5 + 0) / 4)  # greedy beside, apart
    low, high = a["win_rate"]["ci"]
    assert 0 <= low <= a["win_rate"]["value"] <= high <= 1
    assert a["examples"][0] == {"prompt": "q0", "tuned": "a", "base": "e", "tuned_reward": 1.0, "base_reward": 0.0}


@pytest.mark.parametrize(
    "gate, passed",
    [
        ({"min_win_rate": 0.6}, True),
        ({"min_win_rate": 0.7}, False),
        ({"max_kl": 1.0}, True),
        ({"max_kl": 0.9}, False),
        ({"max_task_drop": 0.05}, False),
        ({"max_task_drop": 0.2}, True),
    ],
)
def test_the_gate_reads_win_rate_kl_and_task_drop(gate, passed):
    config = Config.model_validate({"align": {"reward_model": "rm", "task_run": "runs/sft"}, "gate": gate})
    results = {"objective": "dpo", "models": {"tuned": {}}, "alignment": _report(config)}
    assert check_gate(results, config)["passed"] is passed


def test_an_alignment_gate_without_a_judge_is_not_passed_on_silence():
    config = Config.model_validate({"gate": {"min_win_rate": 0.5}})
    checks = check_gate({"objective": "dpo", "models": {"tuned": {}}}, config)["checks"]
    assert checks == [
        {"check": "min_win_rate", "value": None, "threshold": 0.5, "op": ">=", "passed": False, "note": "not measured"}
    ]
