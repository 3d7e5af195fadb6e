"""Answer-only rows: the output layer, and the last decoder layer's position-wise parts, computed only
where the loss scores a token (the answers of a padding-free row), never over the prompt.
"""

from __future__ import annotations

import contextlib

import torch

from afina.speed.padding_free import rounded_up, unwrapped

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
    inner = unwrapped(model)
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

    inner = unwrapped(model)
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
    last_layer = getattr(unwrapped(model), LAST_LAYER, None)
    with last_layer.only(keep) if last_layer is not None and distinct else contextlib.nullcontext():
        logits = (
            model(**{k: v for k, v in inputs.items() if k != "labels"}, use_cache=False, logits_to_keep=keep)
            .logits[0, :count]
            .float()
        )
    targets = targets[positions]
    log_probs = torch.log_softmax(logits, dim=-1)
    scored = torch.as_tensor(len(targets) if num_items_in_batch is None else num_items_in_batch)
    loss = -log_probs.gather(1, targets[:, None]).sum() / scored.to(logits.device).clamp(min=1)
    with torch.no_grad():
        stats = {
            "entropy": -(log_probs.exp() * log_probs).sum(),
            "correct": (logits.argmax(-1) == targets).sum(),
            "scored": len(targets),
        }
    return loss, stats


def answer_logits_trainer(sft_trainer_class):
    """TRL's SFTTrainer, computing the loss of padding-free rows with `answer_loss`; anything else
    (another loss type, label smoothing, padded batches, evaluation asking for logits) goes to TRL."""

    class AnswerLogitsSFTTrainer(sft_trainer_class):
        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            plain = (
                self.args.loss_type == "nll"
                and self.label_smoother is None
                and self.compute_loss_func is None
                and not self.aux_loss_enabled
            )
            if return_outputs or not plain or "position_ids" not in inputs or inputs["input_ids"].shape[0] != 1:
                return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            loss, stats = answer_loss(model, inputs, num_items_in_batch)
            if self.args.average_tokens_across_devices and num_items_in_batch is not None:
                # as Trainer.compute_loss: the count is every rank's tokens, and DDP averages the ranks' gradients
                loss = loss * (self.accelerator.num_processes // self.get_tp_size())
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
