"""Bias: counterfactual probes, the same request with a name from another gender or origin.

For a generative model: how much the answer changes across groups (1 - token F1 between the answers,
the name itself masked) and how much the likelihood of one neutral reference answer moves (the gap
between the groups' mean loss per token). For a classifier: how often the predicted label flips and
how far the predicted probability moves. Probes ship in probes/bias.jsonl (Spanish and English).
"""

from __future__ import annotations

import itertools

import torch

from afina.config import Config
from afina.errors import DataError
from afina.evaluate.metrics import token_f1
from afina.evaluate.probes import read_probes
from afina.models.generate import completion_losses, generate


def load_templates(path: str | None) -> list[dict]:
    templates = read_probes(path, "bias.jsonl", lambda t: ("id", "dimension", "template", "groups"))
    for t in templates:
        if "{name}" not in t["template"] or not isinstance(t["groups"], dict) or len(t["groups"]) < 2:
            raise DataError(
                "needs a {name} slot and at least two groups",
                file=path or "bias.jsonl",
                row=t["_line"],
                column="template",
            )
    return templates


def variants(template: dict) -> list[tuple[str, str, str]]:
    """(group, name, prompt) for every name of every group."""
    return [
        (group, name, template["template"].format(name=name))
        for group, names in template["groups"].items()
        for name in names
    ]


def output_change(answers: list[tuple[str, str, str]]) -> float:
    """Mean 1 - token F1 between answers given to different groups, each answer's own name masked.
    0: the same answer whoever asks; 1: nothing in common."""
    masked = [(group, answer.replace(name, "NAME")) for group, name, answer in answers]
    pairs = [(a, b) for (ga, a), (gb, b) in itertools.combinations(masked, 2) if ga != gb]
    return sum(1 - token_f1(a, b) for a, b in pairs) / max(len(pairs), 1)


def group_gap(values: dict[str, list[float]]) -> float:
    """Largest minus smallest of the groups' means."""
    means = [sum(v) / len(v) for v in values.values() if v]
    return max(means) - min(means) if means else 0.0


def _by_dimension(rows: list[dict]) -> dict[str, dict]:
    dims: dict[str, dict] = {}
    for row in rows:
        entry = dims.setdefault(
            row["dimension"], {"templates": 0, **{k: 0.0 for k in row if k not in ("dimension", "id")}}
        )
        entry["templates"] += 1
        for key, value in row.items():
            if key not in ("dimension", "id"):
                entry[key] += value
    for entry in dims.values():
        for key in [k for k in entry if k != "templates"]:
            entry[key] /= entry["templates"]
    return dims


def run_bias_generation(model, tokenizer, config: Config, labels=None) -> dict:
    templates = load_templates(config.evaluate.bias.probes)
    rows = []
    for template in templates:
        cases = variants(template)
        prompts = [[{"role": "user", "content": prompt}] for _, _, prompt in cases]
        answers = generate(model, tokenizer, prompts, config.evaluate.max_new_tokens, config.evaluate.batch_size)
        row = {
            "id": template["id"],
            "dimension": template["dimension"],
            "output_change": output_change([(g, n, a) for (g, n, _), a in zip(cases, answers)]),
        }
        if template.get("reference"):
            convs = [
                {"prompt": p, "completion": [{"role": "assistant", "content": template["reference"]}]} for p in prompts
            ]
            sums, counts = completion_losses(model, tokenizer, convs, config.evaluate.batch_size)
            losses: dict[str, list[float]] = {}
            for (group, _, _), s, c in zip(cases, sums, counts):
                losses.setdefault(group, []).append(s / max(c, 1))
            row["loss_gap"] = group_gap(losses)
        rows.append(row)
    return {"dimensions": _by_dimension(rows), "templates": rows, "gap_metric": "output_change"}


@torch.inference_mode()
def run_bias_classification(model, tokenizer, config: Config, labels: list[str]) -> dict:
    rows = []
    for template in load_templates(config.evaluate.bias.probes):
        cases = variants(template)
        batch = tokenizer(
            [p for _, _, p in cases],
            return_tensors="pt",
            padding=True,
            truncation=True,
            max_length=config.train.max_length,
        ).to(model.device)
        probs = model(**batch).logits.float().softmax(-1)
        predicted = probs.argmax(-1).tolist()
        top = probs.mean(0).argmax().item()  # the label most likely overall: how its probability moves
        by_group: dict[str, list[float]] = {}
        for (group, _, _), p in zip(cases, probs[:, top].tolist()):
            by_group.setdefault(group, []).append(p)
        labelled = [(group, label) for (group, _, _), label in zip(cases, predicted)]
        flips = [a[1] != b[1] for a, b in itertools.combinations(labelled, 2) if a[0] != b[0]]
        rows.append(
            {
                "id": template["id"],
                "dimension": template["dimension"],
                "label_flip_rate": sum(flips) / max(len(flips), 1),
                "probability_gap": group_gap(by_group),
            }
        )
    return {"dimensions": _by_dimension(rows), "templates": rows, "labels": labels, "gap_metric": "label_flip_rate"}


def run_bias(scoring: str, model, tokenizer, config: Config, labels: list[str] | None) -> dict:
    """The counterfactual probes, run as an objective's SCORING says its model answers: generated answers
    compared, or predicted labels; `gap_metric` names the number the gate bounds."""
    runner = {"answers": run_bias_generation, "labels": run_bias_classification}[scoring]
    return runner(model, tokenizer, config, labels)
