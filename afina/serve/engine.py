"""Continuous batching over one base model and its LoRA adapters: requests join and leave the running batch
at every decoding step, each row with its own adapter, sampling settings, stop conditions and output.

Written here because neither library does it: transformers' generate() runs a batch to its longest answer
and its continuous batching routes no adapters; peft mixes adapters in one forward (`adapter_names`) but has
no scheduler. The batch lives in the model's own KV cache (transformers' DynamicCache), rows left-padded to
one length; a row that finishes is dropped from the cache, and new rows are prefilled and padded in.
"""

from __future__ import annotations

import collections
import dataclasses
import inspect
import threading
import time
from typing import Callable

import torch
import torch.nn.functional as F

BASE = "__base__"  # peft's name for "no adapter" in a mixed batch
ADMIT_AFTER = 4  # steps a request may wait for others to be prefilled with it (Engine._admit_now)


class Busy(Exception):
    """The engine's queue is full: the caller should answer 429 and ask the client to retry later."""


@dataclasses.dataclass
class Sampling:
    """How one row is generated. A temperature under 1e-5 is greedy (dividing by it would overflow);
    `logprobs` is the number of alternatives to return per token (0: only the chosen token's), None for none;
    `echo` also scores the prompt's tokens."""

    max_tokens: int
    temperature: float = 1.0
    top_p: float = 1.0
    stop: tuple[str, ...] = ()
    seed: int | None = None
    logprobs: int | None = None
    echo: bool = False


@dataclasses.dataclass
class Token:
    """One token of the output (or of the prompt, with echo), with its log-probability and alternatives."""

    text: str
    logprob: float | None
    top: list[tuple[str, float]]


@dataclasses.dataclass
class Event:
    """What a row emits after a step: new text (held back while it may be the start of a stop string), the
    tokens behind it when log-probabilities were asked, and on the last event why it finished."""

    text: str = ""
    tokens: list[Token] = dataclasses.field(default_factory=list)
    prompt_tokens: list[Token] | None = None  # with echo, on the first event
    finish_reason: str | None = None  # stop | length | cancelled | error
    error: str | None = None


class Sequence:
    """One answer being generated: its prompt, adapter, settings, and where its events go (`emit` is called
    from the engine's thread)."""

    def __init__(self, prompt_ids: list[int], sampling: Sampling, emit: Callable[[Event], None], adapter=BASE):
        self.prompt_ids = list(prompt_ids)
        self.sampling = sampling
        self.emit = emit
        self.adapter = adapter
        self.generated: list[int] = []
        self.cancelled = False
        self.finished = False
        self.sent = 0  # characters of the answer emitted so far
        self.next_token: int | None = None  # sampled, not yet fed to the model
        self.position = 0  # the position id of next_token
        self.prompt_tokens: list[Token] | None = None  # with echo: scored at prefill, sent with the first event
        self.queued_at_step = 0
        self.generator = None
        if sampling.seed is not None:
            self.generator = torch.Generator().manual_seed(sampling.seed)

    def cancel(self) -> None:
        """Stop at the next step (a client that went away); safe from any thread."""
        self.cancelled = True


