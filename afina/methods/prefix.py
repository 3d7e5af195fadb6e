"""Prefix tuning (Li & Liang, 2021) through peft: trained key/value prefixes in every attention layer.

It needs a model that accepts past key/values, which DistilBERT does not. Not mergeable."""

from typing import Literal

from pydantic import Field

from afina.methods.peft_common import ALL_HEADS, load_kwargs, load_trained, model_dims, wrap  # noqa: F401
from afina.settings import Section


class PrefixMethod(Section):
    name: Literal["prefix"] = "prefix"
    num_virtual_tokens: int = Field(16, ge=1, description="Trained key/value prefix length, per layer.")
    projection: bool = Field(False, description="Reparametrise the prefix through an MLP (Li & Liang, 2021).")


PARAMS = PrefixMethod
HEADS = ALL_HEADS
MODEL_TYPES = {"llama", "gpt2", "qwen2", "mistral", "bert", "roberta", "t5"}
MERGEABLE = False
ARTIFACT = "adapter"
# Not padding_free: prompt-learning methods prepend virtual tokens to every row.
SPEED = frozenset({"frozen_bf16"})
ACTIVATION_CHECKPOINTING = False


def prepare_model(model, params: PrefixMethod, head):
    from peft import PrefixTuningConfig

    return wrap(
        model,
        PrefixTuningConfig(
            num_virtual_tokens=params.num_virtual_tokens,
            prefix_projection=params.projection,
            task_type=head.peft_task_type,
            **model_dims(model),
        ),
    )
