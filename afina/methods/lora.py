"""LoRA (Hu et al., 2021) through peft: low-rank updates beside the frozen base weights.

DoRA and QLoRA are the same method with one switch each (see dora.py, qlora.py). The result is a
standard PEFT adapter folder that loads with `PeftModel.from_pretrained`.
"""

from afina.config import LoraMethod
from afina.methods.peft_common import ALL_TASKS, head_modules, load_kwargs, load_trained, task_type, wrap  # noqa: F401

PARAMS = LoraMethod
TASKS = ALL_TASKS
MODEL_TYPES = None
MERGEABLE = True
ARTIFACT = "adapter"


def peft_config(params: LoraMethod, task: str, model, use_dora: bool = False):
    from peft import LoraConfig

    # 'all-linear' must not adapt the task head, which peft trains in full (modules_to_save).
    exclude = head_modules(model) if params.target_modules == "all-linear" else None
    return LoraConfig(r=params.r, lora_alpha=params.alpha, lora_dropout=params.dropout,
                      target_modules=params.target_modules, exclude_modules=exclude or None,
                      task_type=task_type(task), use_dora=use_dora)


def prepare_model(model, params: LoraMethod, task: str):
    return wrap(model, peft_config(params, task, model))
