"""The evaluate stage: should this model ship? The tuned model and its base side by side.

- task quality on the test split, each metric with a bootstrap 95% interval and base vs tuned compared
  by a paired test (tasks.py);
- forgetting on a general retain set (forgetting.py);
- memorization and privacy: canary exposure, verbatim extraction, PII in outputs (memorization.py);
- safety probes (safety.py) and counterfactual bias probes (bias.py);
- lm-evaluation-harness tasks when configured (harness.py);
- for an aligned policy: win rate and rewards by the reward model, KL to the reference, the task's cost
  (alignment.py);
- the gate: thresholds on all of it (gate.py).

One model is in memory at a time. Writes eval/eval.json (every number) and a self-contained
eval/report.html into the run folder.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

from afina.config import Config
from afina.errors import ConfigError
from afina.evaluate import alignment, bias, forgetting, memorization, regression, safety, tasks
from afina.evaluate.baseline import BASELINE_OF, cheapest_baseline
from afina.evaluate.gate import check_gate, primary_metric
from afina.evaluate.harness import run_harness
from afina.evaluate.report import render_report
from afina.methods import load_result
from afina.models import load_model
from afina.models.heads import label_kwargs
from afina.objectives import Objective, get_objective
from afina.runfolder import RunFolder, atomic_dir, write_json_atomic, write_text_atomic
from afina.terminal import bars

__all__ = ["run_evaluate", "headline"]


def headline(models: dict) -> dict:
    """Each model's scalar metrics, without intervals or tables: what the terminal and the registry show."""
    return {name: {k: v for k, v in scores.items() if isinstance(v, float)} for name, scores in models.items()}


def _train_text(train: list[dict]) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in train if "canary" not in r)


def _checks(
    model, tokenizer, config: Config, objective: Objective, labels, context: dict, progress: str | None
) -> dict:
    """Everything measured on one model: the task scores and each check its objective takes."""
    out: dict = {"scored": tasks.score(objective.SCORING, model, tokenizer, context["test"], config, labels, progress)}
    ev, applies = config.evaluate, objective.CHECKS
    if "retain" in applies and context["retain"]:
        out["retain"] = forgetting.score_retain(model, tokenizer, context["retain"][1], config)
    if "memorization" in applies and ev.memorization.enabled:
        if context["canaries"]:
            out["canaries"] = memorization.canary_exposure(
                model, tokenizer, context["canaries"], context["kind"], config
            )
        out["extraction"] = memorization.verbatim_extraction(model, tokenizer, context["train"], config)
        if out["scored"].predictions:
            out["pii"] = memorization.pii_in_outputs(
                out["scored"].predictions, context["inputs"], context["train_text"], ev.memorization.pii_allow
            )
    if "safety" in applies and ev.safety.enabled:
        out["safety"] = safety.run_safety(model, tokenizer, config)
    if "bias" in applies and ev.bias.enabled:
        out["bias"] = bias.run_bias(objective.SCORING, model, tokenizer, config, labels)
    if "harness" in applies and ev.harness.tasks:
        out["harness"] = run_harness(model, tokenizer, config)
    if context["regression"] is not None:
        out["regression"] = tasks.score(
            objective.SCORING, model, tokenizer, context["regression"], config, labels, None
        )
    if "alignment" in applies and context["alignment"]:
        out["alignment"] = alignment.measure(model, tokenizer, out["scored"].predictions, context["alignment"], config)
    return out


def _examples(inputs, references, records, predictions: dict[str, tasks.Scored]) -> list[dict]:
    examples = []
    for i, reference in enumerate(references):
        example = {"source_row": records[i].get("source_row"), "prompt": inputs[i], "reference": reference}
        for name, scored in predictions.items():
            if scored.predictions:
                example[name] = scored.predictions[i]
                for metric in ("exact_match", "token_f1", "rouge_l"):
                    if metric in scored.values:
                        example[f"{name}_{metric}"] = scored.values[metric][i]
        examples.append(example)
    return examples


def _compared_runs(paths: list[str]) -> list[dict]:
    """Headline numbers of other evaluated runs, for the report's side-by-side tables."""
    runs = []
    for path in paths:
        file = RunFolder(Path(path)).eval_json
        if not file.is_file():
            raise ConfigError(f"{file} does not exist: evaluate that run first", key="evaluate.compare_runs")
        other = json.loads(file.read_text())
        runs.append(
            {
                "run": other.get("run", Path(path).name),
                "method": other.get("method"),
                "path": str(path),
                "models": headline(other["models"]),
                "forgetting": {k: other["forgetting"][k] for k in ("metric", "forgetting", "ci", "p_value")}
                if other.get("forgetting")
                else None,
                "against_forgetting": other.get("against_forgetting"),
                "alignment": {k: other["alignment"][k] for k in ("win_rate", "kl", "reward")}
                if other.get("alignment")
                else None,
                "gate": other["gate"]["passed"] if other.get("gate") else None,
            }
        )
    return runs


def _reference(path: str, config: Config, objective: Objective, labels):
    """`evaluate.reference`: a run folder's result, or a model folder, in eval mode."""
    folder = RunFolder(Path(path))
    if folder.train_summary.is_file():
        return load_result(folder, config.model, config.seed)[0]
    return load_model(path, config.model, objective.HEAD, **label_kwargs(labels)).eval()


