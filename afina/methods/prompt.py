"""Prompt tuning (Lester et al., 2021) through peft: a trained soft prompt before the input
embeddings, initialised at random or from a text. Not mergeable."""

from typing import Literal

from pydantic import Field

from afina.methods import prefix
from afina.methods.peft_common import ALL_HEADS, load_kwargs, load_trained, model_dims, wrap  # noqa: F401
from afina.settings import Section


class PromptMethod(Section):
    name: Literal["prompt"] = "prompt"
    num_virtual_tokens: int = Field(16, ge=1, description="Trained soft-prompt length.")
    init_text: str | None = Field(
        None, description="Initialise the soft prompt from this text's embeddings; null: random."
    )


PARAMS = PromptMethod
HEADS = ALL_HEADS
MODEL_TYPES = None
MERGEABLE = False
ARTIFACT = "adapter"
SPEED = prefix.SPEED  # prompt learning: virtual tokens on every row
ACTIVATION_CHECKPOINTING = False


def prepare_model(model, params: PromptMethod, head, tokenizer_path: str | None = None):
    from peft import PromptTuningConfig

    init = {"prompt_tuning_init": "RANDOM"}
    if params.init_text:
        init = {
            "prompt_tuning_init": "TEXT",
            "prompt_tuning_init_text": params.init_text,
            "tokenizer_name_or_path": tokenizer_path or model.config._name_or_path,
        }
    return wrap(
        model,
        PromptTuningConfig(
            num_virtual_tokens=params.num_virtual_tokens, task_type=head.peft_task_type, **init, **model_dims(model)
        ),
    )
