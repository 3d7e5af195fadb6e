"""What makes a training step cheaper without changing what it computes: each a `train.*` switch whose
default was chosen by benchmarks/train_speed.py, each with a test that the loss with and without it
agrees (tests/train/test_speed_switches.py).

- padding-free batches: a batch's examples are concatenated into one row with per-example position
  ids (TRL's collator), so no layer computes on padding; attention still sees one example at a time.
- answer-only logits: the output layer is computed only where the loss scores a token.
- answer-only last layer: likewise the last decoder layer's position-wise parts (attention's output
  projection, the MLP), whose outputs elsewhere nothing reads.
- frozen weights in bf16: under bf16 autocast every frozen linear weight is cast to bf16 in each
  forward pass and the copy kept for the backward pass; storing it in bf16 once gives the same
  products, without the casts or the copies; and the checkpoint's fp32 pages they were read from are
  let go rather than kept resident for the run.
- fused LoRA layers: each LoRA linear layer's products, scaling and sums in one autograd function
  (afina/train/fused_lora.py).
- fused attention: on padding-free rows, the rotary embedding and the per-example attention in one
  autograd function (afina/train/fused_attention.py); mid-sized examples attend by plain matrix products.
- fused norm: RMSNorm with its backward written out (afina/train/fused_norm.py).
- freed memory reused: glibc's malloc keeps what tensors free for the next ones, instead of handing it
  back to the kernel and faulting fresh pages in each step (afina/train/allocator.py).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import torch

from afina.train.allocator import reuse_freed_memory
from afina.train.fused_attention import use_fused_attention
from afina.train.fused_lora import use_fused_lora
from afina.train.fused_norm import use_fused_norm

ATTENTION = "afina_padding_free_sdpa"


def _unwrapped(model):
    """The transformers model inside a peft wrapper (or the model itself)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def padding_free_attention(module, query, key, value, attention_mask, dropout=0.0, scaling=None, is_causal=None,
                           cu_seq_lens_q=None, max_length_q=None, **kwargs):
    """SDPA over a padding-free row: (1, heads, tokens, dim) holding several examples back to back.

    Written here because transformers runs such rows only through flash-attention kernels (CUDA), and
    otherwise builds a block-diagonal mask that sends SDPA to its slow masked path. This splits the row
    into its examples (views, no copies) and runs SDPA's causal kernel on each alone, where a causal
    mask is all an example needs (an example longer than the layer's sliding window, Mistral's or
    Qwen2's, gets the window's mask); the outputs are concatenated back into the row. (Scattering the
    examples into a padded batch for one SDPA call, as an earlier version did, measured 1.07× slower
    on the ~100M model and 1.2× on the demo base: the scatter and gather, forward and backward, cost
    more than the extra calls, and the padded batch attends over padding.)"""
    from transformers.integrations.sdpa_attention import sdpa_attention_forward

    if cu_seq_lens_q is None or query.shape[0] != 1:  # an ordinary batch (evaluation, generation): plain SDPA
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout, scaling=scaling,
                                      is_causal=is_causal, **kwargs)
    lengths = cu_seq_lens_q.diff().tolist()
    filler = query.shape[2] - sum(lengths)  # tokens past the last boundary (PaddingFreeCollator): they attend to nothing
    sizes = lengths + ([filler] if filler else [])
    dtype, on_cpu = query.dtype, query.device.type == "cpu"
    if on_cpu:  # SDPA's CPU kernel runs bf16 2x slower than fp32 at these lengths (measured), autocast or not
        query, key, value = query.float(), key.float(), value.float()
    examples = zip(*(states.split(sizes, dim=2)[:len(lengths)] for states in (query, key, value)))
    window = kwargs.get("sliding_window")  # Mistral's and Qwen2's layers pass theirs (None where they have none)
    with torch.autocast("cpu", enabled=False) if on_cpu else contextlib.nullcontext():
        outputs = [sdpa_attention_forward(module, q, k, v, _window_mask(q.shape[2], window, q.device), dropout=dropout,
                                          scaling=scaling, is_causal=True)[0] for q, k, v in examples]
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
    inner = _unwrapped(model)
    return bool(getattr(inner, "_supports_attention_backend", False)) and not inner.config.is_encoder_decoder


