"""A decoder layer's attention over a padding-free row as one autograd function: the rotary position
embedding of queries and keys, attention within each example, and the examples' outputs put back into
one row, forward and backward. The same outputs as transformers, bit for bit on a CPU (tested).

Written here because transformers rotates queries and keys as a dozen whole-tensor operations and
hands rotated fp32 copies to the attention; here the rotation is one product plus two half-width
products added in place. Examples attend by SDPA's CPU flash kernel, or by plain fp32 products where
`PLAIN`'s bounds say those are faster (benchmarks/README.md has the sweep behind them). CPU only.
"""

from __future__ import annotations

import torch

# attention layers laid out as Llama's: q/k/v/o projections, rotary embedding by halves, no norm on q/k
LAYOUTS = ("LlamaAttention", "MistralAttention", "Qwen2Attention")
# plain products where an example's attention has at least this much work (heads · tokens² · dim) and
# at most this many probabilities (heads · tokens²): the crossovers of benchmarks/README.md's sweep
PLAIN = {"work": 2**21, "probabilities": 320_000}


def _plain_pays(heads: int, tokens: int, dim: int) -> bool:
    """Whether an example's attention is faster by plain products than by the flash kernel (`PLAIN`)."""
    return heads * tokens**2 * dim >= PLAIN["work"] and heads * tokens**2 <= PLAIN["probabilities"]


