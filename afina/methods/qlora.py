"""QLoRA (Dettmers et al., 2023): LoRA on a base whose frozen weights are stored in 4 bits (NF4)
through bitsandbytes, which runs on CPU as well as GPU. The adapter is a standard PEFT folder;
to reproduce the trained model exactly, reload it on the same 4-bit base (load_kwargs)."""

from typing import Literal

import torch
from pydantic import Field

from afina.methods import lora, peft_common
from afina.methods.peft_common import wrap


class QloraMethod(lora.LoraMethod):
    name: Literal["qlora"] = "qlora"
    quant_type: Literal["nf4", "fp4"] = Field("nf4", description="4-bit data type of the frozen base weights.")
    double_quant: bool = Field(True, description="Quantise the quantisation constants too (saves ~0.4 bit/param).")
    compute_dtype: Literal["bfloat16", "float32"] = Field("bfloat16", description="dtype of the 4-bit matmuls.")


PARAMS = QloraMethod
# bitsandbytes cannot quantise the encoders' classification stacks (peft's 4-bit dispatch fails on them).
HEADS = frozenset({"causal_lm", "seq2seq_lm"})
MODEL_TYPES = None
MERGEABLE = True  # merged into a dequantised copy of the base
ARTIFACT = "adapter"
SPEED = lora.SPEED
# Its recipe: a method chosen to save memory recomputes activations too, as peft prepares a 4-bit model.
ACTIVATION_CHECKPOINTING = True


def load_kwargs(params: QloraMethod) -> dict:
    from transformers import BitsAndBytesConfig

    return {
        "quantization_config": BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type=params.quant_type,
            bnb_4bit_use_double_quant=params.double_quant,
            bnb_4bit_compute_dtype=getattr(torch, params.compute_dtype),
        ),
        "device_map": {"": 0} if torch.cuda.is_available() else "cpu",
    }


def _prepare_base(model):
    """The 4-bit base frozen, its half-precision norms and biases in fp32 for stable training.

    peft's prepare_model_for_kbit_training casts every half-precision parameter to fp32, the embeddings
    too: a sixth of a 1.5B Qwen2's weights, doubled in memory, for tables that are frozen and only looked
    up. The embeddings and the output head stay as the checkpoint has them; the rest is what it does
    (activation checkpointing is Trainer's, ACTIVATION_CHECKPOINTING above). Its 4-bit layers dequantise
    into one reused buffer on CPU (afina.methods.linear4bit)."""
    import bitsandbytes as bnb

    from afina.methods.linear4bit import reuse_buffer

    # On AVX512-BF16 CPUs bitsandbytes repacks 4-bit weights for a faster inference kernel at the first
    # no-grad forward, and unpacks them at every save; the two kernels differ by ~1e-3, so a model's
    # logits would depend on whether it was saved since. One kernel everywhere keeps them reproducible.
    for module in model.modules():
        if isinstance(module, bnb.nn.Linear4bit):
            module.support_avx512bf16_for_cpu = False
            module.register_forward_pre_hook(_input_to_autocast_dtype)
    reuse_buffer(model)
    tables = [model.get_input_embeddings(), model.get_output_embeddings()]
    kept = {id(p) for table in tables if table is not None for p in table.parameters()}
    if tables[1] is not None:
        tables[1].register_forward_pre_hook(_input_to_weight_dtype)
    for param in model.parameters():
        param.requires_grad = False
        half = param.dtype in (torch.float16, torch.bfloat16)
        if half and id(param) not in kept and not isinstance(param, bnb.nn.Params4bit):
            param.data = param.data.to(torch.float32)
    return model


def _input_to_autocast_dtype(module, args):
    """A 4-bit layer under autocast takes and returns autocast's dtype, as a plain linear layer does there.
    bitsandbytes' product is an op autocast does not see: the layer computes in its compute dtype and returns
    its input's, fp32 under autocast, so every activation after it (the MLP's, the attention's) was kept for
    the backward pass in fp32, twice the memory of LoRA's on the same base. Only where its compute dtype is
    autocast's, so that its products are unchanged."""
    x = args[0]
    device = x.device.type
    if torch.is_autocast_enabled(device) and x.is_floating_point():
        dtype = torch.get_autocast_dtype(device)
        if module.compute_dtype == dtype:
            return (x.to(dtype), *args[1:])
    return None


def _input_to_weight_dtype(module, args):
    """The output layer kept in the checkpoint's half precision takes the fp32 residual stream in its dtype
    outside autocast (which would cast it anyway); its logits are then in that dtype."""
    x = args[0]
    weight = getattr(module, "weight", None)
    if weight is not None and x.is_floating_point() and x.dtype != weight.dtype:
        if not torch.is_autocast_enabled(x.device.type):
            return (x.to(weight.dtype), *args[1:])
    return None


def _adapters_to_bf16(model):
    """LoRA weights in bf16, as the QLoRA paper trains them (TRL does the same for generation; doing it
    here makes every task alike, and a reload must repeat it to give the trained model's logits).
    DoRA's magnitude stays fp32: its updates are below bf16's resolution (TRL #7268)."""
    for name, param in model.named_parameters():
        if "lora_" in name and "lora_magnitude_vector" not in name:
            param.data = param.data.to(torch.bfloat16)
    return model


def prepare_model(model, params: QloraMethod, head):
    model = _prepare_base(model)
    return _adapters_to_bf16(wrap(model, lora.peft_config(params, head, model)))


def load_trained(base_model, path):
    """On the 4-bit base prepared as in training, with bf16 adapters, so the logits match."""
    return _adapters_to_bf16(peft_common.load_trained(_prepare_base(base_model), path))
