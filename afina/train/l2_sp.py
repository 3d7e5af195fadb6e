"""L2-SP, against forgetting: the trainable weights pulled back toward where they started (Li, Grandvalet and
Davoine, "Explicit Inductive Bias for Transfer Learning with Convolutional Networks", 2018).

Decoupled from the loss, as AdamW decouples weight decay (Loshchilov and Hutter, 2019): after every optimizer
step each weight moves by -lr * strength * (weight - start). Added to the loss, Adam would divide the pull by
each weight's gradient scale and weaken it where the task moved a weight most. Written here because neither
transformers nor peft has a penalty toward the starting weights.
"""

from __future__ import annotations

import torch
from transformers import TrainerCallback


class PullToStart(TrainerCallback):
    """Remembers the trainable weights of `model` as they are now (before training, and before a checkpoint
    is loaded: a resumed run keeps its true start) and pulls them back after every optimizer step that was
    applied (`skipped`: the steps the non-finite guard did not apply). Logs the squared distance from the start
    as `l2_sp_distance`."""

    def __init__(self, model, strength: float, skipped: list[int] = ()):
        self.strength = strength
        self.skipped = skipped
        self.parameters = [p for p in model.parameters() if p.requires_grad]
        self.start = {id(p): p.detach().clone() for p in self.parameters}
        self.checked = False

    def _start_of(self, p: torch.Tensor) -> torch.Tensor:
        start = self.start[id(p)]
        if start.device != p.device:  # the trainer moved the model (to the GPU) after the start was taken
            start = self.start[id(p)] = start.to(p.device)
        return start

    def distance(self) -> float:
        """Sum over the trainable weights of |weight - start|²: 0 at the start, positive away from it."""
        with torch.no_grad():
            return float(sum(((p.float() - self._start_of(p).float()) ** 2).sum() for p in self.parameters))

    def penalty(self) -> float:
        """The L2-SP term the pull descends: strength / 2 * distance."""
        return self.strength / 2 * self.distance()

    @torch.no_grad()
    def on_optimizer_step(self, args, state, control, optimizer=None, **kwargs):
        if self.skipped and self.skipped[-1] == state.global_step + 1:  # this step never reached the weights
            return
        pulled = 0
        for group in optimizer.param_groups:
            for p in group["params"]:
                if id(p) in self.start:
                    p.add_(p - self._start_of(p), alpha=-group["lr"] * self.strength)
                    pulled += 1
        if not self.checked and pulled < len(self.start):
            raise RuntimeError(
                f"train.l2_sp found {pulled} of the {len(self.start)} trainable weights in the optimizer (FSDP and "
                "DeepSpeed flatten them into parameters of their own): it cannot pull them; set train.l2_sp to 0"
            )
        self.checked = True

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs is not None and "loss" in logs:
            logs["l2_sp_distance"] = self.distance()
