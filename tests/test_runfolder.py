"""The run folder's typed readers: a train summary from this release or an older one, and the one current
result every later stage loads."""

import json

import pytest

from afina.cli import main
from afina.errors import ConfigError
from afina.runfolder import RunFolder, TrainSummary

from conftest import write_config

# train_summary.json as the release before objectives wrote it (a task, the speed switches at the top level)
OLDER = {
    "task": "generation", "method": "lora", "artifact": "adapter", "base_model": "/bases/demo", "labels": None,
    "global_step": 12, "train_loss": 3.2, "best_eval_loss": 3.0, "best_checkpoint": None, "stopped_early": False,
    "bf16": False, "padding_free": True, "answer_logits": True, "answer_last_layer": True,
    "frozen_bf16_parameters": 0, "fused_lora_layers": 14, "fused_attention_layers": 2, "plain_attention": False,
    "fused_norm_layers": 5, "reuse_freed_memory": True, "train_seconds": 1.5, "tokens": 900,
    "tokens_per_second": 600.0, "peak_memory_mb": 700.0, "parameters": {"trainable": 10, "total": 100},
    "resumed_from": None,
}  # fmt: skip


def test_an_older_train_summary_reads_as_todays():
    summary = TrainSummary.from_dict(OLDER)
    assert (summary.objective, summary.head, summary.method) == ("sft", "causal_lm", "lora")
    assert summary.speed["fused_lora_layers"] == 14 and summary.speed["padding_free"] is True
    assert summary.method_settings == {"name": "lora"}
    assert TrainSummary.from_dict(summary.to_dict()) == summary


def test_a_result_the_summary_names_but_that_is_missing_is_an_error(tmp_path):
    run = RunFolder(tmp_path)
    run.train_summary.write_text(json.dumps(OLDER))
    with pytest.raises(ConfigError, match="adapter is missing"):
        run.result()
    (tmp_path / "adapter").mkdir()
    assert run.result() == tmp_path / "adapter"


@pytest.mark.slow
def test_retraining_with_another_method_leaves_one_current_result_and_evaluate_scores_it(tiny_base, tmp_path):
    """A LoRA run trained again with `method.name=full` writes model/; the stale adapter/ must not be what
    evaluate (or export) loads: it is removed, and eval.json names the method that was trained."""
    config = write_config(
        tmp_path, method={"name": "lora"}, train={"max_steps": 4, "eval_steps": 2}, evaluate={"max_new_tokens": 4}
    )
    assert main(["run", str(config), "--quiet"]) == 0
    run = tmp_path / "runs" / "tiny"
    assert (run / "adapter").is_dir()
    assert main(["train", str(config), "--quiet", "--set", "method.name=full"]) == 0
    assert (run / "model").is_dir() and not (run / "adapter").exists()
    assert json.loads((run / "train_summary.json").read_text())["artifact"] == "model"
    # evaluated with the config as it was (method lora): the result the summary names is what is scored
    assert main(["evaluate", str(config), "--quiet"]) == 0
    assert json.loads((run / "eval" / "eval.json").read_text())["method"] == "full"
