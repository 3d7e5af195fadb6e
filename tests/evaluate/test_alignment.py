"""The alignment report from fixed numbers: win rate with ties as half, KL as the mean log-ratio of the
policy's own samples, the task's drop, and the gate keys that read them."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from afina.config import Config
from afina.evaluate import alignment
from afina.evaluate.gate import check_gate
from afina.evaluate.judge import prefers
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


def test_several_samples_per_prompt_are_averaged_per_prompt():
    config = Config.model_validate({"align": {"reward_model": "rm", "eval_samples": 2}})
    prompts = [[{"role": "user", "content": f"q{i}"}] for i in range(2)]
    context = {"prompts": prompts, "judge_accuracy": None}
    tuned = {"answers": list("abcd"), "rewards": [1.0, 1.0, 3.0, 0.0], "logprobs": [-1.0, -1.0, -1.0, -1.0]}
    base = {"answers": list("efgh"), "rewards": [0.0, 1.0, 1.0, 1.0], "logprobs": [-2.0, -2.0, -4.0, -1.0]}
    for m in (tuned, base):
        m |= {"greedy_answers": list("ab"), "greedy_rewards": [1.0, 1.0]}
    a = alignment.report(tuned, base, context, config, "token_f1")
    assert a["samples_per_prompt"] == 2 and a["prompts"] == 2
    assert a["win_rate"]["value"] == pytest.approx(((1 + 0.5) / 2 + (1 + 0) / 2) / 2)
    assert a["kl"]["value"] == pytest.approx(((1 + 1) / 2 + (3 + 0) / 2) / 2)
    assert [x["tuned"] for x in a["examples"]] == ["a", "c"]  # each prompt's first sample
    assert a["examples"][1]["base_reward"] == 1.0
    assert a["samples"][1] == {  # every sample, grouped by prompt
        "prompt": "q1",
        "tuned": ["c", "d"],
        "base": ["g", "h"],
        "tuned_rewards": [3.0, 0.0],
        "base_rewards": [1.0, 1.0],
    }


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


class _Judge(BaseHTTPRequestHandler):
    """Prefers the answer that gives a price in euros; with `biased`, always says A."""

    biased = False

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        text = body["messages"][-1]["content"]
        first = text.split("Answer A:\n")[1].split("\n\nAnswer B:")[0]
        verdict = "A" if self.biased or "euros" in first else "B"
        reply = json.dumps({"choices": [{"message": {"role": "assistant", "content": verdict}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = HTTPServer(("127.0.0.1", 0), _Judge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()
    _Judge.biased = False


def test_an_endpoint_judges_in_both_orders_and_a_position_bias_cancels(endpoint):
    config = Config.model_validate({"align": {"reward_model": "rm", "judge": {"url": endpoint, "model": "j"}}})
    judge = config.align.judge
    assert prefers(judge, "¿Precio?", "Cuesta 89 euros.", "No lo sé.") == 1.0
    assert prefers(judge, "¿Precio?", "No lo sé.", "Cuesta 89 euros.") == 0.0
    _Judge.biased = True  # "A" whatever the answers: the two orders disagree, half a win
    assert prefers(judge, "¿Precio?", "No lo sé.", "Cuesta 89 euros.") == 0.5


def test_the_endpoint_win_rate_and_agreement_join_the_report(endpoint):
    config = Config.model_validate({"align": {"reward_model": "rm", "judge": {"url": endpoint, "model": "j"}}})
    prompts = [[{"role": "user", "content": f"q{i}"}] for i in range(2)]
    pairs = [("q0", "89 euros.", "No lo sé."), ("q1", "Míralo en la web.", "35 euros.")]
    context = {"prompts": prompts, "pairs": pairs, "judge_accuracy": None}
    tuned = {"answers": ["89 euros.", "no", "35 euros.", "35 euros."], "rewards": [1.0] * 4, "logprobs": [0.0] * 4}
    base = {"answers": ["no", "no", "no", "35 euros."], "rewards": [1.0] * 4, "logprobs": [0.0] * 4}
    for m in (tuned, base):
        m |= {"greedy_answers": ["a", "b"], "greedy_rewards": [1.0, 1.0]}
    ep = alignment.report(tuned, base, context, config, "token_f1")["endpoint"]
    # prompt 0: a win and a tie of equals (both orders say the other one); prompt 1: a win and a tie
    assert ep["win_rate"]["value"] == pytest.approx(((1 + 0.5) / 2 + (1 + 0.5) / 2) / 2)
    assert ep["agreement"] == 0.5 and ep["pairs"] == 2  # it prefers euros: right on one pair, wrong on the other