def use_padding_free_attention(model) -> str:
    """Route the model's attention through `padding_free_attention`; returns the implementation it had."""
    from transformers import AttentionInterface
    from transformers.masking_utils import AttentionMaskInterface, sdpa_mask

    AttentionInterface.register(ATTENTION, padding_free_attention)
    AttentionMaskInterface.register(ATTENTION, sdpa_mask)  # padded batches (generation, a probe) get SDPA's masks
    inner = _unwrapped(model)
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


def frozen_linears_to_bf16(model) -> int:
    """Store every frozen linear layer's weights in bf16; returns how many parameters were cast. The
    parameters left views of a mapped checkpoint are then copied out (`copy_out_of_file_mappings`).

    A weight shared with the input embeddings (a tied output head) stays as it is: embeddings are
    not autocast, so their dtype would change the numbers."""
    shared = {id(p) for module in model.modules() if isinstance(module, torch.nn.Embedding) for p in module.parameters()}
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


def apply(model, config, task: str, bf16: bool, recomputes: bool, saves_frozen: bool) -> dict:
    """Turn on the switches of `config.train` that apply to this model and task; returns what is on
    (train_summary.json records it). `bf16`, `recomputes`: whether the trainer autocasts to bf16 and
    checkpoints activations, as its arguments say (`train.trl` included). `saves_frozen`: the method's
    artifact holds the frozen weights too (a whole model folder, as `freeze` writes), so they must stay
    as they were loaded."""
    peft_config = getattr(model, "active_peft_config", None)
    padding_free = (config.train.padding_free and task == "generation" and supports_padding_free(model)
                    and not getattr(peft_config, "is_prompt_learning", False))
    if padding_free:
        use_padding_free_attention(model)
    # DoRA reads its base weights outside the forward pass (the weight norm), where autocast does not reach.
    frozen = (bf16 and config.train.frozen_bf16 and not saves_frozen
              and not getattr(peft_config, "use_dora", False))
    if frozen:
        adapter_inputs_left_to_autocast(model)
    answer_logits = padding_free and config.train.answer_logits and accepts_logits_to_keep(model)
    switches = {"padding_free": padding_free, "answer_logits": answer_logits,
                "frozen_bf16_parameters": frozen_linears_to_bf16(model) if frozen else 0,
                "fused_lora_layers": use_fused_lora(model) if config.train.fused_lora else 0,
                "fused_attention_layers": use_fused_attention(model, config.train.plain_attention)
                if padding_free and config.train.fused_attention else 0,
                "fused_norm_layers": use_fused_norm(model) if config.train.fused_norm else 0,
                "reuse_freed_memory": config.train.reuse_freed_memory and reuse_freed_memory()}
    switches["plain_attention"] = config.train.plain_attention and switches["fused_attention_layers"] > 0
    # not with activation checkpointing: its recomputation, in the backward pass, runs the layer whole;
    # after fused LoRA, which leaves alone a layer whose forward is already replaced
    switches["answer_last_layer"] = (answer_logits and config.train.answer_last_layer and not recomputes
                                     and use_last_layer_rows(model))
    return switches


LAST_LAYER = "afina_last_layer_rows"  # the model's attribute holding its `LastLayerRows`


class LastLayerRows:
    """The last decoder layer's position-wise parts (attention's output projection, the MLP) computed
    only at given rows of a padding-free row while `only(rows)` is on: `answer_loss` gives the rows
    whose logits it keeps. Every other position of the layer's output then holds the residual stream
    plus zeros, which nothing reads: the final norm and the output layer work position by position,
    and the output layer is computed only at those rows. The rows must be distinct (a row taken twice
    would take its gradient twice).

    Written here because transformers computes every decoder layer at every position, `logits_to_keep`
    only trimming the output layer; on a padding-free row more than half the positions are prompt,
    whose last-layer outputs no loss reads."""

    def __init__(self, modules: list):
        self.rows = None
        for module in modules:
            module.forward = self._at_rows(module.forward)

    @contextlib.contextmanager
    def only(self, rows: torch.Tensor):
        self.rows = rows
        try:
            yield
        finally:
            self.rows = None

    def _at_rows(self, forward):
        def at_rows(x, *args, **kwargs):
            if self.rows is None or args or kwargs or x.dim() != 3 or x.shape[0] != 1:
                return forward(x, *args, **kwargs)
            out = forward(x[:, self.rows])
            return out.new_zeros(*x.shape[:-1], out.shape[-1]).index_copy(1, self.rows, out)

        return at_rows


