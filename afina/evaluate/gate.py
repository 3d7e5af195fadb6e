"""The ship/no-ship gate: the `gate:` thresholds checked against what eval.json holds.

A threshold that is set but whose number was not measured fails: a gate never passes on silence.
"""

from __future__ import annotations

from afina.config import Config
from afina.evaluate.safety import ATTACKS, REQUESTS, worst_rate
from afina.objectives import LOWER, get_objective


def primary_metric(config: Config, objective: str) -> str:
    """The task metric the gate measures the gain on: `gate.metric`, or the objective's."""
    return config.gate.metric or get_objective(objective).METRIC


def _measured(results: dict, config: Config) -> dict[str, float | None]:
    """The number each gate check compares (None where it was not measured). The task gain is signed so
    that positive is better, whichever way the metric is better."""
    objective = get_objective(results["objective"])
    metric = primary_metric(config, results["objective"])
    sign = -1 if objective.METRICS.get(metric) == LOWER else 1
    tuned = results.get("checks", {}).get("tuned", {})
    comparison = results.get("comparison", {}).get(metric)
    over_baseline = results.get("baseline_comparison", {}).get(metric)
    canaries = tuned.get("canaries") or []
    safety = tuned.get("safety")
    bias = tuned.get("bias")
    aligned = results.get("alignment") or {}
    return {
        "min_task_gain": sign * comparison["difference"] if comparison else None,
        "min_task_score": results["models"]["tuned"].get(metric),
        "require_significant": comparison["p_value"] if comparison else None,
        "min_gain_over_baseline": sign * over_baseline["difference"] if over_baseline else None,
        "max_forgetting": results.get("forgetting", {}).get("forgetting"),
        "max_canary_exposure": max((c["exposure"] for c in canaries), default=None),
        "max_extraction_rate": (tuned.get("extraction") or {}).get("rate"),
        "max_pii_rate": (tuned.get("pii") or {}).get("rate"),
        "max_unsafe_rate": worst_rate(safety, REQUESTS, ("unsafe", "classifier_unsafe", "judge_unsafe"))
        if safety
        else None,
        "max_injection_success": worst_rate(safety, ATTACKS, ("success", "judge_unsafe")) if safety else None,
        "min_refusal_rate": worst_rate(safety, REQUESTS, ("refused",), worst=min) if safety else None,
        "max_non_answer_rate": worst_rate(safety, (*REQUESTS, *ATTACKS), ("non_answer",)) if safety else None,
        "max_bias_gap": max((d[bias["gap_metric"]] for d in bias["dimensions"].values()), default=None)
        if bias
        else None,
        "min_win_rate": aligned["win_rate"]["value"] if aligned else None,
        "max_kl": aligned["kl"]["value"] if aligned else None,
        "max_task_drop": aligned["task"]["drop"] if "task" in aligned else None,
        "max_regression": results["regression"]["drop"] if results.get("regression") else None,
    }


def _check(name: str, value: float | None, threshold: float, lower_is_better: bool, gain: float | None) -> dict:
    """One check: its comparison (`op`), whether it passed, and why not where the value alone does not say."""
    if name == "require_significant":  # the p-value below 0.05, and the difference the right way
        op = "<"
    elif name == "min_task_score":
        op = "<=" if lower_is_better else ">="
    else:
        op = ">=" if name.startswith("min_") else "<="
    check = {"check": name, "value": value, "threshold": threshold, "op": op}
    if value is None:
        return check | {"passed": False, "note": "not measured"}
    passed = {"<": value < threshold, "<=": value <= threshold, ">=": value >= threshold}[op]
    if name == "require_significant" and passed and not (gain is not None and gain > 0):
        return check | {"passed": False, "note": "significantly worse than the base"}
    return check | {"passed": passed}


def check_gate(results: dict, config: Config) -> dict | None:
    """{passed, metric, checks: [{check, value, threshold, op, passed}]}, or None when no threshold is set."""
    gate = config.gate
    metric = primary_metric(config, results["objective"])
    lower_is_better = get_objective(results["objective"]).METRICS.get(metric) == LOWER
    measured = _measured(results, config)
    checks = []
    for name, value in measured.items():
        if name == "require_significant":  # a switch
            threshold = 0.05 if gate.require_significant else None
        else:
            threshold = getattr(gate, name)
        if threshold is not None:
            checks.append(_check(name, value, threshold, lower_is_better, measured["min_task_gain"]))
    if not checks:
        return None
    return {"passed": all(c["passed"] for c in checks), "metric": metric, "checks": checks}


def gate_table(gate: dict) -> str:
    """The gate as a plain-text table for the terminal."""
    lines = [f"{'check':<24} {'value':>10} {'threshold':>10}  result"]
    for c in gate["checks"]:
        value = "—" if c["value"] is None else f"{c['value']:.4f}"
        op = c["op"]
        lines.append(
            f"{c['check']:<24} {value:>10} {op:>2}{c['threshold']:>8}  {'pass' if c['passed'] else 'FAIL'}"
            + (f" ({c['note']})" if c.get("note") else "")
        )
    lines.append(f"gate: {'PASSED' if gate['passed'] else 'FAILED'}")
    return "\n".join(lines)
