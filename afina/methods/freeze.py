"""Freeze tuning: train only the last N transformer blocks (of each stack) and the task head.

A cheap middle ground between full fine-tuning and adapters; the result is a whole model folder.
"""

from torch import nn

from afina.config import FreezeMethod
from afina.methods.full import load_kwargs  # noqa: F401  (same artifact as full)
from afina.models.families import HEAD_NAMES

PARAMS = FreezeMethod
TASKS = ("generation", "classification", "seq2seq")
MODEL_TYPES = None
MERGEABLE = False
ARTIFACT = "model"


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


def prepare_model(model, params: FreezeMethod, task: str):
    model.requires_grad_(False)
    for stack in block_stacks(model):
        for block in list(stack)[len(stack) - params.trainable_layers:] if params.trainable_layers else []:
            block.requires_grad_(True)
    if params.train_head:
        tied = getattr(model.config, "tie_word_embeddings", False)
        for name, module in model.named_modules():
            if name.split(".")[-1] in HEAD_NAMES and not (name.endswith("lm_head") and tied):
                module.requires_grad_(True)
    return model
