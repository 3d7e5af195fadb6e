"""`afina train` under `torchrun --standalone` with two CPU processes (gloo) trains what one process trains
with the same global batch (gradient accumulation): the same loss at every step and the same adapter; rank 0
alone writes the run folder's artifacts and the registry, once."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file

from afina.cli import main
from afina.registry import Registry

from conftest import write_config


def _losses(run):
    rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    return [(r["step"], r["loss"]) for r in rows if "loss" in r]


@pytest.mark.slow
def test_two_processes_train_what_one_does_with_the_same_global_batch(tiny_base, tmp_path):
    registry = {"url": f"sqlite:///{tmp_path / 'r.db'}"}
    train = {"max_steps": 6, "eval_steps": 3, "batch_size": 4, "gradient_accumulation_steps": 2, "bf16": False}
    path = write_config(tmp_path, registry=registry, train=train)
    assert main(["prepare", str(path), "--quiet"]) == 0
    runs = tmp_path / "runs"
    shutil.copytree(runs / "tiny" / "data", runs / "ddp" / "data")  # the same splits for both
    assert main(["train", str(path), "--quiet"]) == 0

    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2"]
    args = ["-m", "afina", "train", str(path), "--quiet", "--set", "name=ddp",
            "--set", "train.gradient_accumulation_steps=1"]  # fmt: skip
    done = subprocess.run([*torchrun, *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("Trained 6 steps") == 1  # rank 0 reports; the other rank only trains

    one, two = _losses(runs / "tiny"), _losses(runs / "ddp")
    assert [s for s, _ in one] == [s for s, _ in two] and len(one) == 6
    assert all(abs(a - b) <= 1e-4 * abs(a) for (_, a), (_, b) in zip(one, two)), (one, two)
    single, ddp = (load_file(runs / r / "adapter" / "adapter_model.safetensors") for r in ("tiny", "ddp"))
    assert single.keys() == ddp.keys()
    assert all(torch.allclose(single[k], ddp[k], atol=1e-5) for k in single)

    reg = Registry(registry["url"])
    [run] = [r for r in reg.runs() if r.name == "ddp"]
    assert reg.statuses(run.id) == ["trained"] and len(reg.models(run.id)) == 1


def test_a_stage_that_writes_for_the_whole_run_refuses_a_launch_of_several(tmp_path, monkeypatch, capsys):
    path = write_config(tmp_path)
    monkeypatch.setenv("WORLD_SIZE", "2")
    assert main(["prepare", str(path), "--quiet"]) == 2
    assert "afina prepare runs in one process" in capsys.readouterr().err
