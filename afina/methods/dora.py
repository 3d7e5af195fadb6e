"""DoRA (Liu et al., 2024) through peft: LoRA on the direction of each weight, with its magnitude
trained apart. Same parameters and artifact as LoRA."""

from afina.config import DoraMethod
from afina.methods import lora
from afina.methods.peft_common import ALL_TASKS, load_kwargs, load_trained, wrap  # noqa: F401

PARAMS = DoraMethod
TASKS = ALL_TASKS
MODEL_TYPES = None
MERGEABLE = True
ARTIFACT = "adapter"


def prepare_model(model, params: DoraMethod, task: str):
    return wrap(model, lora.peft_config(params, task, model, use_dora=True))
