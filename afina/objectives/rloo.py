"""REINFORCE leave-one-out (Ahmadian et al., 2024) through TRL's RLOOTrainer: `align.num_generations`
answers per prompt, each one's advantage its reward minus the mean of the others' (no value model), the
KL to the reference (adapter off) taken out of the reward with `align.beta`. Rewards as for PPO."""

from __future__ import annotations

from afina.models.heads import CAUSAL_LM
from afina.objectives import sampled
from afina.objectives.pairs import AUTO_FOR, CHECKS, METRIC, METRICS, SCORING, labels  # noqa: F401
from afina.objectives.sampled import RECORDS, SPEED, examples  # noqa: F401

HEAD = CAUSAL_LM
build_trainer = sampled.builder("RLOOTrainer", "RLOOConfig")
