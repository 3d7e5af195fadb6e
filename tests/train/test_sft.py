"""Training a tiny model through the stages: loss falls, artifacts are standard, lineage is recorded."""

import json

import pytest
import torch
from transformers import AutoModelForCausalLM

from afina.cli import main
from afina.registry import open_registry

from conftest import write_config


def _losses(run_dir):
    lines = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    return [line["loss"] for line in lines if "loss" in line], [
        line["eval_loss"] for line in lines if "eval_loss" in line
    ]


@pytest.mark.parametrize("method", [{"name": "lora", "r": 8, "alpha": 16}, {"name": "full"}])
def test_training_lowers_the_loss_and_writes_a_standard_artifact(method, tiny_base, tmp_path):
    registry_url = f"sqlite:///{tmp_path / 'registry.db'}"
    config = write_config(
        tmp_path,
        method=method,
        registry={"url": registry_url},
        train={"max_steps": 16, "eval_steps": 8, "learning_rate": 5e-3 if method["name"] == "lora" else 2e-3},
    )
    assert main(["prepare", str(config), "--quiet"]) == 0
    assert main(["train", str(config), "--quiet"]) == 0

    run_dir = tmp_path / "runs" / "tiny"
    train_losses, eval_losses = _losses(run_dir)
    assert train_losses[-1] < train_losses[0] and eval_losses[-1] < eval_losses[0]
    summary = json.loads((run_dir / "train_summary.json").read_text())
    assert summary["global_step"] == 16
    assert (run_dir / "tensorboard").is_dir() and any((run_dir / "tensorboard").iterdir())

    registry = open_registry(registry_url)
    [run] = registry.runs()
    [model] = registry.models(run.id)
    assert run.status == "trained" and run.method == method["name"]
    assert model.parent == str(tiny_base)  # lineage: base → run → artifact
    if method["name"] == "lora":
        from peft import PeftModel

        assert summary["parameters"]["percent"] < 50
        loaded = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_base), run_dir / "adapter")
        assert model.kind == "adapter" and model.path == str((run_dir / "adapter").resolve())
    else:
        loaded = AutoModelForCausalLM.from_pretrained(run_dir / "model")
        base = AutoModelForCausalLM.from_pretrained(tiny_base)
        changed = [n for n, p in loaded.named_parameters() if not torch.equal(p, dict(base.named_parameters())[n])]
        assert summary["parameters"]["percent"] == 100 and len(changed) > 0
    assert loaded is not None


def test_loss_is_on_the_completion_only(tiny_base, tmp_path):
    """TRL masks the prompt: the labels of prompt tokens are -100, the answer's are its token ids."""
    from datasets import Dataset
    from transformers import AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from afina.records import as_conversation

    tokenizer = AutoTokenizer.from_pretrained(tiny_base)
    conv = as_conversation({"prompt": "¿Precio?", "completion": "Nueve euros."})
    trainer = SFTTrainer(
        model=AutoModelForCausalLM.from_pretrained(tiny_base),
        processing_class=tokenizer,
        train_dataset=Dataset.from_list([conv]),
        args=SFTConfig(output_dir=str(tmp_path), completion_only_loss=True, report_to=[], use_cpu=True),
    )
    batch = trainer.data_collator([trainer.train_dataset[0]])
    labels = batch["labels"][0].tolist()
    answer = [t for t in labels if t != -100]
    assert tokenizer.decode(answer) == "Nueve euros.<|im_end|>\n"


def test_early_stopping_ends_training_when_validation_loss_stops_improving(tiny_base, tmp_path):
    # A learning rate this large, unclipped (through the trl: pass-through), makes the validation loss jump
    # after the first evaluation (5.23 -> 5.41 -> 5.27 on the tiny base) and not come back in time.
    config = write_config(
        tmp_path,
        train={
            "max_steps": 60,
            "eval_steps": 2,
            "learning_rate": 3e-2,
            "early_stopping_patience": 2,
            "lr_scheduler": "constant",
            "trl": {"max_grad_norm": 0},
        },
    )
    assert main(["prepare", str(config), "--quiet"]) == 0
    assert main(["train", str(config), "--quiet"]) == 0
    summary = json.loads((tmp_path / "runs" / "tiny" / "train_summary.json").read_text())
    _, eval_losses = _losses(tmp_path / "runs" / "tiny")
    assert summary["stopped_early"] and summary["global_step"] < 60
    best = eval_losses.index(min(eval_losses))
    assert len(eval_losses) - 1 - best == 2  # stopped after exactly `patience` evaluations without a gain


def test_a_run_repeats_exactly_whether_or_not_the_base_was_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("AFINA_HOME", str(tmp_path / "home"))
    losses = []
    for attempt in ("pretrains the base in-process", "finds it cached"):
        config = write_config(tmp_path, model={"base_model": "afina:fresh"}, train={"max_steps": 6, "eval_steps": 3})
        assert main(["run", str(config), "--quiet"]) == 0, attempt
        losses.append(_losses(tmp_path / "runs" / "tiny"))
    assert losses[0] == losses[1]
