"""QLoRA (Dettmers et al., 2023): LoRA on a base whose frozen weights are stored in 4 bits (NF4)
through bitsandbytes, which runs on CPU as well as GPU. The adapter is a standard PEFT folder;
to reproduce the trained model exactly, reload it on the same 4-bit base (load_kwargs)."""

import torch

from afina.config import QloraMethod
from afina.methods import lora
from afina.methods.peft_common import ALL_TASKS, load_trained, wrap  # noqa: F401

PARAMS = QloraMethod
TASKS = ALL_TASKS
MODEL_TYPES = None
MERGEABLE = True  # merged into a dequantised copy of the base
ARTIFACT = "adapter"


def load_kwargs(params: QloraMethod) -> dict:
    from transformers import BitsAndBytesConfig

    return {"quantization_config": BitsAndBytesConfig(
        load_in_4bit=True, bnb_4bit_quant_type=params.quant_type, bnb_4bit_use_double_quant=params.double_quant,
        bnb_4bit_compute_dtype=getattr(torch, params.compute_dtype)),
        "device_map": {"": 0} if torch.cuda.is_available() else "cpu"}


def prepare_model(model, params: QloraMethod, task: str):
    from peft import prepare_model_for_kbit_training

    model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)
    return wrap(model, lora.peft_config(params, task, model))
