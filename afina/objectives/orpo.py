"""Odds-ratio preference optimisation (Hong et al., 2024) through TRL's ORPOTrainer (trl.experimental): the
SFT loss on the chosen answer plus `align.beta` times an odds-ratio term against the rejected one, with no
reference model at all."""

from __future__ import annotations

from afina.models.heads import CAUSAL_LM
from afina.objectives import pairs
from afina.objectives.pairs import AUTO_FOR, CHECKS, METRIC, METRICS, RECORDS, SCORING, SPEED, examples, labels  # noqa: F401

HEAD = CAUSAL_LM


build_trainer = pairs.builder("trl.experimental.orpo", "ORPOTrainer", "ORPOConfig", lambda align: {"beta": align.beta})
