"""Freeze tuning: train only the last N transformer blocks (of each stack) and the task head.

A cheap middle ground between full fine-tuning and adapters; the result is a whole model folder.
"""

from typing import Literal

from pydantic import Field
from torch import nn

from afina.methods.peft_common import ALL_HEADS, load_kwargs  # noqa: F401  (no extra loading arguments)
from afina.models.heads import HEAD_NAMES
from afina.settings import Section


class FreezeMethod(Section):
    name: Literal["freeze"] = "freeze"
    trainable_layers: int = Field(2, ge=0, description="Train only the last N transformer blocks (of each stack).")
    train_head: bool = Field(True, description="Train the task head too (a classifier; an LM head only if not tied).")


PARAMS = FreezeMethod
HEADS = ALL_HEADS
MODEL_TYPES = None
MERGEABLE = False
ARTIFACT = "model"
SPEED = frozenset({"padding_free"})  # the saved model holds the frozen weights: they stay as loaded
ACTIVATION_CHECKPOINTING = False


def block_stacks(model) -> list[nn.ModuleList]:
    """The repeated-block lists of a model (one for decoders and encoders, two for T5)."""
    stacks = []
    for module in model.modules():
        if isinstance(module, nn.ModuleList) and len(module) > 0:
            kinds = {type(child) for child in module}
            if len(kinds) == 1 and sum(p.numel() for p in module[0].parameters()) > 0:
                stacks.append(module)
    # Keep the outermost lists: a block may hold a ModuleList of its own (T5's layer list).
    nested = {id(inner) for outer in stacks for inner in outer.modules() if inner is not outer}
    return [s for s in stacks if id(s) not in nested]


def prepare_model(model, params: FreezeMethod, head):
    model.requires_grad_(False)
    for stack in block_stacks(model):
        for block in list(stack)[len(stack) - params.trainable_layers :] if params.trainable_layers else []:
            block.requires_grad_(True)
    if params.train_head:
        tied = getattr(model.config, "tie_word_embeddings", False)
        for name, module in model.named_modules():
            if name.split(".")[-1] in HEAD_NAMES and not (name.endswith("lm_head") and tied):
                module.requires_grad_(True)
    return model
