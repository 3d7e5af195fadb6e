"""Full fine-tuning: every weight of the base model is trained; the result is a whole model folder."""

from typing import Literal

from afina.methods.peft_common import ALL_HEADS, load_kwargs  # noqa: F401  (no extra loading arguments)
from afina.settings import Section


class FullMethod(Section):
    name: Literal["full"] = "full"


PARAMS = FullMethod
HEADS = ALL_HEADS
MODEL_TYPES = None
MERGEABLE = False  # nothing to merge: the result is already a standalone model
ARTIFACT = "model"
SPEED = frozenset({"padding_free"})  # every weight trains and is saved: none stay frozen in bf16
ACTIVATION_CHECKPOINTING = False


def prepare_model(model, params: FullMethod, head):
    for parameter in model.parameters():
        parameter.requires_grad_(True)
    return model
