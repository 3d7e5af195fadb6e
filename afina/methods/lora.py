"""LoRA (Hu et al., 2021) through peft: low-rank updates beside the frozen base weights.

The result is a standard PEFT adapter folder that loads with `PeftModel.from_pretrained`.
"""

from afina.config import LoraMethod

PARAMS = LoraMethod
TASKS = ("generation",)
MERGEABLE = True
ARTIFACT = "adapter"


def peft_config(params: LoraMethod, task_type: str = "CAUSAL_LM"):
    from peft import LoraConfig

    return LoraConfig(r=params.r, lora_alpha=params.alpha, lora_dropout=params.dropout,
                      target_modules=params.target_modules, task_type=task_type)


def prepare_model(model, params: LoraMethod):
    from peft import get_peft_model

    return get_peft_model(model, peft_config(params))
