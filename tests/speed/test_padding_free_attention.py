"""The padding-free attention: each example attends to itself only, as if it were alone in its batch.
And the frozen weights stored in bf16, which the same runs use."""

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from afina.speed.frozen_bf16 import frozen_linears_to_bf16
from afina.speed.padding_free import padding_free_attention

from conftest import tiny_llama


class _Module(torch.nn.Module):
    is_causal = True
    num_key_value_groups = 1


def test_each_example_attends_only_to_itself_forward_and_backward():
    torch.manual_seed(0)
    lengths, filler = [5, 1, 9, 3], 4  # the filler tokens after the last boundary belong to no example
    heads, dim = 2, 8
    q, k, v = (torch.randn(1, heads, sum(lengths) + filler, dim, requires_grad=True) for _ in range(3))
    cu = torch.tensor([0, *torch.tensor(lengths).cumsum(0).tolist()], dtype=torch.int32)
    out, _ = padding_free_attention(_Module(), q, k, v, None, cu_seq_lens_q=cu, max_length_q=max(lengths))
    assert out.shape == (1, sum(lengths) + filler, heads, dim)
    expected = torch.cat(
        [
            F.scaled_dot_product_attention(q[:, :, a:b], k[:, :, a:b], v[:, :, a:b], is_causal=True)
            for a, b in zip(cu[:-1], cu[1:])
        ],
        dim=2,
    ).transpose(1, 2)
    torch.testing.assert_close(out[:, :-filler], expected)
    assert not out[:, -filler:].any()
    weights = torch.randn_like(out)
    grads = torch.autograd.grad((out * weights).sum(), (q, k, v))
    expected_grads = torch.autograd.grad((expected * weights[:, :-filler]).sum(), (q, k, v))
    for got, want in zip(grads, expected_grads):
        torch.testing.assert_close(got, want)  # the filler's inputs get no gradient, as they get none here


def test_without_sequence_boundaries_it_is_plain_sdpa():
    torch.manual_seed(0)
    q, k, v = (torch.randn(2, 2, 6, 8) for _ in range(3))
    out, _ = padding_free_attention(_Module(), q, k, v, None)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2))


@pytest.mark.parametrize("fused", [False, True])
def test_an_example_longer_than_a_sliding_window_sees_only_the_window(fused):
    """A padding-free row gives each example what the model gives it alone, where transformers' own
    sliding-window mask applies (examples of 5 and 9 tokens, a window of 4)."""
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from afina.speed.fused_attention import use_fused_attention
    from afina.speed.padding_free import use_padding_free_attention

    torch.manual_seed(0)
    sizes = dict(
        vocab_size=50,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        sliding_window=4,
        max_window_layers=0,
        initializer_range=0.5,
    )  # weights large enough that what a token sees shows in the logits
    model = Qwen2ForCausalLM(Qwen2Config(use_sliding_window=True, **sizes)).eval()
    use_padding_free_attention(model)
    if fused:
        use_fused_attention(model, plain=True)  # it hands examples longer than the window to the layer's forward
    lengths = [5, 9, 3]
    ids = torch.randint(0, 50, (1, sum(lengths)))
    cu = torch.tensor([0, *torch.tensor(lengths).cumsum(0).tolist()], dtype=torch.int32)
    positions = torch.cat([torch.arange(n) for n in lengths])[None]
    row = model(
        input_ids=ids,
        position_ids=positions,
        cu_seq_lens_q=cu,
        cu_seq_lens_k=cu,
        max_length_q=9,
        max_length_k=9,
        use_cache=False,
    ).logits
    alone = torch.cat([model(input_ids=ids[:, a:b], use_cache=False).logits for a, b in zip(cu[:-1], cu[1:])], dim=1)
    torch.testing.assert_close(row, alone)
    # the window matters: the same weights without it give the 9-token example other logits
    unwindowed = Qwen2ForCausalLM(Qwen2Config(use_sliding_window=False, **sizes)).eval()
    unwindowed.load_state_dict(model.state_dict())
    assert not torch.allclose(unwindowed(input_ids=ids[:, 5:14], use_cache=False).logits, alone[:, 5:14])


def test_frozen_linears_go_to_bf16_but_not_trained_ones_or_tied_embeddings():
    embed = torch.nn.Embedding(10, 4)
    head = torch.nn.Linear(4, 10, bias=False)
    head.weight = embed.weight
    frozen, trained = torch.nn.Linear(4, 4), torch.nn.Linear(4, 4)
    model = torch.nn.ModuleList([embed, head, frozen, trained])
    for p in [*embed.parameters(), *frozen.parameters()]:
        p.requires_grad_(False)
    assert frozen_linears_to_bf16(model) == 4 * 4 + 4
    assert frozen.weight.dtype == frozen.bias.dtype == torch.bfloat16
    assert embed.weight.dtype == trained.weight.dtype == torch.float32


def test_a_model_switched_to_it_still_runs_padded_batches_as_before():
    from afina.speed.padding_free import use_padding_free_attention

    model = tiny_llama(vocab_size=50, num_attention_heads=2, num_key_value_heads=1).eval()
    ids = torch.randint(0, 50, (2, 7))
    mask = torch.tensor([[1] * 7, [1] * 4 + [0] * 3])
    before = model(input_ids=ids, attention_mask=mask).logits
    assert use_padding_free_attention(model) == "sdpa"
    torch.testing.assert_close(model(input_ids=ids, attention_mask=mask).logits, before)


def test_lengths_are_rounded_to_few_sizes_at_a_small_cost():
    from afina.speed.padding_free import rounded_up

    sizes = {rounded_up(n) for n in range(513, 1025)}
    assert len(sizes) == 16 and all(size % 32 == 0 for size in sizes)
    assert all(n <= rounded_up(n) <= n * 1.0625 + 8 for n in range(1, 5000))
    assert rounded_up(1) == 8 and rounded_up(300) == 304 and rounded_up(1024) == 1024


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads the process's mappings (Linux)")
def test_cast_weights_let_the_checkpoint_file_go(tmp_path):
    """The fp32 pages the weights were cast from do not stay resident, held by the file's mapping."""
    import gc

    from transformers import LlamaForCausalLM

    tiny_llama(vocab_size=50, num_attention_heads=2, num_key_value_heads=1).save_pretrained(tmp_path)
    checkpoint = str(tmp_path / "model.safetensors")
    mapped = lambda: checkpoint in Path("/proc/self/maps").read_text()  # noqa: E731
    model = LlamaForCausalLM.from_pretrained(tmp_path).requires_grad_(False)
    assert mapped()  # transformers' parameters are views of the mapped file
    embeddings = model.model.embed_tokens.weight.clone()
    assert frozen_linears_to_bf16(model) > 0
    gc.collect()
    assert not mapped()
    assert torch.equal(model.model.embed_tokens.weight, embeddings)
    assert model.model.norm.weight.dtype == torch.float32
