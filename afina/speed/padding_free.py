"""Padding-free rows: a batch's examples concatenated into one row with per-example position ids
(TRL's collator), so no layer computes on padding, and the attention that keeps each example to itself.
"""

from __future__ import annotations

import contextlib

import torch

ATTENTION = "afina_padding_free_sdpa"


def unwrapped(model):
    """The transformers model inside a peft wrapper (or the model itself)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def padding_free_attention(
    module,
    query,
    key,
    value,
    attention_mask,
    dropout=0.0,
    scaling=None,
    is_causal=None,
    cu_seq_lens_q=None,
    max_length_q=None,
    **kwargs,
):
    """SDPA over a padding-free row: (1, heads, tokens, dim) holding several examples back to back.

    Written here because transformers runs such rows only through flash-attention kernels (CUDA), and
    otherwise builds a block-diagonal mask that sends SDPA to its slow masked path. This splits the row
    into its examples (views, no copies) and runs SDPA's causal kernel on each alone, where a causal
    mask is all an example needs (an example longer than the layer's sliding window, Mistral's or
    Qwen2's, gets the window's mask); the outputs are concatenated back into the row. (Scattering the
    examples into one padded batch for a single SDPA call was slower: benchmarks/README.md.)"""
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    if cu_seq_lens_q is None or query.shape[0] != 1:  # an ordinary batch (evaluation, generation): plain SDPA
        return sdpa_attention_forward(
            module, query, key, value, attention_mask, dropout=dropout, scaling=scaling, is_causal=is_causal, **kwargs
        )
    lengths = cu_seq_lens_q.diff().tolist()
    filler = query.shape[2] - sum(
        lengths
    )  # tokens past the last boundary (PaddingFreeCollator): they attend to nothing
    sizes = lengths + ([filler] if filler else [])
    dtype, on_cpu = query.dtype, query.device.type == "cpu"
    if on_cpu:  # SDPA's CPU kernel runs bf16 2x slower than fp32 at these lengths (measured), autocast or not
        query, key, value = query.float(), key.float(), value.float()
    examples = zip(*(states.split(sizes, dim=2)[: len(lengths)] for states in (query, key, value)))
    window = kwargs.get("sliding_window")  # Mistral's and Qwen2's layers pass theirs (None where they have none)
    with torch.autocast("cpu", enabled=False) if on_cpu else contextlib.nullcontext():
        outputs = [
            sdpa_attention_forward(
                module,
                q,
                k,
                v,
                _window_mask(q.shape[2], window, q.device),
                dropout=dropout,
                scaling=scaling,
                is_causal=True,
            )[0]
            for q, k, v in examples
        ]
    if filler:
        outputs.append(outputs[0].new_zeros(1, filler, *outputs[0].shape[2:]))
    return torch.cat(outputs, dim=1).to(dtype), None


def _window_mask(tokens: int, window: int | None, device) -> torch.Tensor | None:
    """The mask of an example longer than a sliding window: each token sees itself and the `window` - 1
    before it (transformers' sliding-window mask); None where causal attention alone is the same."""
    if window is None or tokens <= window:
        return None
    positions = torch.arange(tokens, device=device)
    behind = positions[:, None] - positions[None, :]
    return ((behind >= 0) & (behind < window))[None, None]


def supports_padding_free(model) -> bool:
    """Decoder models whose attention goes through transformers' AttentionInterface (Llama, Qwen2, Mistral...)."""
    inner = unwrapped(model)
    return bool(getattr(inner, "_supports_attention_backend", False)) and not inner.config.is_encoder_decoder


def use_padding_free_attention(model) -> str:
    """Route the model's attention through `padding_free_attention`; returns the implementation it had."""
    from transformers import AttentionInterface
    from transformers.masking_utils import AttentionMaskInterface, sdpa_mask

    AttentionInterface.register(ATTENTION, padding_free_attention)
    AttentionMaskInterface.register(ATTENTION, sdpa_mask)  # padded batches (generation, a probe) get SDPA's masks
    inner = unwrapped(model)
    previous = inner.config._attn_implementation
    inner.set_attn_implementation(ATTENTION)
    return previous


def rounded_up(count: int) -> int:
    """`count` rounded up to a multiple of 1/16 of its power of two (at least 8): at most 16 sizes per
    octave, at most ~6% added.

    Rows and scored positions are rounded so that matrix shapes repeat from step to step. On a CPU,
    oneDNN (bf16 matmuls) builds and caches a kernel for every new shape: with a new row length each
    step, that was a kernel build per matmul and ~10 MB of RSS that never came back (measured)."""
    multiple = max(8, (1 << max(count.bit_length() - 1, 0)) // 16)
    return -(-count // multiple) * multiple


class PaddingFreeCollator:
    """TRL's padding-free collator (one row, per-example position ids and boundaries), with the row's
    length rounded up (`rounded_up`) by filler: pad tokens after the last boundary, with no labels,
    which `padding_free_attention` leaves out and Trainer does not count as tokens seen (pad tokens)."""

    def __init__(self, pad_token_id: int):
        from trl.trainer.sft_trainer import DataCollatorForLanguageModeling

        self.pad_token_id = pad_token_id
        self.collate = DataCollatorForLanguageModeling(pad_token_id=pad_token_id, padding_free=True)

    def __call__(self, examples: list[dict]) -> dict:
        batch = self.collate(examples)
        length = batch["input_ids"].shape[1]
        filler = rounded_up(length) - length
        if filler:
            extend = lambda key, values: torch.cat([batch[key], values.to(batch[key].dtype)[None]], dim=1)  # noqa: E731
            batch["input_ids"] = extend("input_ids", torch.full((filler,), self.pad_token_id))
            batch["labels"] = extend("labels", torch.full((filler,), -100))
            batch["position_ids"] = extend("position_ids", torch.arange(filler))
            batch["seq_idx"] = extend("seq_idx", torch.full((filler,), len(batch["cu_seq_lens_q"]) - 1))
        return batch
