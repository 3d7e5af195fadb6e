"""A training process killed mid-run continues from its last checkpoint with `--resume`."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from afina.cli import main

from conftest import write_config

pytestmark = pytest.mark.slow
HERE = Path(__file__).parent


def _metrics(run_dir):
    return [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]


def test_killed_training_resumes_from_last_checkpoint(tiny_base, tmp_path):
    train = {"max_steps": 24, "eval_steps": 8, "learning_rate": 5e-3, "early_stopping_patience": None}
    killed_dir, whole_dir = tmp_path / "killed", tmp_path / "whole"
    killed_dir.mkdir(), whole_dir.mkdir()
    killed_cfg = write_config(killed_dir, train=train)
    whole_cfg = write_config(whole_dir, train=train)
    for cfg in (killed_cfg, whole_cfg):
        assert main(["prepare", str(cfg), "--quiet"]) == 0

    proc = subprocess.run(
        [sys.executable, str(HERE / "killed_train.py"), str(killed_cfg), "16"],
        env={**os.environ, "PYTHONPATH": str(HERE.parent)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    run_dir = killed_dir / "runs" / "tiny"
    assert not (run_dir / "adapter").exists()  # nothing that looks finished
    assert sorted(p.name for p in (run_dir / "checkpoints").glob("checkpoint-*")) == ["checkpoint-16", "checkpoint-8"]

    assert main(["train", str(killed_cfg), "--resume", "--quiet"]) == 0
    assert main(["train", str(whole_cfg), "--quiet"]) == 0

    summary = json.loads((run_dir / "train_summary.json").read_text())
    assert summary["global_step"] == 24 and summary["resumed_from"].endswith("checkpoint-16")
    resumed, whole = _metrics(run_dir), _metrics(whole_dir / "runs" / "tiny")
    steps = [m["step"] for m in resumed if "loss" in m]
    assert steps == sorted(set(steps)) and steps[-1] == 24  # no step logged twice after the resume
    final = lambda ms: [m["loss"] for m in ms if "loss" in m][-1]  # noqa: E731
    assert final(resumed) == pytest.approx(final(whole), rel=0.02)
    final_eval = lambda ms: [m["eval_loss"] for m in ms if "eval_loss" in m][-1]  # noqa: E731
    assert final_eval(resumed) == pytest.approx(final_eval(whole), rel=0.02)
