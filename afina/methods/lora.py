"""LoRA (Hu et al., 2021) through peft: low-rank updates beside the frozen base weights.

DoRA and QLoRA are the same method with one switch each (see dora.py, qlora.py). The result is a
standard PEFT adapter folder that loads with `PeftModel.from_pretrained`.
"""

from typing import Literal

from pydantic import Field

from afina.methods.peft_common import ADDITIVE_SPEED, ALL_HEADS, head_modules, load_kwargs, load_trained, wrap  # noqa: F401
from afina.settings import Section


class LoraMethod(Section):
    name: Literal["lora"] = "lora"
    r: int = Field(16, ge=1, description="LoRA rank.")
    alpha: int = Field(32, ge=1, description="LoRA scaling numerator (scale = alpha / r).")
    dropout: float = Field(0.0, ge=0.0, lt=1.0, description="Dropout on the LoRA input.")
    target_modules: list[str] | str = Field("all-linear", description="Module names to adapt, or 'all-linear'.")


PARAMS = LoraMethod
HEADS = ALL_HEADS
MODEL_TYPES = None
MERGEABLE = True
ARTIFACT = "adapter"
SPEED = ADDITIVE_SPEED | {"fused_lora"}
ACTIVATION_CHECKPOINTING = False


def peft_config(params: LoraMethod, head, model, use_dora: bool = False):
    """peft's LoraConfig for these settings on this model."""
    from peft import LoraConfig

    # 'all-linear' must not adapt the task head, which peft trains in full (modules_to_save).
    exclude = head_modules(model) if params.target_modules == "all-linear" else None
    return LoraConfig(
        r=params.r,
        lora_alpha=params.alpha,
        lora_dropout=params.dropout,
        target_modules=params.target_modules,
        exclude_modules=exclude or None,
        task_type=head.peft_task_type,
        use_dora=use_dora,
    )


def prepare_model(model, params: LoraMethod, head):
    return wrap(model, peft_config(params, head, model))
