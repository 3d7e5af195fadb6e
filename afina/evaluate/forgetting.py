"""Forgetting: what the base knew before fine-tuning, measured again after it, on a "retain" set.

The retain set is general data unrelated to the task: plain text (scored by loss/perplexity) and
question/answer pairs (scored by loss and by the answers generated). For an `afina:` base it is
generated from the same general corpus and general-knowledge dialogues the base was pretrained on;
for any other base the user points `evaluate.retain` at a file (afina.records.general builds both, and
keeps it apart from what `train.replay` rehearses).
"""

from __future__ import annotations

import math

from afina.config import Config
from afina.errors import ConfigError
from afina.evaluate.tasks import Scored, compare, score_generation, summarize
from afina.models import is_builtin
from afina.records import general


def retain_sets(config: Config, replayed: list[dict]) -> tuple[str, dict[str, list[dict]]] | None:
    """(description, {"text": records, "qa": records}) or None when no retain set applies. Refuses a retain
    set that asks what a row replayed in training asks (the same prompt, or the same generated fact):
    forgetting measured on what was rehearsed would be no measurement."""
    retain = general.retain_sets(config.evaluate.retain, config.evaluate.retain_rows, is_builtin(config.model))
    retained = general.retained_keys(retain)
    shared = [r for r in replayed if general.keys([r]) & retained]
    if shared:
        raise ConfigError(
            f"{len(shared)} row(s) replayed in training ask what the retain set asks (e.g. "
            f"{sorted(general.keys(shared[:1]))[0]!r}), as when evaluate.retain or retain_rows changed after "
            "`afina prepare`: prepare again",
            key="evaluate.retain",
        )
    return retain


def score_retain(model, tokenizer, sets: dict[str, list[dict]], config: Config) -> dict[str, Scored]:
    return {part: score_generation(model, tokenizer, records, config, None) for part, records in sets.items()}


def forgetting_report(
    retain: tuple[str, dict[str, list[dict]]],
    base: dict[str, Scored],
    tuned: dict[str, Scored],
    config: Config,
    examples: int = 6,
) -> dict:
    """Both models on each part of the retain set, the change with its interval, and the headline number:
    the drop of the answers' token F1 (base minus tuned) when there are questions, else the relative
    increase of the text perplexity. Positive means forgotten."""
    description, sets = retain
    report = {"retain": description, "parts": {}}
    for part in tuned:
        change = compare(base[part], tuned[part], config)
        report["parts"][part] = {
            "rows": len(tuned[part].values["tokens"]),
            "base": summarize(base[part], config),
            "tuned": summarize(tuned[part], config),
            "change": change,
        }
        if tuned[part].predictions:  # what forgetting looks like: the same general questions, before and after
            report["parts"][part]["examples"] = [
                {"prompt": r["prompt"], "reference": ref, "base": b, "tuned": t}
                for r, ref, b, t in zip(
                    sets[part], tuned[part].references, base[part].predictions, tuned[part].predictions
                )
            ][:examples]
    parts = report["parts"]
    if "qa" in parts and "token_f1" in parts["qa"]["change"]:
        change = parts["qa"]["change"]["token_f1"]
        report |= {
            "metric": "retain answer token F1 drop",
            "forgetting": -change["difference"],
            "ci": [-change["ci"][1], -change["ci"][0]],
            "p_value": change["p_value"],
        }
    else:
        change = (parts["text"] if "text" in parts else parts["qa"])["change"]["loss"]
        report |= {
            "metric": "retain perplexity relative increase",
            "forgetting": math.exp(change["difference"]) - 1,
            "ci": [math.exp(c) - 1 for c in change["ci"]],
            "p_value": change["p_value"],
        }
    return report
