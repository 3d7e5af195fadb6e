"""LoRA's linear layer as one autograd function: the base product, the adapter's two small products,
its scaling and the sum, forward and backward, over peft's own parameters (the adapter saved is
peft's, unchanged).

Written here because peft runs a LoRA layer as separate operations, each with its own output and
its own step in the backward pass: under autocast the input is cast to bf16 once for the base and
again for the adapter, the adapter's output is scaled and added as whole (tokens × out) tensors, and
the input's gradient comes back as two tensors cast to fp32 and added. Here the input is cast once,
the scaled adapter product is accumulated into the base product by the matmul itself (`addmm_`), and
the input's gradient likewise; only the rank-sized tensors are scaled.
"""

from __future__ import annotations

import torch


class LoraLinear(torch.autograd.Function):
    """y = x Wᵀ + bias + scaling · (x Aᵀ) Bᵀ, every product in `dtype` (the autocast dtype)."""

    @staticmethod
    def forward(ctx, x, weight, bias, lora_a, lora_b, scaling, dtype):
        shape = x.shape
        x2 = x.reshape(-1, shape[-1]).to(dtype)
        a, b, w = lora_a.to(dtype), lora_b.to(dtype), weight.to(dtype)
        h = x2 @ a.t()
        y = torch.nn.functional.linear(x2, w, None if bias is None else bias.to(dtype))
        y.addmm_(h, b.t(), alpha=scaling)
        ctx.save_for_backward(x2, h, w, a, b)
        ctx.scaling, ctx.x_shape, ctx.x_dtype = scaling, shape, x.dtype
        ctx.grad_dtypes = (lora_a.dtype, lora_b.dtype)
        return y.view(*shape[:-1], y.shape[-1])

    @staticmethod
    def backward(ctx, dy):
        x2, h, w, a, b = ctx.saved_tensors
        dy = dy.reshape(-1, dy.shape[-1]).to(x2.dtype)
        needs_x, _, _, needs_a, needs_b = ctx.needs_input_grad[:5]
        dx = da = db = None
        dh = (dy @ b).mul_(ctx.scaling)  # the gradient at the adapter's rank-sized middle
        if needs_b:
            db = (dy.t() @ h).mul_(ctx.scaling).to(ctx.grad_dtypes[1])
        if needs_a:
            da = (dh.t() @ x2).to(ctx.grad_dtypes[0])
        if needs_x:
            # the two paths summed in the input's dtype (fp32 under autocast), as autograd sums them for peft
            dx = (dy @ w).to(ctx.x_dtype)
            dx.addmm_(dh.to(ctx.x_dtype), a.to(ctx.x_dtype))
            dx = dx.view(ctx.x_shape)
        return dx, None, None, da, db, None, None


def _compute_dtype(layer, x: torch.Tensor, adapter: str) -> torch.dtype | None:
    """The dtype of the layer's products: autocast's, or the one dtype of the input and every weight;
    None where they are mixed outside autocast (peft's own casting rules then apply)."""
    device = x.device.type
    if torch.is_autocast_enabled(device):
        return torch.get_autocast_dtype(device)
    dtypes = {x.dtype, layer.base_layer.weight.dtype, layer.lora_A[adapter].weight.dtype,
              layer.lora_B[adapter].weight.dtype}
    return dtypes.pop() if len(dtypes) == 1 else None


def _fusable_adapter(layer) -> str | None:
    """The layer's one active plain-LoRA adapter, where the fused function computes what peft would:
    not merged, no dropout, no LoRA bias, no variant (DoRA...), a frozen plain base linear."""
    if layer.disable_adapters or layer.merged or len(layer.active_adapters) != 1:
        return None
    adapter = layer.active_adapters[0]
    base = layer.base_layer
    if adapter not in layer.lora_A or adapter in getattr(layer, "lora_variant", {}):
        return None
    dropout = layer.lora_dropout[adapter]
    if isinstance(dropout, torch.nn.Dropout) and dropout.training and dropout.p > 0:
        return None
    if layer.lora_A[adapter].bias is not None or layer.lora_B[adapter].bias is not None:
        return None
    if type(base) is not torch.nn.Linear or any(p.requires_grad for p in base.parameters()):
        return None
    return adapter


def _fused_forward(layer, peft_forward):
    def forward(x, *args, **kwargs):
        adapter = None if args or kwargs else _fusable_adapter(layer)
        dtype = _compute_dtype(layer, x, adapter) if adapter is not None else None
        if dtype is None:
            return peft_forward(x, *args, **kwargs)
        base = layer.base_layer
        return LoraLinear.apply(x, base.weight, base.bias, layer.lora_A[adapter].weight,
                                layer.lora_B[adapter].weight, layer.scaling[adapter], dtype)

    return forward


def use_fused_lora(model) -> int:
    """Route every peft LoRA linear layer of `model` through `LoraLinear` (each falls back to peft's
    forward whenever a call is one it does not cover); returns how many layers were routed."""
    from peft.tuners.lora.layer import Linear

    routed = 0
    for module in model.modules():
        if type(module) is Linear and "forward" not in vars(module):  # not bitsandbytes' or others' subclasses
            module.forward = _fused_forward(module, module.forward)
            routed += 1
    return routed
