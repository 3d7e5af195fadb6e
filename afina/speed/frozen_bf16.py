"""Frozen weights stored in bf16 once, under bf16 autocast: the same products as casting them in every
forward pass, without the casts or the copies kept for the backward pass.
"""

from __future__ import annotations

from pathlib import Path

import torch


def frozen_linears_to_bf16(model) -> int:
    """Store every frozen linear layer's weights in bf16; returns how many parameters were cast. The
    parameters left views of a mapped checkpoint are then copied out (`copy_out_of_file_mappings`).

    A weight shared with the input embeddings (a tied output head) stays as it is: embeddings are
    not autocast, so their dtype would change the numbers."""
    shared = {
        id(p) for module in model.modules() if isinstance(module, torch.nn.Embedding) for p in module.parameters()
    }
    cast = 0
    for module in model.modules():
        if type(module) is not torch.nn.Linear:  # plain linears only: peft's LoRA wraps one as its base_layer
            continue
        for parameter in module.parameters(recurse=False):
            if not parameter.requires_grad and id(parameter) not in shared and parameter.dtype == torch.float32:
                parameter.data = parameter.data.to(torch.bfloat16)
                cast += parameter.numel()
    if cast:
        copy_out_of_file_mappings(model)
    return cast


def copy_out_of_file_mappings(model) -> int:
    """Copy into memory the parameters and buffers that are views of a mapped file; returns how many.

    transformers loads a safetensors checkpoint as views of one mapping of the whole file, which stays
    as long as any of them does: once the linear weights are cast, the fp32 pages they were read from
    (~330 MB on the ~100M model) would stay resident for the run, held by the embeddings and norms.
    Copied out, those let the mapping go. Linux only (/proc/self/maps); elsewhere nothing is copied."""
    try:
        maps = Path("/proc/self/maps").read_text().splitlines()
    except OSError:
        return 0
    files = []
    for line in maps:
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5].startswith("/"):  # a mapped file, not anonymous memory
            start, end = (int(address, 16) for address in fields[0].split("-"))
            files.append((start, end))
    copied = 0
    for tensor in [*model.parameters(), *model.buffers()]:
        address = tensor.untyped_storage().data_ptr()
        if any(start <= address < end for start, end in files):
            tensor.data = tensor.data.clone()
            copied += 1
    return copied


def adapter_inputs_left_to_autocast(model) -> None:
    """peft casts an adapter layer's input to its fp32 weights' dtype, and autocast casts it back to
    bf16 for the product: a bf16 -> fp32 -> bf16 round trip, exact and wasted. peft's own switch
    (`cast_input_dtype_enabled`) turns it off."""
    for module in model.modules():
        if hasattr(module, "cast_input_dtype_enabled"):
            module.cast_input_dtype_enabled = False
