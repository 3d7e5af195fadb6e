"""Kahneman-Tversky optimisation (Ethayarajh et al., 2024) through TRL's KTOTrainer: learns from answers
marked desirable or not, one at a time, so each pair gives two examples (a thumbs-up and a thumbs-down
work as well as a pair). Held to the reference by `align.beta`; with LoRA the reference is the adapter off."""

from __future__ import annotations

from afina.models.heads import CAUSAL_LM
from afina.objectives import pairs
from afina.objectives.pairs import AUTO_FOR, CHECKS, METRIC, METRICS, RECORDS, SCORING, SPEED, labels  # noqa: F401

HEAD = CAUSAL_LM


def examples(records: list[dict], config) -> list[dict]:
    """Each pair as a desirable and an undesirable prompt/completion."""
    return pairs.unpaired_examples(records, config)


build_trainer = pairs.builder("trl", "KTOTrainer", "KTOConfig", pairs.beta_and_loss)
