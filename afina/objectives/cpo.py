"""Contrastive preference optimisation (Xu et al., 2024) through TRL's CPOTrainer (trl.experimental), and
SimPO (Meng et al., 2024) with `align.loss_type: simpo`: reference-free preference losses on the policy's
own (length-normalised, for SimPO) log-likelihoods, plus CPO's SFT term on the chosen answer."""

from __future__ import annotations

from afina.models.heads import CAUSAL_LM
from afina.objectives import pairs
from afina.objectives.pairs import AUTO_FOR, CHECKS, METRIC, METRICS, RECORDS, SCORING, SPEED, examples, labels  # noqa: F401

HEAD = CAUSAL_LM


build_trainer = pairs.builder("trl.experimental.cpo", "CPOTrainer", "CPOConfig", pairs.beta_and_loss)
