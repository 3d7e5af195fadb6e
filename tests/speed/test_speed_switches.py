"""Each speed switch leaves the loss as it was: the same tiny run with the switch on and off."""

import json

import pytest
import torch

from afina.cli import main
from afina.hardware import native_bf16, use_bf16
from afina.speed import SpeedConfig

from conftest import write_config

pytestmark = pytest.mark.slow


SPEED = tuple(SpeedConfig.model_fields)  # the speed: section; any other setting goes to train:


def _losses(tmp_path, name, **settings):
    """The training and validation losses of a tiny run; `settings` go to `speed:` or `train:` by name."""
    work = tmp_path / name
    work.mkdir()
    speed = {k: v for k, v in settings.items() if k in SPEED}
    train = {k: v for k, v in settings.items() if k not in SPEED}
    config = write_config(work, train={"max_steps": 8, "eval_steps": 4, "learning_rate": 5e-3, **train}, speed=speed)
    assert main(["run", str(config), "--quiet"]) == 0
    lines = [json.loads(line) for line in (work / "runs" / "tiny" / "metrics.jsonl").read_text().splitlines()]
    return [line["loss"] for line in lines if "loss" in line], [
        line["eval_loss"] for line in lines if "eval_loss" in line
    ]


def _on_and_off(tmp_path, switch, rel, **train) -> dict:
    """The training and validation losses with `switch` off and on agree within `rel`; returns the
    speed switches that were on in the run with it on."""
    off = _losses(tmp_path, "off", **{switch: False}, **train)
    on = _losses(tmp_path, "on", **{switch: True}, **train)
    assert on[0] == pytest.approx(off[0], rel=rel) and on[1] == pytest.approx(off[1], rel=rel)
    return json.loads((tmp_path / "on" / "runs" / "tiny" / "train_summary.json").read_text())["speed"]


def test_activation_checkpointing_changes_no_loss(tiny_base, tmp_path):
    # its recomputation runs the last layer whole: the answer-only last layer stays off with it
    assert _on_and_off(tmp_path, "activation_checkpointing", 1e-5, bf16=False)["answer_last_layer"] is False


def test_switches_follow_the_trainer_arguments_that_train_trl_overrides(tiny_base, tmp_path):
    """`train.trl` goes over afina's own arguments: with bf16 turned off there, the frozen weights must not
    be rounded to bf16 for an fp32 run, and with checkpointing turned on, the last layer must run whole."""
    from afina.config import load_config
    from afina.pipeline import Options, stage_prepare
    from afina.train import build_trainer

    path = write_config(tmp_path, train={"bf16": True, "trl": {"bf16": False, "gradient_checkpointing": True}})
    config = load_config(path)
    stage_prepare(config, Options(quiet=True))
    built = build_trainer(config, config.run, quiet=True)
    assert built.bf16 is False and built.trainer.args.bf16 is False
    assert built.switched.frozen_bf16_parameters == 0 and built.switched.answer_last_layer is False
    weights = [m.weight for m in built.trainer.model.modules() if type(m) is torch.nn.Linear]
    assert weights and all(w.dtype == torch.float32 for w in weights)


def test_bf16_autocast_keeps_the_loss_within_one_percent(tiny_base, tmp_path):
    fp32 = _losses(tmp_path, "fp32", bf16=False)
    bf16 = _losses(tmp_path, "bf16", bf16=True)
    assert bf16[0] == pytest.approx(fp32[0], rel=0.01) and bf16[1] == pytest.approx(fp32[1], rel=0.01)


def test_padding_free_batches_change_no_loss(tiny_base, tmp_path):
    assert _on_and_off(tmp_path, "padding_free", 1e-4, bf16=False)["padding_free"] is True


def test_answer_only_logits_change_no_loss_nor_the_logged_metrics(tiny_base, tmp_path):
    assert _on_and_off(tmp_path, "answer_logits", 1e-5, bf16=False)["answer_logits"] is True
    logged = {}
    for name in ("off", "on"):
        lines = [
            json.loads(line) for line in (tmp_path / name / "runs" / "tiny" / "metrics.jsonl").read_text().splitlines()
        ]
        logged[name] = [(line["entropy"], line["mean_token_accuracy"]) for line in lines if "entropy" in line]
    # TRL's num_tokens: the real tokens, as Trainer's num_input_tokens_seen counts them (no filler)
    assert all(line["num_tokens"] == line["num_input_tokens_seen"] for line in lines if "num_tokens" in line)
    assert len(logged["on"]) == len(logged["off"]) > 0
    for got, want in zip(logged["on"], logged["off"]):
        assert got == pytest.approx(want, rel=1e-4)


def test_answer_only_last_layer_changes_no_loss(tiny_base, tmp_path):
    assert _on_and_off(tmp_path, "answer_last_layer", 1e-5, bf16=False)["answer_last_layer"] is True


