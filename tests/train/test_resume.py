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


def _checkpoint(folder, step: int):
    """A complete checkpoint as the trainer writes it: weights, optimizer, then trainer_state.json last."""
    import torch
    from safetensors.torch import save_file

    path = folder / "checkpoints" / f"checkpoint-{step}"
    path.mkdir(parents=True)
    save_file({"w": torch.ones(4)}, str(path / "adapter_model.safetensors"))
    torch.save({"state": {}}, path / "optimizer.pt")
    (path / "trainer_state.json").write_text(json.dumps({"global_step": step}))
    return path


@pytest.mark.parametrize("torn", ["trainer_state.json", "adapter_model.safetensors", "optimizer.pt"])
def test_resume_passes_over_a_checkpoint_torn_by_a_kill(tmp_path, torn):
    from afina.runfolder import RunFolder
    from afina.train import latest_checkpoint

    _checkpoint(tmp_path, 8)
    newest = _checkpoint(tmp_path, 16)
    data = (newest / torn).read_bytes()
    (newest / torn).write_bytes(data[: len(data) // 2])  # the kill came in the middle of this write
    assert latest_checkpoint(RunFolder(tmp_path)).name == "checkpoint-8"
    (newest / torn).write_bytes(data)
    assert latest_checkpoint(RunFolder(tmp_path)).name == "checkpoint-16"


def test_resume_with_no_complete_checkpoint_deletes_nothing(tiny_base, tmp_path, capsys):
    config = write_config(tmp_path)
    assert main(["prepare", str(config), "--quiet"]) == 0
    torn = _checkpoint(tmp_path / "runs" / "tiny", 8)
    (torn / "trainer_state.json").write_text('{"global_st')
    assert main(["train", str(config), "--resume", "--quiet"]) == 2
    assert "none this release can tell is complete" in capsys.readouterr().err
    assert (torn / "adapter_model.safetensors").is_file()  # left where it was


def test_a_torn_last_metrics_line_is_dropped_on_resume(tmp_path):
    from afina.train.callbacks import truncate_metrics

    path = tmp_path / "metrics.jsonl"
    lines = [json.dumps({"step": s, "loss": 1.0 / s}) for s in (2, 4, 6, 8)]
    path.write_text("\n".join(lines) + "\n" + lines[-1][:9], encoding="utf-8")  # killed while writing
    truncate_metrics(path, 6)
    assert [json.loads(line)["step"] for line in path.read_text().splitlines()] == [2, 4, 6]


def test_sigterm_saves_a_checkpoint_stops_with_143_and_resumes(tiny_base, tmp_path):
    from transformers import TrainerCallback

    from afina.config import load_config
    from afina.errors import TrainingStopped
    from afina.pipeline import Options, stage_prepare, stage_train

    class Terminate(TrainerCallback):  # what a scheduler does to a job it preempts
        def on_step_begin(self, args, state, control, **kwargs):
            if state.global_step + 1 == 5:
                os.kill(os.getpid(), signal.SIGTERM)

    config = load_config(write_config(tmp_path, train={"max_steps": 12, "eval_steps": 8}))
    stage_prepare(config, Options(quiet=True))
    with pytest.raises(TrainingStopped, match="SIGTERM at step 5") as info:
        stage_train(config, Options(quiet=True, callbacks=(Terminate(),)))
    assert info.value.exit_code == 143
    assert (config.run.checkpoints / "checkpoint-5" / "trainer_state.json").is_file()
    assert not (config.run_dir / "adapter").exists() and not config.run.train_summary.exists()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is the trainer's only while it trains
    assert main(["train", str(config.run.config), "--resume", "--quiet"]) == 0
    summary = json.loads(config.run.train_summary.read_text())
    assert summary["global_step"] == 12 and summary["resumed_from"].endswith("checkpoint-5")
