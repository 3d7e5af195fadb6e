"""What the stages record: a model the gate refused is not exported unless forced, the run's verdict is not
overwritten by an export, a retrained model does not inherit the previous one's evaluation, and `afina runs`
reads the registry a config names."""

import json

import pytest

from afina.cli import main
from afina.registry import open_registry

from conftest import write_config

pytestmark = pytest.mark.slow


def test_export_refuses_a_gate_failed_run_unless_forced_and_retraining_clears_stale_evaluation(
    tiny_base, tmp_path, capsys
):
    url = f"sqlite:///{tmp_path / 'team.db'}"
    config = write_config(
        tmp_path,
        train={"max_steps": 4, "eval_steps": 2},
        evaluate={"max_new_tokens": 4, "safety": {"enabled": False}, "bias": {"enabled": False}},
        gate={"min_task_score": 0.99},  # a bar a tiny model does not clear
        registry={"url": url},
    )
    assert main(["run", str(config), "--quiet"]) == 3
    run_dir = tmp_path / "runs" / "tiny"
    assert main(["export", str(config), "--quiet"]) == 3
    assert "gate failed (min_task_score)" in capsys.readouterr().err and not (run_dir / "merged-model").exists()
    assert main(["export", str(config), "--quiet", "--force"]) == 0 and (run_dir / "merged-model").is_dir()
    registry = open_registry(url)
    [run] = registry.runs()
    assert run.status == "gate_failed"  # the export did not overwrite the verdict
    assert registry.statuses(run.id) == ["trained", "gate_failed", "exported"]
    assert "eval" in run.metrics and "gate" in run.metrics

    assert main(["train", str(config), "--quiet"]) == 0  # a new model: the old one's evaluation is not its own
    [run] = registry.runs()
    assert run.status == "trained" and "eval" not in run.metrics and "gate" not in run.metrics
    assert not (run_dir / "eval").exists()

    capsys.readouterr()
    assert main(["runs", "--config", str(config)]) == 0
    listed = capsys.readouterr().out
    assert "tiny" in listed and "trained" in listed
    assert json.loads((run_dir / "train_summary.json").read_text())["global_step"] == 4