def run_evaluate(config: Config, run: RunFolder, quiet: bool = False) -> dict:
    """Evaluate the run's current result (and its base); returns what eval.json holds."""
    data_report = run.read_data_report()  # an unprepared run is told to prepare first
    summary = run.read_train_summary()
    objective, labels, head = get_objective(summary.objective), summary.labels, summary.head
    records, train = run.read_split("test"), run.read_split("train")
    replayed = [r for r in train if "replay" in r]  # general rows rehearsed in training: not the user's data
    train = [r for r in train if "replay" not in r]
    inputs, references = tasks.inputs_and_references(objective.SCORING, records, config)
    context = {
        "test": records,
        "train": train,
        "inputs": inputs,
        "train_text": _train_text(train),
        "kind": data_report["kind"],
        "canaries": run.read_canaries(),
        "retain": forgetting.retain_sets(config, replayed) if "retain" in objective.CHECKS else None,
        "alignment": alignment.prepare(config, records) if "alignment" in objective.CHECKS else None,
    }
    ev = config.evaluate
    if ev.regression_run:
        own = records + train + run.read_split("validation")
        kept, superseded = regression.previous_test(ev.regression_run, own)
        context["regression"] = kept or None  # every row superseded: nothing to measure, and the gate says so
    else:
        context["regression"], superseded = None, 0
    compared = _compared_runs(ev.compare_runs)  # a wrong path fails before the slow part
    if ev.reference and not (
        RunFolder(Path(ev.reference)).train_summary.is_file() or Path(ev.reference, "config.json").is_file()
    ):
        raise ConfigError(
            f"{ev.reference} is neither a trained run folder nor a model folder", key="evaluate.reference"
        )

    tuned, tokenizer = load_result(run, config.model, config.seed)
    measured = {
        "tuned": _checks(
            tuned, tokenizer, config, objective, labels, context, "generating (tuned)" if bars(quiet) else None
        )
    }
    del tuned
    gc.collect()
    if config.evaluate.compare_base:
        if ev.reference:  # the model this one would replace
            base = _reference(ev.reference, config, objective, labels)
        else:  # the base the result was trained on, whatever the config's pretrain recipe says now
            base = load_model(summary.base_model, config.model, objective.HEAD, **label_kwargs(labels)).eval()
        if base.config.pad_token_id is None:
            base.config.pad_token_id = tokenizer.pad_token_id
        measured["base"] = _checks(
            base, tokenizer, config, objective, labels, context, "generating (base)" if bars(quiet) else None
        )
        del base
        gc.collect()

    results = {
        "run": config.name,
        "method": summary.method,
        "objective": summary.objective,
        "head": head,
        "test_rows": len(records),
        "compared_with": ev.reference or summary.base_model,  # what "base" is in every comparison
        "against_forgetting": {  # what the training did to keep what the base knew
            "replay": len(replayed) / max(1, len(replayed) + sum("canary" not in r for r in train)),  # as reached
            "replayed_rows": len(replayed),
            "l2_sp": summary.l2_sp,
        },
        "models": {name: tasks.summarize(m["scored"], config) for name, m in measured.items()},
    }
    baseline = cheapest_baseline(objective.SCORING, train, records, config, labels)
    if baseline is not None:
        results["models"]["baseline"] = tasks.summarize(baseline, config)
        results["baseline"] = {"what": BASELINE_OF[objective.SCORING]}
        results["baseline_comparison"] = tasks.compare(baseline, measured["tuned"]["scored"], config)
    if "base" in measured:
        results["comparison"] = tasks.compare(measured["base"]["scored"], measured["tuned"]["scored"], config)
        if "retain" in measured["tuned"]:
            results["forgetting"] = forgetting.forgetting_report(
                context["retain"], measured["base"]["retain"], measured["tuned"]["retain"], config
            )
        if "alignment" in measured["tuned"]:
            results["alignment"] = alignment.report(
                measured["tuned"]["alignment"],
                measured["base"]["alignment"],
                context["alignment"],
                config,
                primary_metric(config, summary.objective),
            )
        if "regression" in measured["tuned"]:
            results["regression"] = regression.task_change(
                ev.regression_run, primary_metric(config, summary.objective), summary.objective,
                measured["base"]["regression"], measured["tuned"]["regression"], config,
            ) | {"rows": len(context["regression"]), "superseded": superseded}  # fmt: skip
        elif ev.regression_run:
            results["regression"] = {"run": ev.regression_run, "rows": 0, "superseded": superseded, "drop": None}
    results["checks"] = {
        name: {k: v for k, v in m.items() if k not in ("scored", "retain", "alignment", "regression")}
        for name, m in measured.items()
    }
    results["compared_runs"] = compared
    scored = {n: m["scored"] for n, m in measured.items()} | ({"baseline": baseline} if baseline else {})
    results["examples"] = _examples(inputs, references, records, scored)
    gate = check_gate(results, config)
    if gate:
        results["gate"] = gate

    with atomic_dir(run.eval) as tmp:
        write_json_atomic(tmp / run.eval_json.name, results)
        write_text_atomic(tmp / run.report_html.name, render_report(config, results, run.read_metrics(), summary))
    return results
