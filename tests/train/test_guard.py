"""A non-finite loss never reaches the weights: the steps it poisons are skipped and recorded, and past
`train.max_nonfinite_steps` the run stops with an error naming them, having saved nothing."""

import json

import pytest
import torch
from transformers import TrainerCallback

from afina.config import load_config
from afina.pipeline import Options, stage_prepare, stage_train
from afina.train.guard import TrainingDiverged

from conftest import write_config

pytestmark = pytest.mark.slow


class PoisonSteps(TrainerCallback):
    """Makes the training forward pass of the given steps produce NaN (evaluation stays finite)."""

    def __init__(self, steps):
        self.steps, self.on = set(steps), False

    def on_train_begin(self, args, state, control, model=None, **kwargs):
        model.get_input_embeddings().register_forward_hook(lambda m, i, out: out * float("nan") if self.on else None)

    def on_step_begin(self, args, state, control, **kwargs):
        self.on = state.global_step + 1 in self.steps

    def on_step_end(self, args, state, control, **kwargs):
        self.on = False


def _config(tmp_path, limit):
    path = write_config(tmp_path, train={"max_steps": 8, "eval_steps": 4, "max_nonfinite_steps": limit})
    config = load_config(path)
    stage_prepare(config, Options(quiet=True))
    return config


def test_steps_with_a_nan_loss_are_skipped_and_the_adapter_stays_finite(tiny_base, tmp_path):
    from safetensors.torch import load_file

    config = _config(tmp_path, limit=3)
    summary = stage_train(config, Options(quiet=True, callbacks=(PoisonSteps({3, 4}),)))
    assert summary.skipped_steps == [3, 4] and summary.global_step == 8
    weights = load_file(config.run.result() / "adapter_model.safetensors")
    assert weights and all(torch.isfinite(w).all() for w in weights.values())
    logged = [json.loads(line) for line in config.run.metrics.read_text().splitlines()]
    assert all(line["eval_loss"] == line["eval_loss"] for line in logged if "eval_loss" in line)  # never NaN


def test_too_many_nan_steps_stop_the_run_naming_them_and_save_nothing(tiny_base, tmp_path):
    config = _config(tmp_path, limit=2)
    with pytest.raises(TrainingDiverged, match=r"steps 2, 3, 4: more than train.max_nonfinite_steps=2"):
        stage_train(config, Options(quiet=True, callbacks=(PoisonSteps(range(2, 9)),)))
    assert not (config.run_dir / "adapter").exists() and not config.run.train_summary.exists()
