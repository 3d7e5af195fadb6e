"""DoRA (Liu et al., 2024) through peft: LoRA on the direction of each weight, with its magnitude
trained apart. Same parameters and artifact as LoRA."""

from typing import Literal

from afina.methods import lora
from afina.methods.peft_common import ALL_HEADS, load_kwargs, load_trained, wrap  # noqa: F401


class DoraMethod(lora.LoraMethod):
    name: Literal["dora"] = "dora"


PARAMS = DoraMethod
HEADS = ALL_HEADS
MODEL_TYPES = None
MERGEABLE = True
ARTIFACT = "adapter"
# Not frozen_bf16: DoRA reads its base weights outside the forward pass (the weight norm), where
# autocast does not reach. Fused LoRA leaves DoRA layers to peft by itself.
SPEED = frozenset({"padding_free", "fused_lora"})
ACTIVATION_CHECKPOINTING = False


def prepare_model(model, params: DoraMethod, head):
    return wrap(model, lora.peft_config(params, head, model, use_dora=True))
