"""The hand-written RMSNorm: transformers' forward bit for bit, its gradients up to float rounding, and
only for norms it computes exactly."""

import pytest
import torch
from transformers.models.llama.modeling_llama import LlamaRMSNorm

from afina.speed.fused_norm import RMSNorm, use_fused_norm


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
@pytest.mark.parametrize("trained", [False, True])  # LoRA freezes the norm; full fine-tuning trains its weight
def test_same_outputs_and_gradients_as_transformers(dtype, trained):
    torch.manual_seed(0)
    norm = LlamaRMSNorm(48, eps=1e-6)
    with torch.no_grad():
        norm.weight.uniform_(0.5, 1.5)
    norm.weight.requires_grad_(trained)
    x = (torch.randn(2, 7, 48) * 3).to(dtype).requires_grad_()
    upstream = torch.randn(2, 7, 48).to(dtype)
    want = norm(x)
    want_grads = torch.autograd.grad(want, [x, norm.weight] if trained else [x], upstream)
    got = RMSNorm.apply(x, norm.weight, norm.variance_epsilon)
    got_grads = torch.autograd.grad(got, [x, norm.weight] if trained else [x], upstream)
    assert got.dtype == want.dtype and torch.equal(got, want)
    tolerance = {"rtol": 1e-5, "atol": 1e-6} if dtype == torch.float32 else {"rtol": 2e-2, "atol": 2e-2}
    for g, w in zip(got_grads, want_grads):
        assert g.dtype == w.dtype
        torch.testing.assert_close(g, w, **tolerance)


class _OnePlusWeightRMSNorm(LlamaRMSNorm):
    """A norm laid out as Llama's that computes otherwise (Gemma scales by 1 + weight)."""

    def forward(self, hidden_states):
        h = hidden_states.float()
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.variance_epsilon)
        return (1 + self.weight) * h.to(hidden_states.dtype)


def test_only_norms_it_computes_exactly_are_routed():
    model = torch.nn.ModuleList([LlamaRMSNorm(16), _OnePlusWeightRMSNorm(16), torch.nn.LayerNorm(16)])
    assert use_fused_norm(model) == 1
    assert "forward" in vars(model[0]) and "forward" not in vars(model[1])
    x = torch.randn(3, 16)
    torch.testing.assert_close(model[1](x), (1 + model[1].weight) * LlamaRMSNorm(16)(x))
