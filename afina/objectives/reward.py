"""A reward model: one score per answer from a sequence-classification head, trained on preference pairs
so that the chosen answer scores above the rejected one (TRL's RewardTrainer, Bradley-Terry loss, a
pair's margin honoured). What PPO, RLOO and GRPO optimise against, and what judges their win rates."""

from __future__ import annotations

from afina.models.heads import SEQUENCE_CLASSIFICATION
from afina.objectives import HIGHER, pairs

RECORDS = pairs.RECORDS
HEAD = SEQUENCE_CLASSIFICATION
AUTO_FOR = frozenset()
SPEED = frozenset({"frozen_bf16"})
SCORING = "pairs"
METRIC = "accuracy"
METRICS = {"accuracy": HIGHER, "margin": HIGHER}
CHECKS = frozenset()
LABELS = ["reward"]  # one output: the score


def labels(train, validation, config) -> list[str]:
    """One output, the reward."""
    return LABELS


def examples(records: list[dict], config) -> list[dict]:
    """Conversational prompt/chosen/rejected, with a margin on every pair where any has one."""
    return pairs.preference_examples(records, config, margins=True)


# Bradley-Terry on chosen minus rejected, less the margin
build_trainer = pairs.builder("trl", "RewardTrainer", "RewardConfig")
