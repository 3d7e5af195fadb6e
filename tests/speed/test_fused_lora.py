"""afina's fused LoRA layer computes what peft's computes, forward and backward, and leaves to peft
every call it does not cover."""

import copy

import pytest
import torch
from peft import LoraConfig, get_peft_model

from afina.speed.fused_lora import _fusable_adapter, use_fused_lora

from conftest import tiny_llama


def _model(bias=False, **lora):
    base = tiny_llama(attention_bias=bias)
    # init_lora_weights=False: B is random too, so the adapter's path is not zero
    return get_peft_model(
        base, LoraConfig(r=4, lora_alpha=12, target_modules="all-linear", init_lora_weights=False, **lora)
    )


def _loss_and_grads(model, ids, autocast=False):
    model.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
        loss = model(input_ids=ids, labels=ids).loss
    loss.backward()
    return loss.detach(), {name: p.grad.clone() for name, p in model.named_parameters() if p.requires_grad}


@pytest.mark.parametrize("bias", [False, True])
def test_fp32_loss_and_gradients_equal_peft(bias):
    peft_model = _model(bias)
    fused = copy.deepcopy(peft_model)
    assert use_fused_lora(fused) == 14  # 7 linear layers in each of 2 blocks
    ids = torch.randint(0, 97, (2, 11))
    loss, grads = _loss_and_grads(peft_model, ids)
    fused_loss, fused_grads = _loss_and_grads(fused, ids)
    torch.testing.assert_close(fused_loss, loss, rtol=1e-6, atol=1e-6)
    assert grads.keys() == fused_grads.keys() and len(grads) == 28
    for name in grads:
        torch.testing.assert_close(fused_grads[name], grads[name], rtol=1e-4, atol=1e-6, msg=name)


def test_under_bf16_autocast_it_is_as_close_to_fp32_as_peft():
    peft_model = _model()
    fused = copy.deepcopy(peft_model)
    use_fused_lora(fused)
    ids = torch.randint(0, 97, (2, 11))
    exact_loss, exact = _loss_and_grads(peft_model, ids)
    peft_loss, peft_grads = _loss_and_grads(peft_model, ids, autocast=True)
    fused_loss, fused_grads = _loss_and_grads(fused, ids, autocast=True)
    assert all(g.dtype == torch.float32 for g in fused_grads.values())  # the adapter's own dtype
    assert abs(fused_loss - exact_loss) <= 2 * abs(peft_loss - exact_loss) + 1e-3

    def error(grads):  # median relative error over the adapter's weights
        return torch.tensor([((grads[n] - exact[n]).norm() / exact[n].norm()).item() for n in exact]).median()

    assert error(fused_grads) <= 1.5 * error(peft_grads)
    assert error(fused_grads) < 0.05


def test_a_layer_output_keeps_peft_dtype_and_shape_under_autocast():
    model = _model()
    layer = model.base_model.model.model.layers[0].mlp.down_proj
    x = torch.randn(3, 5, 64)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        want = layer(x)
        use_fused_lora(model)
        got = layer(x)
    assert got.dtype == want.dtype == torch.bfloat16 and got.shape == want.shape == (3, 5, 32)
    torch.testing.assert_close(got.float(), want.float(), rtol=0.02, atol=0.02)


def test_calls_it_does_not_cover_go_to_peft():
    dropout = _model(lora_dropout=0.5)
    use_fused_lora(dropout)
    layer = dropout.base_model.model.model.layers[0].self_attn.q_proj
    assert _fusable_adapter(layer) is None  # dropout while training
    dropout.eval()
    assert _fusable_adapter(layer) == "default"  # dropout is the identity in evaluation

    dora = _model(use_dora=True)
    use_fused_lora(dora)
    assert _fusable_adapter(dora.base_model.model.model.layers[0].self_attn.q_proj) is None

    model = _model()
    use_fused_lora(model)
    layer = model.base_model.model.model.layers[0].self_attn.q_proj
    x = torch.randn(2, 3, 32)
    before = layer(x)
    layer.merge()  # the adapter folded into the base weight: peft's forward, the same result
    assert _fusable_adapter(layer) is None
    torch.testing.assert_close(layer(x), before, rtol=1e-5, atol=1e-5)
    layer.unmerge()
    with model.disable_adapter():
        assert _fusable_adapter(layer) is None
        torch.testing.assert_close(layer(x), layer.base_layer(x))


def test_the_saved_adapter_is_peft_own(tmp_path):
    from peft import PeftModel

    model = _model()
    use_fused_lora(model)
    ids = torch.randint(0, 97, (1, 9))
    with torch.no_grad():
        logits = model(input_ids=ids).logits
    model.save_pretrained(tmp_path / "adapter")
    base = tiny_llama()
    reloaded = PeftModel.from_pretrained(base, tmp_path / "adapter")  # plain peft, nothing of afina's
    with torch.no_grad():
        torch.testing.assert_close(reloaded(input_ids=ids).logits, logits, rtol=1e-5, atol=1e-5)


def test_siblings_reading_one_input_run_as_one_call(monkeypatch):
    from afina.speed import fused_lora

    model = _model()
    use_fused_lora(model)
    calls = []
    apply = fused_lora.LoraLinears.apply
    monkeypatch.setattr(
        fused_lora.LoraLinears,
        "apply",
        lambda x, dtype, scalings, *w: calls.append(len(scalings)) or apply(x, dtype, scalings, *w),
    )
    model(input_ids=torch.randint(0, 97, (1, 7)))
    assert calls == [3, 1, 2, 1] * 2  # q/k/v, o, gate/up, down in each block

    # a sibling called on another tensor computes its own output, not the one kept for the first input
    attention = model.base_model.model.model.layers[1].self_attn
    x, y = torch.randn(1, 4, 32), torch.randn(1, 4, 32)
    with torch.no_grad():
        attention.q_proj(x)
        alone = copy.deepcopy(attention.k_proj.base_layer)(y) + attention.k_proj.scaling["default"] * (
            y @ attention.k_proj.lora_A["default"].weight.t() @ attention.k_proj.lora_B["default"].weight.t()
        )
        torch.testing.assert_close(attention.k_proj(y), alone, rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(attention.v_proj(x), attention.v_proj(x.clone()), rtol=1e-5, atol=1e-5)
