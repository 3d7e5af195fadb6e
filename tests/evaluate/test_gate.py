"""The gate's direction: a gain is an improvement whichever way the metric is better, "significant" means
significantly better, and a metric the evaluation does not report is refused when the config loads."""

import pytest

from afina.config import Config, load_config
from afina.errors import ConfigError
from afina.evaluate.gate import check_gate, gate_table


def _results(metric: str, base: float, tuned: float, p_value: float, objective: str = "sft") -> dict:
    return {
        "objective": objective,
        "models": {"base": {metric: base}, "tuned": {metric: tuned}},
        "comparison": {metric: {"difference": tuned - base, "ci": [0, 0], "p_value": p_value}},
        "checks": {"tuned": {}},
    }


def _verdicts(results: dict, **gate) -> dict:
    checked = check_gate(results, Config.model_validate({"gate": gate}))
    return {c["check"]: c["passed"] for c in checked["checks"]}


def test_a_significantly_worse_model_is_not_significant():
    worse = _results("token_f1", base=0.8, tuned=0.1, p_value=0.001)
    assert _verdicts(worse, require_significant=True) == {"require_significant": False}
    gate = check_gate(worse, Config.model_validate({"gate": {"require_significant": True}}))
    assert "significantly worse than the base" in gate_table(gate)
    better = _results("token_f1", base=0.1, tuned=0.8, p_value=0.001)
    assert _verdicts(better, require_significant=True) == {"require_significant": True}
    unsure = _results("token_f1", base=0.1, tuned=0.8, p_value=0.3)
    assert _verdicts(unsure, require_significant=True) == {"require_significant": False}


@pytest.mark.parametrize("metric", ["loss", "perplexity"])
def test_a_gain_on_a_lower_is_better_metric_is_a_fall(metric):
    better = _results(metric, base=3.0, tuned=2.0, p_value=0.001)
    worse = _results(metric, base=2.0, tuned=3.0, p_value=0.001)
    gate = {"metric": metric, "min_task_gain": 0.5, "require_significant": True}
    assert _verdicts(better, **gate) == {"min_task_gain": True, "require_significant": True}
    assert _verdicts(worse, **gate) == {"min_task_gain": False, "require_significant": False}


def test_a_score_threshold_on_a_lower_is_better_metric_is_a_ceiling():
    gate = {"metric": "perplexity", "min_task_score": 20.0}
    assert _verdicts(_results("perplexity", base=90.0, tuned=10.0, p_value=0.01), **gate) == {"min_task_score": True}
    assert _verdicts(_results("perplexity", base=90.0, tuned=30.0, p_value=0.01), **gate) == {"min_task_score": False}
    f1 = {"metric": "macro_f1", "min_task_score": 0.7}
    scored = _results("macro_f1", 0.2, 0.9, 0.01, objective="classification")
    assert _verdicts(scored, **f1) == {"min_task_score": True}


def test_a_gate_metric_the_objective_does_not_report_is_refused_before_any_work(tiny_base, tmp_path, capsys):
    from afina.cli import main

    from conftest import write_config

    assert main(["run", str(write_config(tmp_path, gate={"metric": "accuracy"})), "--quiet"]) == 2
    assert "the sft objective does not report accuracy" in capsys.readouterr().err
    assert not (tmp_path / "runs").exists()


def test_an_unknown_gate_metric_is_refused_when_the_config_loads():
    with pytest.raises(ConfigError) as info:
        load_config(None, ["gate.metric=f1_score"])
    assert info.value.key == "gate.metric"
    assert "unknown metric 'f1_score'" in str(info.value) and "macro_f1" in str(info.value)
