"""Group relative policy optimisation (Shao et al., 2024) through TRL's GRPOTrainer: `align.num_generations`
answers per prompt, advantages their rewards standardised within the group (no value model), the k3 KL to
the reference (adapter off) in the loss with `align.beta`. Rewards as for PPO."""

from __future__ import annotations

from afina.models.heads import CAUSAL_LM
from afina.objectives import sampled
from afina.objectives.pairs import AUTO_FOR, CHECKS, METRIC, METRICS, SCORING, labels  # noqa: F401
from afina.objectives.sampled import RECORDS, SPEED, examples  # noqa: F401

HEAD = CAUSAL_LM
build_trainer = sampled.builder("GRPOTrainer", "GRPOConfig")
