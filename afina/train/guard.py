"""A non-finite loss never reaches the weights: an optimizer step whose gradients hold a NaN or an
infinity is not applied, and after `train.max_nonfinite_steps` such steps the run stops with an error
naming them, before anything is saved.

Written here because transformers' Trainer applies every step whatever its loss (`logging_nan_inf_filter`
only hides a NaN from the logged mean), and a single NaN step turns every weight of an adapter into NaN.
"""

from __future__ import annotations

import functools

import torch
from transformers import TrainerCallback

from afina.errors import AfinaError


class TrainingDiverged(AfinaError):
    """Too many steps had a non-finite loss or gradients: the run stopped before saving anything."""


class NonFiniteGuard(TrainerCallback):
    """Wraps the optimizer's step: a step with non-finite gradients is skipped (its gradients dropped) and
    counted in `skipped`; one more than `limit` raises TrainingDiverged."""

    def __init__(self, limit: int):
        self.limit = limit
        self.skipped: list[int] = []

    def on_train_begin(self, args, state, control, optimizer=None, model=None, **kwargs):
        if args.fp16:  # fp16's gradient scaler skips overflowing steps itself, and must see them to shrink
            return
        step = optimizer.step
        parameters = [p for p in model.parameters() if p.requires_grad]

        @functools.wraps(step)  # keeps what torch's LR scheduler marks on the step it wrapped
        def guarded_step(*a, **k):
            grads = [p.grad for p in parameters if p.grad is not None]
            if grads and not torch.stack([g.isfinite().all() for g in grads]).all():
                self.skipped.append(state.global_step + 1)
                optimizer.zero_grad(set_to_none=True)
                if len(self.skipped) > self.limit:
                    raise TrainingDiverged(
                        f"the loss or its gradients were not finite (NaN or infinite) at steps "
                        f"{', '.join(map(str, self.skipped))}: more than train.max_nonfinite_steps={self.limit}, "
                        "so training stopped and nothing was saved. Lower train.learning_rate, or check the data "
                        "of those steps"
                    )
                return None
            return step(*a, **k)

        optimizer.step = guarded_step