class Engine:
    """One model (a base, with the LoRA adapters of a peft model when it has them) and the thread that
    generates for every row of its batch, step by step. `submit` queues a row; at most `max_batch` rows run
    at once and `max_waiting` more wait, beyond which `submit` raises Busy."""

    def __init__(self, model, tokenizer, max_batch: int = 32, max_waiting: int = 64, adapters=None):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.max_batch = max_batch
        self.max_waiting = max_waiting
        self.adapters = adapters  # an AdapterSet (serve.adapters) or None for a model without adapters
        eos = model.generation_config.eos_token_id if model.generation_config is not None else None
        eos = eos if eos is not None else tokenizer.eos_token_id
        self.eos = set(eos if isinstance(eos, list) else [eos])
        self.pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else next(iter(self.eos))
        self.context = getattr(model.config, "max_position_embeddings", None) or tokenizer.model_max_length
        self.waiting: collections.deque[Sequence] = collections.deque()
        self.rows: list[Sequence] = []
        self.cache = None
        self.mask: torch.Tensor | None = None
        self.stats = collections.Counter()  # prompt_tokens, generated_tokens, steps, finished_<reason>
        self.in_flight = 0  # submitted and not finished: waiting, being prefilled, or running
        self._wake = threading.Condition()
        self._stopped = False
        self._generator = torch.Generator().manual_seed(0)
        plain = model.get_base_model() if hasattr(model, "get_base_model") else model
        self._last_logits_only = "logits_to_keep" in inspect.signature(plain.forward).parameters
        # Packed prefill needs a custom 4D mask, which transformers passes as it is to SDPA (not to every kernel).
        self._packed = getattr(model.config, "_attn_implementation", None) == "sdpa" and self._last_logits_only
        self._thread = threading.Thread(target=self._loop, name="afina-engine", daemon=True)
        self._thread.start()

    # -- the caller's side -------------------------------------------------------------------------------
    def submit(self, *sequences: Sequence) -> None:
        """Queue rows, all or none (the answers of one request join the same step); raises Busy when the
        rows running and waiting would pass max_batch + max_waiting."""
        with self._wake:
            gone = [s for s in self.waiting if s.cancelled]  # clients that left before their turn hold no place
            for sequence in gone:
                self.waiting.remove(sequence)
                self._finish(sequence, Event(), "cancelled")
            if self.in_flight + len(sequences) > self.max_batch + self.max_waiting:
                raise Busy(f"{len(self.rows)} answers running and {len(self.waiting)} waiting")
            for sequence in sequences:
                sequence.queued_at_step = self.stats["steps"]
            self.waiting.extend(sequences)
            self.in_flight += len(sequences)
            self._wake.notify()

    @property
    def queue_depth(self) -> int:
        return len(self.waiting)

    @property
    def running(self) -> int:
        return len(self.rows)

    def close(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join(timeout=10)

    # -- the engine's thread ---------------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._wake:
                while not self._stopped and not self.waiting and not self.rows:
                    self._wake.wait()
                if self._stopped:
                    return
                room = self.max_batch - len(self.rows) if self._admit_now() else 0
                admitted = [self.waiting.popleft() for _ in range(min(room, len(self.waiting)))]
            admitted = [s for s in admitted if not self._drop_cancelled(s)]
            if admitted and self.adapters is not None:
                try:  # a request whose adapter will not load fails alone; the batch goes on
                    self.adapters.ensure({s.adapter for s in admitted}, in_use={r.adapter for r in self.rows})
                except Exception as exc:
                    self._fail(admitted, exc)
                    admitted = []
            try:
                # echo needs every position's logits: those prompts are read apart from the others
                for group in ([s for s in admitted if not s.sampling.echo], [s for s in admitted if s.sampling.echo]):
                    if group:
                        self._prefill(group)
                if self.rows:
                    self._step()
            except Exception as exc:  # a bug or an out-of-memory: fail the rows in flight, keep serving
                self._fail(self.rows + admitted, exc)
                self.rows, self.cache, self.mask = [], None, None

    def _fail(self, rows: list[Sequence], exc: Exception) -> None:
        for sequence in [r for r in rows if not r.finished]:
            try:
                self._finish(sequence, Event(error=f"{type(exc).__name__}: {exc}"), "error")
            except Exception:  # nobody left to tell (the server's loop closed): the engine goes on
                pass

    def _admit_now(self) -> bool:
        """Whether to prefill the waiting rows at this step. A prefill is a forward of its own, so while a batch
        runs, arrivals are gathered until they are a quarter of it or the oldest has waited ADMIT_AFTER steps:
        fewer, larger prefills, for a few steps' more time to first token."""
        if not self.rows or not self.waiting:
            return True
        waited = self.stats["steps"] - self.waiting[0].queued_at_step
        return len(self.waiting) * 4 >= len(self.rows) or waited >= ADMIT_AFTER

    def _drop_cancelled(self, sequence: Sequence) -> bool:
        if sequence.cancelled:
            self._finish(sequence, Event(), "cancelled")
        return sequence.cancelled

    def _forward(self, input_ids, mask, positions, cache, rows, keep=1):
        """One forward of the rows (`rows[i]` names the adapter of batch row i), with the logits of the last
        `keep` positions (an int), of the positions a tensor lists, or of all (None). Rows of different
        adapters go through peft's mixed-adapter forward; a batch of one adapter (or of the base alone) takes
        the plain path, which costs about a third less."""
        inputs = dict(input_ids=input_ids, attention_mask=mask, position_ids=positions, past_key_values=cache)
        if self._last_logits_only and keep is not None:
            inputs["logits_to_keep"] = keep
        if self.adapters is None:
            return self.model(**inputs, use_cache=True)
        names = {r.adapter for r in rows}
        if len(names) > 1:
            self.stats["mixed_forwards"] += 1
            return self.model(**inputs, use_cache=True, adapter_names=[r.adapter for r in rows])
        (name,) = names
        if name == BASE:
            with self.model.disable_adapter():
                return self.model(**inputs, use_cache=True)
        if self.model.active_adapter != name:
            self.model.set_adapter(name)
        return self.model(**inputs, use_cache=True)

    @torch.inference_mode()
    def _prefill(self, new: list[Sequence]) -> None:
        """Read the new rows' prompts, sample their first tokens, and add them to the batch. With SDPA the
        prompts are packed end to end (one packed row per adapter, a block-diagonal causal mask, positions
        restarting per prompt), so no compute goes to padding; other attention kernels get left-padded rows."""
        from transformers import DynamicCache

        if not self._packed:
            return self._prefill_padded(new)
        groups: dict[str, list[Sequence]] = {}
        for sequence in new:
            groups.setdefault(sequence.adapter, []).append(sequence)
        packed = list(groups.values())
        width = max(sum(len(s.prompt_ids) for s in group) for group in packed)
        ids = torch.full((len(packed), width), self.pad)
        positions = torch.zeros((len(packed), width), dtype=torch.long)
        allowed = torch.zeros((len(packed), 1, width, width), dtype=torch.bool)
        spans: dict[int, tuple[int, int, int]] = {}  # id(sequence) → (packed row, start, end)
        for row, group in enumerate(packed):
            at = 0
            for sequence in group:
                n = len(sequence.prompt_ids)
                ids[row, at : at + n] = torch.tensor(sequence.prompt_ids)
                positions[row, at : at + n] = torch.arange(n)
                allowed[row, 0, at : at + n, at : at + n] = torch.ones(n, n, dtype=torch.bool).tril()
                spans[id(sequence)] = (row, at, at + n)
                at += n
            tail = torch.arange(at, width)
            allowed[row, 0, tail, tail] = True  # padding attends to itself: no row of the mask is empty (NaN)
        echo = any(s.sampling.echo for s in new)
        ends = sorted({end - 1 for _, _, end in spans.values()})
        keep = None if echo else torch.tensor(ends)
        cache = DynamicCache()  # full layers only: a sliding-window layer could not be padded and merged
        logits = self._forward(ids, allowed, positions, cache, [g[0] for g in packed], keep=keep).logits.float()
        self.stats["prompt_tokens"] += sum(len(s.prompt_ids) for s in new)
        # Unpack: each prompt's keys and values into a left-padded row of its own, as the batch keeps them.
        longest = max(len(s.prompt_ids) for s in new)
        mask = torch.zeros((len(new), longest), dtype=torch.long)
        unpacked = DynamicCache()
        for index, layer in enumerate(cache.layers):
            shape = (len(new), layer.keys.shape[1], longest, layer.keys.shape[3])
            keys, values = layer.keys.new_zeros(shape), layer.values.new_zeros(shape)
            for i, sequence in enumerate(new):
                row, start, end = spans[id(sequence)]
                keys[i, :, longest - (end - start) :] = layer.keys[row, :, start:end]
                values[i, :, longest - (end - start) :] = layer.values[row, :, start:end]
                mask[i, longest - (end - start) :] = 1
            unpacked.update(keys, values, index)
        last = []
        for sequence in new:
            row, start, end = spans[id(sequence)]
            sequence.position = end - start
            last.append(logits[row, end - 1] if echo else logits[row, ends.index(end - 1)])
            if sequence.sampling.echo:
                sequence.prompt_tokens = self._prompt_tokens(sequence, logits[row, start:end])
        self._merge(new, unpacked, mask)
        self._advance(new, torch.stack(last))

    def _prefill_padded(self, new: list[Sequence]) -> None:
        from transformers import DynamicCache

        width = max(len(s.prompt_ids) for s in new)
        ids = torch.tensor([[self.pad] * (width - len(s.prompt_ids)) + s.prompt_ids for s in new])
        mask = torch.tensor([[0] * (width - len(s.prompt_ids)) + [1] * len(s.prompt_ids) for s in new])
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        cache = DynamicCache()
        echo = any(s.sampling.echo for s in new)
        logits = self._forward(ids, mask, positions, cache, new, keep=None if echo else 1).logits.float()
        self.stats["prompt_tokens"] += int(mask.sum())
        for i, sequence in enumerate(new):
            sequence.position = len(sequence.prompt_ids)
            if sequence.sampling.echo:
                sequence.prompt_tokens = self._prompt_tokens(sequence, logits[i, width - len(sequence.prompt_ids) :])
        self._merge(new, cache, mask)
        self._advance(new, logits[:, -1])

    @torch.inference_mode()
    def _step(self) -> None:
        ids = torch.tensor([[r.next_token] for r in self.rows])
        self.mask = torch.cat([self.mask, torch.ones(len(self.rows), 1, dtype=self.mask.dtype)], dim=1)
        positions = torch.tensor([[r.position] for r in self.rows])
        logits = self._forward(ids, self.mask, positions, self.cache, self.rows).logits[:, -1].float()
        for r in self.rows:
            r.position += 1
        self.stats["steps"] += 1
        self._advance(self.rows, logits)

    def _merge(self, new: list[Sequence], cache, mask: torch.Tensor) -> None:
        """Append the prefilled rows to the running batch, left-padding the shorter side's cache and mask."""
        if not self.rows:
            self.rows, self.cache, self.mask = list(new), cache, mask
            return
        width = max(self.mask.shape[1], mask.shape[1])
        for old_layer, new_layer in zip(self.cache.layers, cache.layers):
            for name in ("keys", "values"):
                a, b = getattr(old_layer, name), getattr(new_layer, name)
                pad_a, pad_b = width - a.shape[-2], width - b.shape[-2]
                setattr(old_layer, name, torch.cat([F.pad(a, (0, 0, pad_a, 0)), F.pad(b, (0, 0, pad_b, 0))], 0))
        self.mask = torch.cat(
            [F.pad(self.mask, (width - self.mask.shape[1], 0)), F.pad(mask, (width - mask.shape[1], 0))], 0
        )
        self.rows += new

    def _advance(self, rows: list[Sequence], logits: torch.Tensor) -> None:
        """Sample each row's next token from its logits, emit what it adds, and drop the rows that finished."""
        tokens = self._sample(rows, logits)
        scoring = any(r.sampling.logprobs is not None for r in rows)
        logprobs = torch.log_softmax(logits, dim=-1) if scoring else None
        for i, (sequence, token) in enumerate(zip(rows, tokens)):
            if sequence.cancelled:
                self._finish(sequence, Event(), "cancelled")
                continue
            k = sequence.sampling.logprobs
            scored = self._token(token, logprobs[i], k) if k is not None else None
            if sequence.sampling.max_tokens == 0:  # echo only: the prompt scored, nothing generated
                self._finish(sequence, Event(), "length")
                continue
            if token in self.eos:  # what was held back for a stop string that never came goes out now
                self._finish(sequence, Event(), "stop", self._text(sequence))
                continue
            sequence.generated.append(token)
            sequence.next_token = token
            self.stats["generated_tokens"] += 1
            self._emit_text(sequence, scored)
        keep = [i for i, r in enumerate(self.rows) if not r.finished]
        if len(keep) < len(self.rows):
            self._select(keep)

    def _sample(self, rows: list[Sequence], logits: torch.Tensor) -> list[int]:
        greedy = logits.argmax(-1).tolist()
        out = list(greedy)
        sampled = [i for i, r in enumerate(rows) if r.sampling.temperature >= 1e-5]
        if not sampled:
            return out
        index = torch.tensor(sampled)
        temperature = torch.tensor([rows[i].sampling.temperature for i in sampled]).unsqueeze(1)
        probs = torch.softmax(logits[index] / temperature, dim=-1)
        top_p = torch.tensor([rows[i].sampling.top_p for i in sampled]).unsqueeze(1)
        if (top_p < 1).any():  # nucleus: keep the most probable tokens whose mass reaches top_p
            ordered, order = probs.sort(dim=-1, descending=True)
            outside = ordered.cumsum(-1) - ordered > top_p
            ordered = ordered.masked_fill(outside, 0)
            probs = torch.zeros_like(probs).scatter(-1, order, ordered)
            probs = probs / probs.sum(-1, keepdim=True)
        unseeded = [j for j, i in enumerate(sampled) if rows[i].generator is None]
        if unseeded:
            picks = torch.multinomial(probs[unseeded], 1, generator=self._generator).squeeze(1).tolist()
            for j, token in zip(unseeded, picks):
                out[sampled[j]] = token
        for j, i in enumerate(sampled):
            if rows[i].generator is not None:  # a seeded row draws from its own generator, whatever its batch
                out[i] = int(torch.multinomial(probs[j], 1, generator=rows[i].generator))
        return out

    def _token(self, token: int, logprobs: torch.Tensor, k: int) -> Token:
        """A token with its log-probability under `logprobs` (one position's) and its k most probable rivals."""
        top = []
        if k > 0:
            values, ids = logprobs.topk(k)
            top = [(self.tokenizer.decode([t]), float(v)) for t, v in zip(ids.tolist(), values.tolist())]
        return Token(self.tokenizer.decode([token]), float(logprobs[token]), top)

    def _prompt_tokens(self, sequence: Sequence, logits: torch.Tensor) -> list[Token]:
        """The prompt's tokens with the log-probability of each given the ones before (None for the first)."""
        ids = sequence.prompt_ids
        logprobs = torch.log_softmax(logits[:-1], dim=-1)
        k = sequence.sampling.logprobs or 0
        first = Token(self.tokenizer.decode([ids[0]]), None, [])
        return [first] + [self._token(token, logprobs[i], k) for i, token in enumerate(ids[1:])]

    def _text(self, sequence: Sequence) -> str:
        return self.tokenizer.decode(sequence.generated, skip_special_tokens=True)

    def _emit_text(self, sequence: Sequence, scored: Token | None) -> None:
        text = self._text(sequence)
        stops = [text.find(s) for s in sequence.sampling.stop if s and s in text]
        tokens = [scored] if scored is not None else []
        if stops:
            self._finish(sequence, Event(tokens=tokens), "stop", text[: min(stops)])
        elif len(sequence.generated) >= sequence.sampling.max_tokens:
            self._finish(sequence, Event(tokens=tokens), "length", text)
        else:
            # Hold back what may be the start of a stop string, or half of a character split across tokens.
            hold = max((len(s) - 1 for s in sequence.sampling.stop), default=0)
            safe = len(text) - hold
            while safe > sequence.sent and text[safe - 1] == "\ufffd":
                safe -= 1
            event = Event(text=text[sequence.sent : max(safe, sequence.sent)], tokens=tokens)
            sequence.sent = max(safe, sequence.sent)
            self._send(sequence, event)

    def _send(self, sequence: Sequence, event: Event) -> None:
        prompt = sequence.prompt_tokens
        if prompt is not None:
            event.prompt_tokens, sequence.prompt_tokens = prompt, None
        sequence.emit(event)

    def _finish(self, sequence: Sequence, event: Event, reason: str, text: str | None = None) -> None:
        if text is not None:
            event.text = text[sequence.sent :]
            sequence.sent = len(text)
        event.finish_reason = reason
        sequence.finished = True
        with self._wake:
            self.in_flight -= 1
        self.stats[f"finished_{reason}"] += 1
        self._send(sequence, event)

    def _select(self, keep: list[int]) -> None:
        """Keep only these rows of the batch, and cut the columns that are padding in every row left."""
        self.rows = [self.rows[i] for i in keep]
        if not self.rows:
            self.cache, self.mask = None, None
            return
        index = torch.tensor(keep)
        self.mask = self.mask[index]
        start = int((self.mask.sum(0) > 0).nonzero()[0])
        self.mask = self.mask[:, start:]
        for layer in self.cache.layers:
            layer.keys = layer.keys[index, :, start:]
            layer.values = layer.values[index, :, start:]


def wait_idle(engine: Engine, timeout: float = 10.0) -> None:
    """Block until the engine has nothing running or waiting (tests and shutdown)."""
    deadline = time.monotonic() + timeout
    while engine.in_flight and time.monotonic() < deadline:
        time.sleep(0.01)
