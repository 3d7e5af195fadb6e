"""Prefix tuning (Li & Liang, 2021) through peft: trained key/value prefixes in every attention layer.

It needs a model that accepts past key/values, which DistilBERT does not. Not mergeable."""

from afina.config import PrefixMethod
from afina.methods.peft_common import ALL_TASKS, load_kwargs, load_trained, model_dims, task_type, wrap  # noqa: F401

PARAMS = PrefixMethod
TASKS = ALL_TASKS
MODEL_TYPES = {"llama", "gpt2", "qwen2", "mistral", "bert", "roberta", "t5"}
MERGEABLE = False
ARTIFACT = "adapter"


def prepare_model(model, params: PrefixMethod, task: str):
    from peft import PrefixTuningConfig

    return wrap(model, PrefixTuningConfig(num_virtual_tokens=params.num_virtual_tokens,
                                          prefix_projection=params.projection, task_type=task_type(task),
                                          **model_dims(model)))
