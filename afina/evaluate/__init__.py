"""The evaluate stage: should this model ship? The tuned model and its base side by side.

- task quality on the test split, each metric with a bootstrap 95% interval and base vs tuned compared
  by a paired test (tasks.py);
- forgetting on a general retain set (forgetting.py);
- memorization and privacy: canary exposure, verbatim extraction, PII in outputs (memorization.py);
- safety probes (safety.py) and counterfactual bias probes (bias.py);
- lm-evaluation-harness tasks when configured (harness.py);
- the gate: thresholds on all of it (gate.py).

One model is in memory at a time. Writes eval/eval.json (every number) and a self-contained
eval/report.html into the run folder.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path

from afina.config import Config
from afina.data import load_canaries, load_data_report, load_split
from afina.errors import ConfigError
from afina.evaluate import bias, forgetting, memorization, safety, tasks
from afina.evaluate.gate import check_gate
from afina.evaluate.harness import run_harness
from afina.evaluate.report import render_report
from afina.models import load_model, resolve_base
from afina.models.families import label_kwargs
from afina.models.generate import load_trained
from afina.runfolder import atomic_dir, read_jsonl, write_json_atomic, write_text_atomic

__all__ = ["run_evaluate", "trained_artifact", "headline"]


def headline(models: dict) -> dict:
    """Each model's scalar metrics, without intervals or tables: what the terminal and the registry show."""
    return {name: {k: v for k, v in scores.items() if isinstance(v, float)} for name, scores in models.items()}


def trained_artifact(run_dir: Path) -> Path:
    """The run's adapter/ or model/ folder, whichever training wrote."""
    for name in ("adapter", "model"):
        if (Path(run_dir) / name).is_dir():
            return Path(run_dir) / name
    raise ConfigError(f"no adapter/ or model/ in {run_dir}: run `afina train` first")


def _score(model, tokenizer, records, config: Config, task: str, labels, progress: str | None) -> tasks.Scored:
    if task == "classification":
        return tasks.score_classification(model, tokenizer, records, config, labels)
    if task == "seq2seq":
        return tasks.score_seq2seq(model, tokenizer, records, config, progress)
    return tasks.score_generation(model, tokenizer, records, config, progress)


def _train_text(train: list[dict]) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in train if "canary" not in r)


def _checks(model, tokenizer, config: Config, task: str, labels, context: dict, progress: str | None) -> dict:
    """Everything measured on one model: the task scores and each check that applies to its task."""
    out: dict = {"scored": _score(model, tokenizer, context["test"], config, task, labels, progress)}
    ev = config.evaluate
    if task == "generation":
        if context["retain"]:
            out["retain"] = forgetting.score_retain(model, tokenizer, context["retain"][1], config)
        if ev.memorization.enabled:
            if context["canaries"]:
                out["canaries"] = memorization.canary_exposure(model, tokenizer, context["canaries"],
                                                               context["kind"], config)
            out["extraction"] = memorization.verbatim_extraction(model, tokenizer, context["train"], config)
            if out["scored"].predictions:
                out["pii"] = memorization.pii_in_outputs(out["scored"].predictions, context["inputs"],
                                                         context["train_text"], ev.memorization.pii_allow)
        if ev.safety.enabled:
            out["safety"] = safety.run_safety(model, tokenizer, config)
        if ev.bias.enabled:
            out["bias"] = bias.run_bias_generation(model, tokenizer, config)
        if ev.harness.tasks:
            out["harness"] = run_harness(model, tokenizer, config)
    elif task == "classification" and ev.bias.enabled:
        out["bias"] = bias.run_bias_classification(model, tokenizer, config, labels)
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
        file = Path(path) / "eval" / "eval.json"
        if not file.is_file():
            raise ConfigError(f"{file} does not exist: evaluate that run first", key="evaluate.compare_runs")
        other = json.loads(file.read_text())
        runs.append({"run": other.get("run", Path(path).name), "method": other.get("method"), "path": str(path),
                     "models": headline(other["models"]),
                     "forgetting": {k: other["forgetting"][k] for k in ("metric", "forgetting", "ci", "p_value")}
                     if other.get("forgetting") else None})
    return runs


def run_evaluate(config: Config, run_dir: Path, quiet: bool = False) -> dict:
    """Evaluate the run's result (and its base); returns what eval.json holds."""
    run_dir = Path(run_dir)
    summary_path = run_dir / "train_summary.json"
    train_summary = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
    task, labels = train_summary.get("task", "generation"), train_summary.get("labels")
    data_report = load_data_report(run_dir)
    records, train = load_split(run_dir, "test"), load_split(run_dir, "train")
    inputs, references = tasks.inputs_and_references(records, task, config)
    context = {"test": records, "train": train, "inputs": inputs, "train_text": _train_text(train),
               "kind": data_report["kind"], "canaries": load_canaries(run_dir),
               "retain": forgetting.retain_sets(config) if task == "generation" else None}
    compared = _compared_runs(config.evaluate.compare_runs)  # a wrong path fails before the slow part

    tuned, tokenizer = load_trained(trained_artifact(run_dir), config, task, labels)
    measured = {"tuned": _checks(tuned, tokenizer, config, task, labels, context,
                                 None if quiet else "generating (tuned)")}
    del tuned
    gc.collect()
    if config.evaluate.compare_base:
        base = load_model(resolve_base(config), config, task, **label_kwargs(labels)).eval()
        if base.config.pad_token_id is None:
            base.config.pad_token_id = tokenizer.pad_token_id
        measured["base"] = _checks(base, tokenizer, config, task, labels, context,
                                   None if quiet else "generating (base)")
        del base
        gc.collect()

    results = {"run": config.name, "method": config.method.name, "task": task, "test_rows": len(records),
               "models": {name: tasks.summarize(m["scored"], config) for name, m in measured.items()}}
    if "base" in measured:
        results["comparison"] = tasks.compare(measured["base"]["scored"], measured["tuned"]["scored"], config)
        if "retain" in measured["tuned"]:
            results["forgetting"] = forgetting.forgetting_report(context["retain"], measured["base"]["retain"],
                                                                 measured["tuned"]["retain"], config)
    results["checks"] = {name: {k: v for k, v in m.items() if k not in ("scored", "retain")}
                         for name, m in measured.items()}
    results["compared_runs"] = compared
    results["examples"] = _examples(inputs, references, records, {n: m["scored"] for n, m in measured.items()})
    gate = check_gate(results, config)
    if gate:
        results["gate"] = gate

    metrics_path = run_dir / "metrics.jsonl"
    history = read_jsonl(metrics_path) if metrics_path.is_file() else []
    with atomic_dir(run_dir / "eval") as tmp:
        write_json_atomic(tmp / "eval.json", results)
        write_text_atomic(tmp / "report.html", render_report(config, results, history, train_summary))
    return results
