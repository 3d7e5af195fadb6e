"""Each speed switch leaves the loss as it was: the same tiny run with the switch on and off."""

import json

import pytest

from afina.cli import main
from afina.hardware import native_bf16, use_bf16
from conftest import write_config

pytestmark = pytest.mark.slow


def _losses(tmp_path, name, **train):
    work = tmp_path / name
    work.mkdir()
    config = write_config(work, train={"max_steps": 8, "eval_steps": 4, "learning_rate": 5e-3, **train})
    assert main(["run", str(config), "--quiet"]) == 0
    lines = [json.loads(l) for l in (work / "runs" / "tiny" / "metrics.jsonl").read_text().splitlines()]
    return [l["loss"] for l in lines if "loss" in l], [l["eval_loss"] for l in lines if "eval_loss" in l]


def test_activation_checkpointing_changes_no_loss(tiny_base, tmp_path):
    off = _losses(tmp_path, "off", activation_checkpointing=False, bf16=False)
    on = _losses(tmp_path, "on", activation_checkpointing=True, bf16=False)
    assert on[0] == pytest.approx(off[0], rel=1e-5) and on[1] == pytest.approx(off[1], rel=1e-5)


def test_bf16_autocast_keeps_the_loss_within_one_percent(tiny_base, tmp_path):
    fp32 = _losses(tmp_path, "fp32", bf16=False)
    bf16 = _losses(tmp_path, "bf16", bf16=True)
    assert bf16[0] == pytest.approx(fp32[0], rel=0.01) and bf16[1] == pytest.approx(fp32[1], rel=0.01)


def test_bf16_auto_follows_the_hardware():
    assert use_bf16("auto") == native_bf16()
    assert use_bf16(True) is True and use_bf16(False) is False
