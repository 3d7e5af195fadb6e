"""RMSNorm as one autograd function with its backward written out.

Written here because transformers' RMSNorm runs as seven whole-tensor operations, each kept for its
own step of the backward pass; this computes the same forward pass in four, bit for bit, and the
backward pass from its formula in four more. (`torch.nn.functional.rms_norm`'s CPU backward is
composite: see benchmarks/README.md.)
"""

from __future__ import annotations

import torch


class RMSNorm(torch.autograd.Function):
    """weight · (x / sqrt(mean(x²) + eps)), the statistics in fp32 and the product in x's dtype, as
    transformers' Llama, Mistral and Qwen2 norms compute it."""

    @staticmethod
    def forward(ctx, x, weight, eps):
        h = x.float()
        rstd = h.pow(2).mean(-1, keepdim=True).add_(eps).rsqrt_()
        normed = (h * rstd).to(x.dtype)
        ctx.save_for_backward(x, rstd, weight)
        same = weight.dtype == normed.dtype and weight.dim() == 1
        return normed.mul_(weight) if same else weight * normed

    @staticmethod
    def backward(ctx, grad):
        x, rstd, weight = ctx.saved_tensors
        h = x.float()
        dweight = None
        if ctx.needs_input_grad[1]:
            normed = (h * rstd).to(x.dtype)
            dweight = (grad * normed).flatten(0, -2).sum(0).to(weight.dtype)
        # d/dh of h·rstd, rstd = (mean(h²) + eps)^-1/2: rstd·g − h·rstd³·mean(g·h), with g = grad·weight
        g = (grad * weight).float()
        mean = torch.linalg.vecdot(g, h).unsqueeze(-1).mul_(rstd.pow(3)).div_(h.shape[-1])
        dx = g.mul_(rstd).addcmul_(h, mean, value=-1)  # g is a new tensor: grad · weight
        return dx.to(x.dtype), dweight, None


def _fused_forward(module):
    def fused(hidden_states):
        return RMSNorm.apply(hidden_states, module.weight, module.variance_epsilon)

    return fused


def _computes_the_same(module) -> bool:
    """Whether `RMSNorm` gives the module's own output, bit for bit, on a probe (no random numbers drawn):
    a norm computed otherwise (Gemma's 1 + weight, another placement of the cast) keeps its forward."""
    size = module.weight.shape[-1]
    probe = torch.linspace(-3.0, 2.0, 3 * size, dtype=module.weight.dtype, device=module.weight.device).view(3, size)
    with torch.no_grad():
        return torch.equal(module(probe), RMSNorm.apply(probe, module.weight, module.variance_epsilon))


def use_fused_norm(model) -> int:
    """Route every RMSNorm of `model` that `RMSNorm` computes exactly (a `weight` and a
    `variance_epsilon`, as transformers' Llama family has) through it; returns how many were routed."""
    routed = 0
    for module in model.modules():
        if (
            type(module).__name__.endswith("RMSNorm")
            and "forward" not in vars(module)
            and isinstance(getattr(module, "weight", None), torch.Tensor)
            and isinstance(getattr(module, "variance_epsilon", None), float)
            and _computes_the_same(module)
        ):
            module.forward = _fused_forward(module)
            routed += 1
    return routed
