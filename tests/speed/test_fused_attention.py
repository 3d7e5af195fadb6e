"""The fused rotary attention computes what transformers' attention layer does on a padding-free row:
through the flash kernel the same outputs bit for bit, by plain products (mid-sized examples) the same
to float rounding, and the same gradients up to float rounding; anything else runs the layer's own forward."""

import copy

import pytest
import torch

import afina.speed.fused_attention as fused_attention
from afina.speed.fused_attention import RotaryAttention, use_fused_attention
from afina.speed.padding_free import use_padding_free_attention

from conftest import tiny_llama

LENGTHS, FILLER = [5, 9, 3], 3  # three examples, then filler tokens that belong to none


def _row():
    positions = torch.cat([torch.arange(n) for n in [*LENGTHS, FILLER]])[None]
    boundaries = torch.tensor([0, *torch.tensor(LENGTHS).cumsum(0).tolist()], dtype=torch.int32)
    return {
        "input_ids": torch.randint(0, 50, (1, len(positions[0]))),
        "position_ids": positions,
        "cu_seq_lens_q": boundaries,
        "cu_seq_lens_k": boundaries,
        "max_length_q": max(LENGTHS),
        "max_length_k": max(LENGTHS),
        "use_cache": False,
    }  # as training runs it: no KV cache


def _logits_and_grads(model, row, autocast):
    model.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
        logits = model(**row).logits.float()[0, : sum(LENGTHS)]
    (logits**2).mean().backward()
    return logits, [p.grad for p in model.parameters()]


def _routed_through_it(model, row, autocast, work=None):
    """`work`: the least work (heads · tokens² · dim) that takes plain products; None: plain products off."""
    calls, plain = [], []
    apply, attended = RotaryAttention.apply, fused_attention._attended
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RotaryAttention, "apply", lambda *args: calls.append(args) or apply(*args))
        patch.setattr(fused_attention, "_attended", lambda *args: plain.append(args) or attended(*args))
        patch.setitem(fused_attention.PLAIN, "work", work or 0)
        result = _logits_and_grads(model, row, autocast)
    assert len(calls) == 2  # both layers went through it
    heads, dim = model.config.num_attention_heads, model.config.head_dim
    # each example with that much work by plain products, in both layers
    assert len(plain) == (0 if work is None else 2 * sum(heads * n * n * dim >= work for n in LENGTHS))
    return result


def _fused_pair(kv_heads, work=None):
    model = tiny_llama(vocab_size=50, num_attention_heads=4, num_key_value_heads=kv_heads)
    use_padding_free_attention(model)
    fused = copy.deepcopy(model)
    assert use_fused_attention(fused, plain=work is not None) == 2
    return model, fused


# the flash kernel for every example; the examples of 9 and 5 tokens by plain products (4 heads of 8
# dimensions: 2,592 and 800), the one of 3 by the kernel; all of them by plain products
WORK = [None, 500, 1]


@pytest.mark.parametrize("work", WORK)
@pytest.mark.parametrize("kv_heads", [4, 2])  # plain and grouped-query attention
def test_same_outputs_and_gradients_as_the_layer_in_fp32(kv_heads, work):
    model, fused = _fused_pair(kv_heads, work)
    row = _row()
    want, want_grads = _logits_and_grads(model, row, autocast=False)
    got, got_grads = _routed_through_it(fused, row, autocast=False, work=work)
    if work is None:
        assert torch.equal(got, want)
    torch.testing.assert_close(got, want, rtol=1e-6, atol=1e-6)
    for g, w in zip(got_grads, want_grads):
        torch.testing.assert_close(g, w, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("work", WORK)
@pytest.mark.parametrize("kv_heads", [4, 2])
def test_under_bf16_the_same_outputs_and_gradients_as_close_to_fp32_as_the_layers(kv_heads, work):
    """transformers sums the rotation's two gradient paths in bf16 (its input's dtype), this in fp32 and
    rounds once: other roundings, as close to the fp32 gradients."""
    model, fused = _fused_pair(kv_heads, work)
    row = _row()
    _, exact = _logits_and_grads(model, row, autocast=False)
    want, want_grads = _logits_and_grads(model, row, autocast=True)
    got, got_grads = _routed_through_it(fused, row, autocast=True, work=work)
    if work is None:
        assert torch.equal(got, want)
    torch.testing.assert_close(got, want, rtol=1e-2, atol=1e-2)  # bf16's rounding of the attention's output
    error = lambda grads: max(((g - e).norm() / e.norm()).item() for g, e in zip(grads, exact))  # noqa: E731
    assert error(got_grads) <= 1.25 * error(want_grads)


def test_plain_products_where_they_measured_faster():
    # 12 heads of 64 dimensions (the ~100M benchmark model) from 53 to 163 tokens; 4 heads (the demo's base) from 91
    assert [n for n in range(1, 1000) if fused_attention._plain_pays(12, n, 64)] == list(range(53, 164))
    assert [n for n in range(1, 1000) if fused_attention._plain_pays(4, n, 64)] == list(range(91, 283))


def test_padded_batches_and_generation_run_the_layers_own_forward(monkeypatch):
    model = tiny_llama(vocab_size=50).eval()
    use_padding_free_attention(model)
    ids, mask = torch.randint(0, 50, (2, 7)), torch.tensor([[1] * 7, [1] * 4 + [0] * 3])
    before = model(input_ids=ids, attention_mask=mask).logits
    generated = model.generate(ids[:1], max_new_tokens=4, do_sample=False)
    use_fused_attention(model)
    monkeypatch.setattr(RotaryAttention, "apply", None)  # would fail if called
    torch.testing.assert_close(model(input_ids=ids, attention_mask=mask).logits, before)
    assert torch.equal(model.generate(ids[:1], max_new_tokens=4, do_sample=False), generated)


def test_an_example_longer_than_the_sliding_window_runs_the_layers_own_forward(monkeypatch):
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=50,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        use_sliding_window=True,
        sliding_window=4,
        max_window_layers=0,
    )
    model = Qwen2ForCausalLM(config)
    use_padding_free_attention(model)
    assert use_fused_attention(model) == 2
    calls = []
    apply = RotaryAttention.apply
    monkeypatch.setattr(RotaryAttention, "apply", lambda *args: calls.append(args) or apply(*args))
    model(**_row())  # examples of 5 and 9 tokens: longer than the window of 4
    assert calls == []
    model.config.sliding_window = 9
    for layer in model.model.layers:
        layer.self_attn.sliding_window = 9
    model(**_row())  # now no example is longer than the window
    assert len(calls) == 2
