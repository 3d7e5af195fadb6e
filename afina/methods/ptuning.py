"""P-tuning (Liu et al., 2021) through peft: virtual tokens produced by a small trained prompt
encoder (MLP or LSTM). Not mergeable."""

from afina.config import PtuningMethod
from afina.methods.peft_common import ALL_TASKS, load_kwargs, load_trained, model_dims, task_type, wrap  # noqa: F401

PARAMS = PtuningMethod
TASKS = ALL_TASKS
MODEL_TYPES = None
MERGEABLE = False
ARTIFACT = "adapter"


def prepare_model(model, params: PtuningMethod, task: str):
    from peft import PromptEncoderConfig

    return wrap(model, PromptEncoderConfig(num_virtual_tokens=params.num_virtual_tokens,
                                           encoder_hidden_size=params.encoder_hidden_size,
                                           encoder_reparameterization_type=params.encoder_type,
                                           task_type=task_type(task), **model_dims(model)))
