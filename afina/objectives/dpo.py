"""Direct preference optimisation (Rafailov et al., 2023) through TRL's DPOTrainer: the policy learns the
pairs directly, without a reward model, held to the reference by `align.beta`. `align.loss_type` picks
TRL's loss (sigmoid: DPO; ipo: IPO; hinge, robust, ...). With a LoRA method the reference is the model
with its adapter off: one copy of the weights."""

from __future__ import annotations

from afina.models.heads import CAUSAL_LM
from afina.objectives import pairs
from afina.objectives.pairs import AUTO_FOR, CHECKS, METRIC, METRICS, RECORDS, SCORING, SPEED, examples, labels  # noqa: F401

HEAD = CAUSAL_LM


build_trainer = pairs.builder("trl", "DPOTrainer", "DPOConfig", lambda align: pairs.beta_and_loss(align, as_list=True))
