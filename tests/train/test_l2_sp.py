"""L2-SP: the pull toward the starting weights is zero at the start, positive away from it, and does what
its formula says after every optimizer step."""

import json
from types import SimpleNamespace

import pytest
import torch
from safetensors.torch import load_file

from afina.cli import main
from afina.config import load_config
from afina.errors import ConfigError
from afina.train.l2_sp import PullToStart

from conftest import write_config


def test_the_term_is_zero_at_the_start_and_positive_away_from_it():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    model.bias.requires_grad_(False)  # frozen weights are neither remembered nor pulled
    pull = PullToStart(model, strength=0.5)
    assert pull.distance() == 0.0 and pull.penalty() == 0.0
    with torch.no_grad():
        model.weight += 0.1
        model.bias += 1.0
    assert abs(pull.distance() - 6 * 0.1**2) < 1e-6 and abs(pull.penalty() - 0.25 * 6 * 0.1**2) < 1e-6


def test_each_optimizer_step_pulls_back_by_lr_times_strength_times_the_distance():
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 2)
    start = model.weight.detach().clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    pull = PullToStart(model, strength=2.0)
    model(torch.randn(4, 3)).pow(2).sum().backward()
    optimizer.step()
    stepped = model.weight.detach().clone()
    pull.on_optimizer_step(None, SimpleNamespace(global_step=0), None, optimizer=optimizer)
    torch.testing.assert_close(model.weight.detach(), stepped - 0.1 * 2.0 * (stepped - start))
    logs = {"loss": 1.0}
    pull.on_log(None, SimpleNamespace(), None, logs=logs)
    assert logs["l2_sp_distance"] == pull.distance() > 0


def _distance_from_base(run_dir, tiny_base):
    base, tuned = load_file(tiny_base / "model.safetensors"), load_file(run_dir / "model" / "model.safetensors")
    return sum(float(((tuned[k].float() - base[k].float()) ** 2).sum()) for k in tuned)


def test_full_fine_tuning_with_l2_sp_ends_nearer_its_base(tiny_base, tmp_path):
    distances = {}
    for strength in (0.0, 50.0):
        (tmp_path / str(strength)).mkdir()
        path = write_config(
            tmp_path / str(strength),
            method={"name": "full"},
            train={"max_steps": 10, "eval_steps": 5, "learning_rate": 2e-3, "l2_sp": strength},
        )
        assert main(["run", str(path), "--quiet", "--set", "evaluate.compare_base=false"]) == 0
        run_dir = tmp_path / str(strength) / "runs" / "tiny"
        distances[strength] = _distance_from_base(run_dir, tiny_base)
        logged = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
        assert any("l2_sp_distance" in line for line in logged) == (strength > 0)
    assert 0 < distances[50.0] < 0.8 * distances[0.0]


def test_a_step_the_guard_skipped_is_not_pulled_and_unseen_weights_are_refused():
    model = torch.nn.Linear(3, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    skipped = []
    pull = PullToStart(model, strength=1.0, skipped=skipped)
    with torch.no_grad():
        model.weight += 1.0
    moved = model.weight.detach().clone()
    skipped.append(5)  # the guard did not apply step 5
    pull.on_optimizer_step(None, SimpleNamespace(global_step=4), None, optimizer=optimizer)
    assert torch.equal(model.weight, moved)
    pull.on_optimizer_step(None, SimpleNamespace(global_step=5), None, optimizer=optimizer)
    assert pull.distance() < 6 * 1.0
    flattened = torch.optim.SGD([torch.nn.Parameter(torch.zeros(2))], lr=0.1)  # as FSDP's own parameters
    with pytest.raises(RuntimeError, match="found 0 of the 2 trainable weights"):
        PullToStart(model, strength=1.0).on_optimizer_step(
            None, SimpleNamespace(global_step=0), None, optimizer=flattened
        )


def test_a_pull_that_would_overshoot_the_start_is_refused():
    with pytest.raises(ConfigError, match="train.l2_sp"):
        load_config(None, ["train.learning_rate=1e-3", "train.l2_sp=600"])
    assert load_config(None, ["train.learning_rate=1e-3", "train.l2_sp=10"]).train.l2_sp == 10
