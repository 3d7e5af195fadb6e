"""Prompt tuning (Lester et al., 2021) through peft: a trained soft prompt before the input
embeddings, initialised at random or from a text. Not mergeable."""

from afina.config import PromptMethod
from afina.methods.peft_common import ALL_TASKS, load_kwargs, load_trained, model_dims, task_type, wrap  # noqa: F401

PARAMS = PromptMethod
TASKS = ALL_TASKS
MODEL_TYPES = None
MERGEABLE = False
ARTIFACT = "adapter"


def prepare_model(model, params: PromptMethod, task: str, tokenizer_path: str | None = None):
    from peft import PromptTuningConfig

    init = {"prompt_tuning_init": "RANDOM"}
    if params.init_text:
        init = {"prompt_tuning_init": "TEXT", "prompt_tuning_init_text": params.init_text,
                "tokenizer_name_or_path": tokenizer_path or model.config._name_or_path}
    return wrap(model, PromptTuningConfig(num_virtual_tokens=params.num_virtual_tokens, task_type=task_type(task),
                                          **init, **model_dims(model)))
