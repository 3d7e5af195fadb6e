"""A bitsandbytes 4-bit linear layer that, on CPU, dequantises its weight into one reused buffer.

bitsandbytes multiplies by a 4-bit weight by dequantising it whole into a fresh tensor at every forward
and again at every backward (its CPU kernel has no `out=` variant). With afina's allocator setting
(`speed.reuse_freed_memory`), those 4-56 MB blocks stay in the heap between the saved activations and
fragment it: at 1.5B parameters a QLoRA step held 0.7-1.9 GB more than its tensors. Here each layer
dequantises with bitsandbytes' own kernel into a per-thread buffer sized for the largest layer, and the
products are those bitsandbytes computes (the same kernel, then the same matmul), so results are
bit-identical. Elsewhere (GPU, a layout the kernel does not take) bitsandbytes' own path runs.
"""

from __future__ import annotations

import ctypes
import threading
from math import prod

import bitsandbytes as bnb
import torch
from bitsandbytes.nn.modules import fix_4bit_weight_quant_state_from_module
from torch.autograd.function import once_differentiable

_DTYPE_SUFFIX = {torch.bfloat16: "bf16", torch.float16: "fp16", torch.float32: "fp32"}


class _Buffers(threading.local):
    """One flat buffer per dtype and thread, grown to the largest weight it has held."""

    def __init__(self):
        self.flat: dict[torch.dtype, torch.Tensor] = {}

    def view(self, shape, dtype) -> torch.Tensor:
        numel = prod(shape)
        flat = self.flat.get(dtype)
        if flat is None or flat.numel() < numel:
            self.flat.pop(dtype, None)  # the smaller buffer freed before the larger one is made
            flat = self.flat[dtype] = torch.empty(numel, dtype=dtype)
        return flat[:numel].view(shape)


_BUFFERS = _Buffers()


def _kernel(state, dtype):
    """bitsandbytes' CPU kernel dequantising this weight into `dtype`, or None where its CPU op would not
    use it (odd row length, AVX512 with blocks of 2048 or more, weights repacked for inference) or there is
    none (no such dtype, a native library that did not load)."""
    from bitsandbytes.backends.cpu.ops import _has_avx512
    from bitsandbytes.cextension import lib

    if state.shape[-1] % 2 or (_has_avx512 and state.blocksize >= 2048):
        return None
    if getattr(state, "packing_format_for_cpu", False) or dtype not in _DTYPE_SUFFIX:
        return None
    name = f"cdequantize_blockwise_cpu_{state.quant_type}_{_DTYPE_SUFFIX[dtype]}"
    return getattr(getattr(lib, "_lib", None), name, None)  # the library's own attribute raises only when called


def dequantize(weight, dtype) -> torch.Tensor:
    """The weight in `dtype`, written into this thread's buffer (valid until the next call) where
    bitsandbytes' CPU kernel takes it, else a fresh tensor from bitsandbytes' own op."""
    state = weight.quant_state
    kernel = _kernel(state, dtype)
    if kernel is None:
        return bnb.functional.dequantize_4bit(weight.data, state).to(dtype)
    absmax = state.absmax
    if state.nested:
        absmax = bnb.functional.dequantize_blockwise(state.absmax, state.state2)
        absmax += state.offset
    absmax = absmax.float().contiguous()
    codes = weight.data.view(torch.uint8).contiguous()
    out = _BUFFERS.view(tuple(state.shape), dtype)
    rows, cols = prod(state.shape[:-1]), state.shape[-1]
    kernel(
        ctypes.c_void_p(codes.data_ptr()),
        ctypes.c_void_p(absmax.data_ptr()),
        ctypes.c_void_p(out.data_ptr()),
        ctypes.c_longlong(state.blocksize),
        ctypes.c_longlong(rows),
        ctypes.c_longlong(cols),
    )
    return out


class _Product(torch.autograd.Function):
    """x @ W.T + b for a frozen 4-bit W: nothing of W is kept for the backward pass, it is dequantised again."""

    @staticmethod
    def forward(ctx, x, bias, weight):
        ctx.weight = weight
        return torch.nn.functional.linear(x, dequantize(weight, x.dtype), bias)

    @staticmethod
    @once_differentiable
    def backward(ctx, grad):
        grad_x = grad_bias = None
        if ctx.needs_input_grad[0]:
            # as bitsandbytes' backward: the weight in its checkpoint's dtype, then in the gradient's
            dtype = ctx.weight.quant_state.dtype
            grad_x = grad @ dequantize(ctx.weight, dtype).to(grad.dtype)
        if ctx.needs_input_grad[1]:
            grad_bias = grad.reshape(-1, grad.shape[-1]).sum(0)
        return grad_x, grad_bias, None


class BufferedLinear4bit(bnb.nn.Linear4bit):
    """bnb.nn.Linear4bit computing as it does, through the reused buffer on CPU (`reuse_buffer`)."""

    def forward(self, x):
        fix_4bit_weight_quant_state_from_module(self)
        state = self.weight.quant_state
        if not self.compute_type_is_set:
            self.set_compute_type(x)
            self.compute_type_is_set = True
        # As bnb.nn.Linear4bit: the product in its compute dtype, the result in the input's dtype.
        compute = self.compute_dtype or x.dtype
        if x.device.type != "cpu" or _kernel(state, compute) is None:
            return super().forward(x)
        bias = None if self.bias is None else self.bias.to(compute)
        return _Product.apply(x.to(compute), bias, self.weight).to(x.dtype)


def reuse_buffer(model):
    """Every bitsandbytes 4-bit linear layer of the model made a BufferedLinear4bit (a subclass, so peft
    and bitsandbytes still recognise it)."""
    for module in model.modules():
        if type(module) is bnb.nn.Linear4bit:
            module.__class__ = BufferedLinear4bit
    return model