def use_last_layer_rows(model) -> bool:
    """Give the model a `LastLayerRows` over its last decoder layer's output projection and MLP (not a
    mixture of experts': its router balances over every token); False where the layer is not laid out
    as Llama's (`self_attn.o_proj`, `mlp`)."""
    inner = _unwrapped(model)
    layers = getattr(inner.get_decoder(), "layers", None) if hasattr(inner, "get_decoder") else None
    if not layers:
        return False
    layer = layers[-1]
    modules = [getattr(getattr(layer, "self_attn", None), "o_proj", None)]
    if not any(getattr(inner.config, key, None) for key in ("num_experts", "num_local_experts", "n_routed_experts")):
        modules.append(getattr(layer, "mlp", None))
    modules = [module for module in modules if isinstance(module, torch.nn.Module)]
    if modules:
        setattr(inner, LAST_LAYER, LastLayerRows(modules))
    return bool(modules)


def accepts_logits_to_keep(model) -> bool:
    import inspect

    inner = _unwrapped(model)
    return "logits_to_keep" in inspect.signature(inner.forward).parameters


def answer_loss(model, inputs: dict, num_items_in_batch=None) -> tuple[torch.Tensor, dict]:
    """Token-mean cross-entropy of a padding-free row, with the output layer computed only where a
    label is scored (the answer tokens): the prompt's logits are never built. Returns the loss and the
    sums TRL logs (entropy, top-1 hits, scored tokens).

    Written here because TRL's SFT loss, on a CPU, projects every position (prompt included) onto the
    vocabulary tile by tile, and again in the backward pass, there accumulating in fp32: the right trade
    for a GPU and a 150k vocabulary, several times the work of this one for the answers of a
    short-vocabulary model on a CPU. (Here the head's backward runs under autocast, in bf16.)"""
    targets = inputs["labels"][0, 1:]
    is_scored = targets != -100
    positions = is_scored.nonzero().squeeze(1)
    count = len(positions)
    # rounded up (see `rounded_up`) with positions the loss does not score, whose logits are then dropped;
    # with too few of those (nearly every token scored), with copies of the last position, which the last
    # layer cannot take (`LastLayerRows`: a row kept twice would take its gradient twice)
    extra = rounded_up(count) - count
    spare = (~is_scored).nonzero().squeeze(1)[:extra]
    distinct = len(spare) == extra
    keep = torch.cat([positions, spare if distinct else positions.new_full((extra,), targets.numel() - 1)])
    last_layer = getattr(_unwrapped(model), LAST_LAYER, None)
    with last_layer.only(keep) if last_layer is not None and distinct else contextlib.nullcontext():
        logits = model(**{k: v for k, v in inputs.items() if k != "labels"}, use_cache=False,
                       logits_to_keep=keep).logits[0, :count].float()
    targets = targets[positions]
    log_probs = torch.log_softmax(logits, dim=-1)
    scored = torch.as_tensor(len(targets) if num_items_in_batch is None else num_items_in_batch)
    loss = -log_probs.gather(1, targets[:, None]).sum() / scored.to(logits.device).clamp(min=1)
    with torch.no_grad():
        stats = {"entropy": -(log_probs.exp() * log_probs).sum(), "correct": (logits.argmax(-1) == targets).sum(),
                 "scored": len(targets)}
    return loss, stats


def answer_logits_trainer(sft_trainer_class):
    """TRL's SFTTrainer, computing the loss of padding-free rows with `answer_loss`; anything else
    (another loss type, label smoothing, padded batches, evaluation asking for logits) goes to TRL."""

    class AnswerLogitsSFTTrainer(sft_trainer_class):
        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            plain = (self.args.loss_type == "nll" and self.label_smoother is None and self.compute_loss_func is None
                     and not self.aux_loss_enabled)
            if return_outputs or not plain or "position_ids" not in inputs or inputs["input_ids"].shape[0] != 1:
                return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            loss, stats = answer_loss(model, inputs, num_items_in_batch)
            # the metrics TRL's compute_loss logs, kept under the same names
            mode = "train" if self.model.training else "eval"
            scored = max(stats["scored"], 1)
            self._metrics[mode]["entropy"].append(stats["entropy"].item() / scored)
            self._metrics[mode]["mean_token_accuracy"].append(stats["correct"].item() / scored)
            if mode == "train":  # real tokens, as Trainer counts them: the filler is made of pad tokens
                self._total_train_tokens += int((inputs["input_ids"] != self.processing_class.pad_token_id).sum())
            self._metrics[mode]["num_tokens"] = [self._total_train_tokens]
            return loss

    return AnswerLogitsSFTTrainer
