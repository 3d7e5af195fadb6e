"""Training objectives: what is trained, one module each, all with the same shape (`Objective`).

An objective declares the record kinds it trains on, the model head it needs, the speed switches its
trainer takes, how records become training examples, how its trainer is built, and how the evaluate
stage scores it. Everything else asks this registry; nothing branches on an objective's name. An
objective registers itself by being a module of this package that defines `HEAD` (CONTRIBUTING.md).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Protocol

from afina.discovery import modules_defining
from afina.errors import ConfigError
from afina.models.heads import Head, family

if TYPE_CHECKING:
    from afina.config import Config
    from afina.speed import Switched

# The record kinds afina reads (afina.records.KINDS, Alpaca rows being prompt/completion records).
RECORD_KINDS = ("text", "prompt_completion", "chat", "classification", "preference")
# How the evaluate stage scores an objective's model on the test split (afina/evaluate/tasks.py):
# generated answers against the references, predicted labels, generated targets of an encoder-decoder,
# or preference pairs told apart (a reward model's chosen answer scored above the rejected one).
SCORINGS = ("answers", "labels", "targets", "pairs")
# The ship checks an objective's model can take besides its task score (afina/evaluate).
CHECKS = frozenset({"retain", "memorization", "safety", "bias", "harness", "alignment"})
# Which way a task metric is better: what the gate's gain and score thresholds follow.
HIGHER, LOWER = "higher", "lower"
# The task metrics of generated text (answers or targets) against references, and which way each is better.
TEXT_METRICS = {
    "loss": LOWER, "perplexity": LOWER, "exact_match": HIGHER, "token_f1": HIGHER, "rouge_l": HIGHER,
    "bleu": HIGHER, "chrf": HIGHER,
}  # fmt: skip


class Objective(Protocol):
    """What an objective module defines."""

    RECORDS: frozenset[str]  # the record kinds it trains on (RECORD_KINDS)
    HEAD: Head  # the model head it trains (afina.models.heads)
    AUTO_FOR: frozenset[str]  # the model families for which `train.objective: auto` picks it
    SPEED: frozenset[str]  # the speed switches its trainer takes (afina.speed.OBJECTIVE_SWITCHES)
    SCORING: str  # how the evaluate stage scores it (SCORINGS)
    METRIC: str  # the task metric the gate measures the gain on, unless `gate.metric` names another
    METRICS: dict[str, str]  # every task metric its scoring reports, and which way it is better (HIGHER, LOWER)
    CHECKS: frozenset[str]  # the ship checks that apply to its model (CHECKS)

    def labels(self, train: list[dict], validation: list[dict], config: Config) -> list[str] | None:
        """The label set a classification head is sized for; None for heads without labels."""

    def examples(self, records: list[dict], config: Config) -> list[dict]:
        """The prepared records as its trainer's examples."""

    def build_trainer(
        self,
        model,
        tokenizer,
        train: list[dict],
        validation: list[dict],
        config: Config,
        args: dict,
        callbacks: list,
        switched: Switched,
    ):
        """Its trainer (TRL's or transformers'), ready to train; `args` are the shared training arguments."""


@functools.cache
def all_objectives() -> dict[str, Objective]:
    """Every objective module of this package, by name."""
    return modules_defining(__name__, __path__, "HEAD")


def get_objective(name: str) -> Objective:
    """The module of a registered objective."""
    return all_objectives()[name]


def select(configured: str, model_config, data_kind: str | None = None) -> str:
    """The objective of a run: `train.objective`, or for auto the one that claims the model's family;
    refuses one whose head does not fit the model, or that does not train on the data's records
    (`data_kind` None: not known yet, before `prepare`)."""
    kind = family(model_config)
    objectives = all_objectives()
    name = configured
    if name == "auto":
        name = next(n for n, o in objectives.items() if kind in o.AUTO_FOR)
    objective = objectives[name]
    if kind not in objective.HEAD.families:
        fits = ", ".join(n for n, o in objectives.items() if kind in o.HEAD.families)
        raise ConfigError(
            f"objective '{name}' needs a {' or '.join(objective.HEAD.families)} model "
            f"({objective.HEAD.name} head); {model_config.model_type} is a {kind}. Objectives for "
            f"a {kind}: {fits}",
            key="train.objective",
        )
    if data_kind is not None and data_kind not in objective.RECORDS:
        takers = [n for n, o in objectives.items() if data_kind in o.RECORDS]
        raise ConfigError(
            f"objective '{name}' does not train on {data_kind} records; it takes: "
            f"{', '.join(sorted(objective.RECORDS))}. Objectives that take {data_kind} records: "
            f"{', '.join(takers) if takers else 'none yet'}",
            key="train.objective",
        )
    return name