def _rotated(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """x·cos + rotate_half(x)·sin, transformers' rotary embedding, in the wider dtype of x and cos."""
    half = x.shape[-1] // 2
    out = x * cos
    out[..., :half].sub_(x[..., half:] * sin[..., :half])  # each product rounded, then the sum: as transformers does
    out[..., half:].add_(x[..., :half] * sin[..., half:])
    return out


def _rotated_back(grad: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """The gradient through `_rotated`: grad·cos + rotate_half's transpose of grad·sin."""
    half = grad.shape[-1] // 2
    out = grad * cos
    out[..., :half].addcmul_(grad[..., half:], sin[..., half:])
    out[..., half:].addcmul_(grad[..., :half], sin[..., :half], value=-1)
    return out


def _attended(query, key, value, mask, scale):
    """Causal attention of (heads, tokens, dim) fp32 tensors by plain products: the output and the
    probabilities. `mask`: the causal mask of at least this many tokens (its top-left corner is this one's)."""
    tokens = query.shape[1]
    with torch.autocast(query.device.type, enabled=False):  # fp32, as the flash kernel computes
        probabilities = torch.baddbmm(mask[:tokens, :tokens], query, key.transpose(1, 2), alpha=scale).softmax(-1)
        return torch.bmm(probabilities, value), probabilities


def _attended_back(grad, query, key, value, out, probabilities, scale):
    """The gradients of q, k and v through `_attended`."""
    dv = torch.bmm(probabilities.transpose(1, 2), grad)
    # softmax's backward: p · (dp - Σ p·dp), where Σ p·dp over a row is the row's grad · out; times the scale
    scores = torch.bmm(grad, value.transpose(1, 2)).sub_((grad * out).sum(-1, keepdim=True))
    scores.mul_(probabilities).mul_(scale)
    return torch.bmm(scores, key), torch.bmm(scores.transpose(1, 2), query), dv


def _example(x: torch.Tensor, rows: slice) -> torch.Tensor:
    """One example's rows of a (tokens, heads, dim) tensor as SDPA's (1, heads, rows, dim): a view."""
    return x[rows].unsqueeze(0).transpose(1, 2)


class RotaryAttention(torch.autograd.Function):
    """Causal attention within each example of a row, after the rotary embedding of q and k.
    q (tokens, heads, dim), k and v (tokens, kv heads, dim): the projections' outputs; cos, sin (tokens,
    dim); `lengths`: the examples' token counts, in order; tokens past their sum (filler) attend to
    nothing and get zeros; with `plain`, examples where it pays (`_plain_pays`) attend by plain products
    (`_attended`). Returns (tokens, heads · dim)."""

    @staticmethod
    def forward(ctx, q, k, v, cos, sin, lengths, scale, plain=False):
        cos, sin = cos[:, None], sin[:, None]
        query, key = _rotated(q, cos, sin), _rotated(k, cos, sin)
        dtype = query.dtype  # what transformers' layer would hand the attention
        query, key, value = query.float(), key.float(), v.float()  # the CPU kernel runs bf16 2x slower (measured)
        groups = query.shape[1] // key.shape[1]
        if groups > 1:  # grouped-query attention: each kv head serves `groups` query heads, as repeat_kv lays them
            key, value = key.repeat_interleave(groups, 1), value.repeat_interleave(groups, 1)
        heads, dim = query.shape[1:]
        plains = [plain and _plain_pays(heads, n, dim) for n in lengths]
        longest = max((n for n, p in zip(lengths, plains) if p), default=0)
        mask = query.new_full((longest, longest), float("-inf")).triu_(1)
        outputs, kept, start = [], [], 0  # kept: each example's logsumexp (flash) or probabilities (plain)
        for length, by_products in zip(lengths, plains):
            rows = slice(start, start + length)
            example = (_example(query, rows), _example(key, rows), _example(value, rows))
            if by_products:
                out, probabilities = _attended(*(x[0] for x in example), mask, scale)
                outputs.append(out.transpose(0, 1))
                kept.append(probabilities)
            else:
                out, logsumexp = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu(
                    *example, is_causal=True, scale=scale
                )
                outputs.append(out[0].transpose(0, 1))
                kept.append(logsumexp)
            start += length
        filler = query.shape[0] - start
        if filler:
            outputs.append(query.new_zeros(filler, *query.shape[1:]))
        out = torch.cat(outputs)
        ctx.save_for_backward(query, key, value, out, cos, sin, *kept)
        ctx.lengths, ctx.scale, ctx.plains, ctx.groups = lengths, scale, plains, groups
        ctx.dtypes = q.dtype, k.dtype, v.dtype
        return out.to(dtype).flatten(1)

    @staticmethod
    def backward(ctx, grad):
        query, key, value, out, cos, sin, *kept = ctx.saved_tensors
        grad = grad.view(out.shape).float()
        grads, start = ([], [], []), 0
        for length, by_products, saved in zip(ctx.lengths, ctx.plains, kept):
            rows = slice(start, start + length)
            example = [_example(x, rows) for x in (grad, query, key, value, out)]
            if by_products:
                parts = _attended_back(*(x[0] for x in example), saved, ctx.scale)
            else:
                parts = [
                    part[0]
                    for part in torch.ops.aten._scaled_dot_product_flash_attention_for_cpu_backward(
                        *example, saved, 0.0, True, scale=ctx.scale
                    )
                ]
            for collected, part in zip(grads, parts):
                collected.append(part.transpose(0, 1))
            start += length
        filler = query.shape[0] - start
        if filler:
            for collected in grads:
                collected.append(query.new_zeros(filler, *query.shape[1:]))
        dq, dk, dv = (torch.cat(collected) for collected in grads)
        if ctx.groups > 1:  # the repeated heads' gradients summed back onto their kv head
            dk, dv = (d.unflatten(1, (-1, ctx.groups)).sum(2) for d in (dk, dv))
        dq, dk = _rotated_back(dq, cos, sin), _rotated_back(dk, cos, sin)
        return dq.to(ctx.dtypes[0]), dk.to(ctx.dtypes[1]), dv.to(ctx.dtypes[2]), None, None, None, None, None


def _fused_forward(module, forward, plain):
    def fused(hidden_states, position_embeddings=None, attention_mask=None, past_key_values=None, **kwargs):
        boundaries = kwargs.get("cu_seq_lens_q")
        own = (
            boundaries is None
            or past_key_values is not None
            or position_embeddings is None
            or hidden_states.shape[0] != 1
            or hidden_states.device.type != "cpu"
            or (module.training and module.attention_dropout)
            or position_embeddings[0].shape[-1] != module.head_dim
        )
        lengths = None if own else boundaries.diff().tolist()
        # Qwen2 keeps its window per layer, Mistral in its config; an example no longer than it sees no difference
        window = getattr(module, "sliding_window", getattr(module.config, "sliding_window", None))
        if own or (window is not None and max(lengths) > window):
            return forward(hidden_states, position_embeddings, attention_mask, past_key_values, **kwargs)
        tokens = hidden_states.shape[1]
        q, k, v = (
            projection(hidden_states).view(tokens, -1, module.head_dim)
            for projection in (module.q_proj, module.k_proj, module.v_proj)
        )
        cos, sin = position_embeddings
        out = RotaryAttention.apply(q, k, v, cos[0], sin[0], lengths, module.scaling, plain)
        return module.o_proj(out.view(1, tokens, -1)), None

    return fused


def use_fused_attention(model, plain: bool = False) -> int:
    """Route the padding-free rows of every attention layer laid out as Llama's (`LAYOUTS`) through
    `RotaryAttention`, with `plain` the examples where it pays by plain products; anything else (a padded
    batch, generation with a KV cache, a GPU, attention dropout, partial rotary, an example longer than
    a sliding window) runs the layer's own forward. Returns how many layers were routed."""
    routed = 0
    for module in model.modules():
        if type(module).__name__ in LAYOUTS and "forward" not in vars(module) and not hasattr(module, "q_norm"):
            module.forward = _fused_forward(module, module.forward, plain)
            routed += 1
    return routed
