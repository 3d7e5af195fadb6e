"""P-tuning (Liu et al., 2021) through peft: virtual tokens produced by a small trained prompt
encoder (MLP or LSTM). Not mergeable."""

from typing import Literal

from pydantic import Field

from afina.methods import prefix
from afina.methods.peft_common import ALL_HEADS, load_kwargs, load_trained, model_dims, wrap  # noqa: F401
from afina.settings import Section


class PtuningMethod(Section):
    name: Literal["ptuning"] = "ptuning"
    num_virtual_tokens: int = Field(16, ge=1, description="Virtual tokens produced by the prompt encoder.")
    encoder_hidden_size: int = Field(128, ge=1, description="Width of the prompt encoder.")
    encoder_type: Literal["MLP", "LSTM"] = Field("MLP", description="Prompt encoder architecture.")


PARAMS = PtuningMethod
HEADS = ALL_HEADS
MODEL_TYPES = None
MERGEABLE = False
ARTIFACT = "adapter"
SPEED = prefix.SPEED  # prompt learning: virtual tokens on every row
ACTIVATION_CHECKPOINTING = False


def prepare_model(model, params: PtuningMethod, head):
    from peft import PromptEncoderConfig

    return wrap(
        model,
        PromptEncoderConfig(
            num_virtual_tokens=params.num_virtual_tokens,
            encoder_hidden_size=params.encoder_hidden_size,
            encoder_reparameterization_type=params.encoder_type,
            task_type=head.peft_task_type,
            **model_dims(model),
        ),
    )
