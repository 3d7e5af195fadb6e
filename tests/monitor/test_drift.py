"""The monitor: its statistics on inputs whose answer is known, then on a tiny run: shifted inputs are
flagged (exit 4), a held-out sample of the training distribution is not, and over 20 such windows at most
one is flagged at the default thresholds."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from afina.cli import main
from afina.monitor.drift import mmd_test, oov_rate, psi

from conftest import write_config

SHIFTED = [
    "Do you sell gaming laptops with RTX graphics?", "What is the battery life of the new phone?",
    "Can I pay with Bitcoin?", "¿Vendéis freidoras de aire de la marca Nube?", "¿Cuánto cuesta la freidora Nube XL?",
    "How long is shipping to Germany?", "Is the store open on Christmas day?", "¿Tenéis robots aspiradores?",
    "I want to return my headphones, they broke", "What's your refund policy for software licences?",
]  # fmt: skip


def test_the_statistics_separate_shifted_samples_from_same_ones():
    rng = np.random.default_rng(0)
    train = rng.normal(size=(300, 16))
    same_p = [mmd_test(train, rng.normal(size=(30, 16)), 300, seed)[1] for seed in range(20)]
    assert sum(p < 0.01 for p in same_p) <= 1
    assert mmd_test(train, rng.normal(size=(30, 16)) + 0.5, 300, 0)[1] < 0.01
    lengths = rng.poisson(20, 500)
    same = [psi(lengths, rng.poisson(20, 30)) for _ in range(100)]
    assert sum(value > 0.25 and p < 0.01 for value, p in same) <= 2  # PSI alone passes 0.25 more often
    value, p = psi(lengths, rng.poisson(30, 30))
    assert value > 0.25 and p < 0.01
    assert oov_rate({"la", "cafetera"}, ["La cafetera Brisa"]) == pytest.approx(1 / 3)
    assert psi(np.full(100, 7), np.full(30, 20))[0] > 0.25  # training lengths of one value: still measured


@pytest.fixture(scope="module")
def tiny_run(tiny_base, tmp_path_factory):
    folder = tmp_path_factory.mktemp("monitored")
    config = write_config(folder, train={"max_steps": 12, "eval_steps": 6, "batch_size": 8, "learning_rate": 5e-3,
                                         "bf16": False}, registry={"url": f"sqlite:///{folder / 'r.db'}"})  # fmt: skip
    assert main(["prepare", str(config), "--quiet"]) == 0
    assert main(["train", str(config), "--quiet"]) == 0
    return config, folder / "runs" / "tiny"


def _write(path, prompts):
    path.write_text("".join(json.dumps({"prompt": p}, ensure_ascii=False) + "\n" for p in prompts))
    return path


@pytest.mark.slow
def test_shifted_inputs_are_flagged_and_held_out_ones_are_not(tiny_run, tmp_path):
    config, run = tiny_run
    held_out = [r["prompt"] for r in map(json.loads, (run / "data" / "test.jsonl").read_text().splitlines())]
    assert main(["monitor", str(config), "--input", str(_write(tmp_path / "same.jsonl", held_out)), "--quiet"]) == 0
    drift = json.loads((run / "monitor" / "drift.json").read_text())
    assert not drift["drifted"] and drift["inputs"]["count"] == len(held_out)

    rng = random.Random(0)
    shifted = [rng.choice(SHIFTED) for _ in range(30)]
    assert main(["monitor", str(config), "--input", str(_write(tmp_path / "new.jsonl", shifted)), "--quiet"]) == 4
    drift = json.loads((run / "monitor" / "drift.json").read_text())
    flagged = {c["check"] for c in drift["checks"] if c["drifted"]}
    assert drift["drifted"] and {"embedding_p_value", "oov_increase"} <= flagged, drift["checks"]
    assert drift["clusters"]["outside_share"] > 0.2
    assert "Drift: drifted" in (run / "monitor" / "report.html").read_text()


@pytest.mark.slow
def test_twenty_windows_of_the_training_distribution_flag_at_most_one(tiny_run, tmp_path):
    from afina.config import load_config
    from afina.monitor import run_monitor

    config_path, run = tiny_run
    config = load_config(config_path)
    held_out = [r["prompt"] for r in map(json.loads, (run / "data" / "test.jsonl").read_text().splitlines())]
    rng = random.Random(1)
    flagged = []
    for window in range(20):
        path = _write(tmp_path / f"w{window}.jsonl", rng.sample(held_out, 25))
        flagged.append(run_monitor(config, path)["drifted"])
    assert sum(flagged) <= 1, flagged


def test_a_row_without_a_prompt_is_named(tiny_run, tmp_path):
    config, _ = tiny_run
    path = tmp_path / "bad.jsonl"
    path.write_text('{"prompt": "hola"}\n{"answer": "sin pregunta"}\n')
    assert main(["monitor", str(config), "--input", str(path)]) == 2


def test_the_request_log_gives_the_runs_successful_prompts_and_counts_the_rest(tmp_path):
    from afina.monitor import production_inputs

    log = tmp_path / "requests.jsonl"
    rows = [
        {"model": "tiny", "status": 200, "prompt": "¿Cuánto cuesta la cafetera Brisa?", "answers": ["89 euros."]},
        {"model": "other", "status": 200, "prompt": "Hola"},
        {"model": "tiny", "status": 499, "prompt": "¿Horario?"},
        {"model": "tiny", "status": 200, "prompt": "Soy [EMAIL], ¿y mi pedido?"},
    ]
    log.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    texts, left_out = production_inputs(log, "tiny", {})
    assert texts == ["¿Cuánto cuesta la cafetera Brisa?", "Soy [EMAIL], ¿y mi pedido?"]
    assert left_out == {"other_models": 1, "failed_requests": 1}
    chats = tmp_path / "chats.jsonl"
    chats.write_text(json.dumps({"messages": [{"role": "user", "content": "A"}, {"role": "assistant", "content": "B"},
                                              {"role": "user", "content": "C"}]}) + "\n")  # fmt: skip
    assert production_inputs(chats, "tiny", {})[0] == ["C"]  # a conversation's last user message