def test_a_larger_evaluation_batch_changes_no_loss(tiny_base, tmp_path):
    # the default (the larger of batch_size and 16) against the training batch size; the validation loss is
    # the mean of the batches' token means, so another grouping of the examples moves it by a little
    default = _losses(tmp_path, "default", batch_size=4)
    small = _losses(tmp_path, "small", batch_size=4, eval_batch_size=4)
    assert default[0] == pytest.approx(small[0], rel=1e-6) and default[1] == pytest.approx(small[1], rel=1e-3)
    assert default[1] != small[1]  # 16 examples per evaluation batch, not 4: another grouping


@pytest.mark.parametrize("batch_size, eval_batch_size, expected", [(4, None, 16), (32, None, 32), (4, 2, 2)])
def test_the_evaluation_batch_is_at_least_16_unless_set(tmp_path, batch_size, eval_batch_size, expected):
    from afina.config import Config
    from afina.train.args import training_args

    from conftest import tiny_config

    config = Config.model_validate(
        tiny_config(tmp_path, train={"batch_size": batch_size, "eval_batch_size": eval_batch_size})
    )
    assert training_args(config, tmp_path, True, True)["per_device_eval_batch_size"] == expected


@pytest.mark.parametrize(
    "method, setting, expected",
    [
        ("lora", None, False),
        ("qlora", None, True),
        ("qlora", False, False),
        ("lora", True, True),
        ("qlora", {"gradient_checkpointing": False}, False),  # TRL's name for it, in train.trl
    ],
)
def test_activation_checkpointing_is_the_methods_choice_unless_set(tmp_path, method, setting, expected):
    """QLoRA, chosen to save memory, recomputes activations by default; the others do not; a setting wins."""
    from afina.config import Config
    from afina.train.args import training_args

    from conftest import tiny_config

    train = {"trl": setting} if isinstance(setting, dict) else {"activation_checkpointing": setting}
    config = Config.model_validate(tiny_config(tmp_path, method={"name": method}, train=train))
    assert training_args(config, tmp_path, True, True)["activation_checkpointing"] is expected


def test_frozen_weights_in_bf16_change_no_loss(tiny_base, tmp_path):
    assert _on_and_off(tmp_path, "frozen_bf16", 1e-6, bf16=True)["frozen_bf16_parameters"] > 0


def test_fused_lora_layers_change_no_loss(tiny_base, tmp_path):
    assert _on_and_off(tmp_path, "fused_lora", 1e-5, bf16=False)["fused_lora_layers"] > 0


def test_fused_lora_layers_under_bf16_keep_the_loss_within_bf16_rounding(tiny_base, tmp_path):
    # bf16 rounds in other places (one rounding of the sum instead of three): as close as bf16 itself is to fp32
    assert _on_and_off(tmp_path, "fused_lora", 2e-3, bf16=True)["fused_lora_layers"] > 0


def test_fused_attention_changes_no_loss(tiny_base, tmp_path):
    assert _on_and_off(tmp_path, "fused_attention", 1e-5, bf16=False)["fused_attention_layers"] > 0


def test_fused_norm_changes_no_loss(tiny_base, tmp_path):
    assert _on_and_off(tmp_path, "fused_norm", 1e-5, bf16=False)["fused_norm_layers"] > 0


def test_frozen_weights_stay_fp32_where_the_artifact_saves_them(tiny_base, tmp_path):
    """`freeze` saves the whole model: its frozen layers must come out as they went in, not rounded to bf16."""
    from safetensors.torch import load_file

    config = write_config(
        tmp_path,
        method={"name": "freeze", "trainable_layers": 1},
        train={"max_steps": 2, "eval_steps": 2, "bf16": True},
    )
    assert main(["run", str(config), "--quiet"]) == 0
    summary = json.loads((tmp_path / "runs" / "tiny" / "train_summary.json").read_text())
    assert summary["speed"]["frozen_bf16_parameters"] == 0
    saved = load_file(tmp_path / "runs" / "tiny" / "model" / "model.safetensors")
    base = load_file(tiny_base / "model.safetensors")
    assert {tensor.dtype for tensor in saved.values()} == {torch.float32}
    unchanged = [name for name in base if name in saved and torch.equal(saved[name], base[name])]
    assert any(".layers.0." in name for name in unchanged)  # the frozen first layer, bit for bit


def test_bf16_auto_follows_the_hardware():
    assert use_bf16("auto") == native_bf16()
    assert use_bf16(True) is True and use_bf16(False) is False


def test_plain_attention_changes_no_loss(tiny_base, monkeypatch, tmp_path):
    from afina.speed import fused_attention

    monkeypatch.setitem(fused_attention.PLAIN, "work", 1)  # the tiny model's examples have too little work for it
    summary = _on_and_off(tmp_path, "plain_attention", 1e-5, bf16=False)
    assert summary["plain_attention"] is True and summary["fused_attention_layers"] > 0
