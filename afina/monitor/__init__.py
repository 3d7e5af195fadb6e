"""The monitor stage: a window of production inputs (the server's request log, or any file of prompts)
against the run's training data, by length, vocabulary and the run's own embeddings, with the feedback
users gave; `monitor/drift.json` and `monitor/report.html` in the run folder, and a verdict a scheduler
can act on (exit 4: drifted).
"""

from __future__ import annotations

import collections
import csv
import html
import json
import random
from pathlib import Path

import numpy as np

from afina.config import Config
from afina.errors import DataError
from afina.htmlplots import img_tag, pyplot
from afina.monitor.drift import clusters, embed, mmd_test, oov_rate, psi, words
from afina.runfolder import RunFolder, write_json_atomic, write_text_atomic


def input_text(record: dict, columns: dict[str, str]) -> str | None:
    """The prompt of a record: `prompt` (or the column data.columns maps to it), the last user message of
    `messages`, or `text`."""
    field = lambda name: record.get(columns.get(name, name), record.get(name))  # noqa: E731
    prompt = field("prompt")
    if isinstance(prompt, str):
        return prompt
    messages = field("messages") or (prompt if isinstance(prompt, list) else None)
    if isinstance(messages, list):
        users = [m.get("content") for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        if users and isinstance(users[-1], str):
            return users[-1]
    text = field("text")
    return text if isinstance(text, str) else None


def production_inputs(path: Path, model_id: str, columns: dict[str, str]) -> tuple[list[str], dict]:
    """The prompts of a JSONL or CSV file. A request log's rows for another model, or that failed, are left out
    and counted; a row with no prompt at all is an error naming it."""
    if not path.is_file():
        raise DataError("no such file", file=str(path))
    with open(path, encoding="utf-8", newline="") as f:
        if path.suffix == ".csv":
            rows = list(csv.DictReader(f))
        else:
            try:
                rows = [json.loads(line) for line in f if line.strip()]
            except json.JSONDecodeError as exc:
                raise DataError(f"not JSON lines: {exc}", file=str(path)) from None
    texts, left_out = [], collections.Counter()
    for number, row in enumerate(rows, start=1):
        if "model" in row and row["model"] != model_id:
            left_out["other_models"] += 1
            continue
        if row.get("status", 200) != 200:
            left_out["failed_requests"] += 1
            continue
        text = input_text(row, columns)
        if not text:
            raise DataError("no prompt, messages or text in this row", file=str(path), row=number)
        texts.append(text)
    return texts, dict(left_out)


def feedback_rates(registry, model_id: str) -> dict:
    """Thumbs up and down, corrections and choices on the model's answers, in all and per day."""
    rows = [r for r in registry.feedback() if r.model == model_id] if registry is not None else []
    days: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for r in rows:
        kind = {1: "up", -1: "down"}.get(r.rating, r.kind) if r.kind == "rating" else r.kind
        days[f"{r.created_at:%Y-%m-%d}"][kind] += 1
    total = collections.Counter()
    for counts in days.values():
        total.update(counts)
    rated = total["up"] + total["down"]
    return {
        "rows": len(rows),
        "counts": dict(total),
        "thumbs_down_share": total["down"] / rated if rated else None,
        "per_day": {day: dict(c) for day, c in sorted(days.items())},
    }


def run_monitor(config: Config, inputs_path: Path, registry=None) -> dict:
    """Compare the inputs with the run's training prompts; write drift.json and report.html; return the results
    (`drifted` says whether any check crossed its threshold)."""
    from afina.methods import load_result

    m, run = config.monitor, RunFolder(config.run_dir)
    columns = config.data.columns
    window, left_out = production_inputs(inputs_path, m.served_as or config.name, columns)
    if len(window) < m.min_inputs:
        raise DataError(
            f"{len(window)} inputs are too few to judge drift (monitor.min_inputs: {m.min_inputs})",
            file=str(inputs_path),
        )
    user_rows = lambda split: [r for r in run.read_split(split) if not r.get("replay")]  # noqa: E731
    train = [t for t in (input_text(r, {}) for r in user_rows("train")) if t]
    validation = [t for t in (input_text(r, {}) for r in user_rows("validation")) if t]
    rng = random.Random(config.seed)
    sample = rng.sample(train, min(m.train_sample, len(train)))

    model, tokenizer = load_result(run, config.model, config.seed)
    length = lambda texts: np.array([len(tokenizer(t)["input_ids"]) for t in texts])  # noqa: E731
    train_lengths, window_lengths = length(sample), length(window)
    vocabulary = {w for t in train for w in words(t)}
    baseline_oov = oov_rate(vocabulary, validation) if validation else 0.0
    window_oov = oov_rate(vocabulary, window)
    train_embeddings, window_embeddings = embed(model, tokenizer, sample), embed(model, tokenizer, window)
    mmd, p_value = mmd_test(train_embeddings, window_embeddings, m.permutations, config.seed)
    found = clusters(train_embeddings, window_embeddings, m.clusters, config.seed)
    feedback = feedback_rates(registry, m.served_as or config.name)

    length_psi, length_p = psi(train_lengths, window_lengths)
    increase = window_oov - baseline_oov
    checks = [
        {"check": "embedding_p_value", "value": p_value, "threshold": m.alpha, "drifted": p_value < m.alpha},
        # large and significant: a small window's PSI passes 0.25 by chance about once in a hundred
        {"check": "length_psi", "value": length_psi, "threshold": m.max_length_psi, "p_value": length_p,
         "drifted": length_psi > m.max_length_psi and length_p < m.alpha},
        {"check": "oov_increase", "value": increase, "threshold": m.max_oov_increase,
         "drifted": increase > m.max_oov_increase},
    ]  # fmt: skip
    if feedback["thumbs_down_share"] is not None:
        share = feedback["thumbs_down_share"]
        checks.append({"check": "thumbs_down_share", "value": share, "threshold": m.max_thumbs_down,
                       "drifted": share > m.max_thumbs_down})  # fmt: skip
    per_cluster = []
    for c in range(found["k"]):
        members = [t for t, label in zip(sample, found["train_labels"]) if label == c]
        inputs = [i for i, n in enumerate(found["nearest"]) if n == c]
        per_cluster.append({
            "cluster": c, "train": len(members), "inputs": len(inputs),
            "outside": sum(found["outside"][i] for i in inputs), "train_examples": members[:3],
        })  # fmt: skip
    results = {
        "run": str(run.root),
        "inputs": {"file": str(inputs_path), "count": len(window), "left_out": left_out},
        "train": {"sample": len(sample), "validation": len(validation)},
        "checks": checks,
        "drifted": any(c["drifted"] for c in checks),
        "embedding": {"mmd2": mmd, "p_value": p_value, "permutations": m.permutations},
        "length": {"train_mean": float(train_lengths.mean()), "inputs_mean": float(window_lengths.mean())},
        "vocabulary": {"train_words": len(vocabulary), "baseline_oov": baseline_oov, "inputs_oov": window_oov},
        "clusters": {
            "k": found["k"],
            "outside_share": float(np.mean(found["outside"])),
            "per_cluster": per_cluster,
            "outside_examples": [t for t, out in zip(window, found["outside"]) if out][:10],
        },
        "feedback": feedback,
    }
    write_json_atomic(run.monitor / "drift.json", results)
    write_text_atomic(run.monitor / "report.html", _report(results, train_lengths, window_lengths,
                                                           train_embeddings, window_embeddings))  # fmt: skip
    return results


def _report(results, train_lengths, window_lengths, train_embeddings, window_embeddings) -> str:
    e, plt = html.escape, pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), dpi=100)
    bins = np.linspace(0, max(train_lengths.max(), window_lengths.max()) + 1, 30)
    left.hist(train_lengths, bins, alpha=0.6, density=True, label="training")
    left.hist(window_lengths, bins, alpha=0.6, density=True, label="inputs")
    left.set(title="prompt length (tokens)", xlabel="tokens")
    left.legend()
    pooled = np.concatenate([train_embeddings, window_embeddings])
    centred = pooled - pooled.mean(0)
    axes = np.linalg.svd(centred, full_matrices=False)[2][:2]
    points = centred @ axes.T
    n = len(train_embeddings)
    right.scatter(points[:n, 0], points[:n, 1], s=8, alpha=0.5, label="training")
    right.scatter(points[n:, 0], points[n:, 1], s=8, alpha=0.7, label="inputs")
    right.set(title="embeddings (first two principal components)")
    right.legend()
    plots = [img_tag(fig, "length and embedding distributions")]
    days = results["feedback"]["per_day"]
    if days:
        fig, ax = plt.subplots(figsize=(7, 3), dpi=100)
        for kind in ("up", "down", "correction", "preference"):
            ax.plot(list(days), [days[d].get(kind, 0) for d in days], marker="o", label=kind)
        ax.set(title="feedback per day")
        ax.legend()
        plots.append(img_tag(fig, "feedback per day"))
    rows = "".join(
        f"<tr><td>{e(c['check'])}</td><td>{c['value']:.4g}</td><td>{c['threshold']:.4g}</td>"
        f"<td>{'DRIFTED' if c['drifted'] else 'ok'}</td></tr>"
        for c in results["checks"]
    )
    outside = "".join(f"<li>{e(t)}</li>" for t in results["clusters"]["outside_examples"])
    verdict = "drifted" if results["drifted"] else "no drift"
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>afina monitor</title></head><body>"
        f"<h1>Drift: {verdict}</h1><p>{results['inputs']['count']} inputs from {e(results['inputs']['file'])} "
        f"against {results['train']['sample']} training prompts of {e(results['run'])}.</p>"
        f"<table border='1' cellpadding='4'><tr><th>check</th><th>value</th><th>threshold</th><th></th></tr>{rows}"
        f"</table>{''.join(plots)}<h2>Inputs outside every training cluster "
        f"({results['clusters']['outside_share']:.0%})</h2><ul>{outside}</ul></body></html>"
    )
