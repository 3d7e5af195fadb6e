"""PPO for RLHF (Ouyang et al., 2022), afina's own: no maintained library ships it for this stack (TRL
removed its PPO trainer and value-head models in 2026).

One batch of prompts at a time: the policy samples answers; the reward is the reward model's score (and
any reward functions) at the answer's last token, less a per-token KL penalty against the frozen reference
(adapter off, for LoRA: one copy of the weights); a value head on the policy's last hidden state estimates
returns (it reads the policy's features without training them); advantages by GAE, whitened; then
`align.ppo_epochs` optimizer steps on the clipped policy and value losses of that batch. The implementation
details follow Huang et al., "The N+ implementation details of RLHF with PPO" (2024): whitened advantages
(rewards optionally), answers cut at EOS, a penalty for an answer that never ends, an adaptive KL
coefficient (Ziegler et al., 2019).

The loss pieces are plain functions of tensors (tested against hand-computed values); `PPOTrainer` is a
transformers Trainer, so checkpoints, logging, callbacks and resume work as for every other objective.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn
from transformers import Trainer

from afina.align.sampling import answer_logprobs, sample


def masked_mean(x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The mean of x where mask is 1."""
    return (x * mask).sum() / mask.sum().clamp(min=1)


def whiten(x: torch.Tensor, mask: torch.Tensor, shift_mean: bool = True) -> torch.Tensor:
    """x scaled to unit variance over the masked positions (and centred, unless `shift_mean` is False, as
    for rewards, whose sign matters); masked-out positions come out 0."""
    mean = masked_mean(x, mask)
    variance = masked_mean((x - mean) ** 2, mask) * mask.sum() / (mask.sum() - 1).clamp(min=1)  # unbiased
    out = (x - mean) * torch.rsqrt(variance + 1e-8)
    if not shift_mean:
        out = out + mean
    return out * mask


def gae(
    rewards: torch.Tensor, values: torch.Tensor, mask: torch.Tensor, gamma: float, lam: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """Generalised advantage estimation over each answer's tokens [batch, tokens]: (advantages, returns).
    Past an answer's end (mask 0) rewards and values are taken as 0, so the last token's advantage is its
    reward minus its value."""
    rewards, values = rewards * mask, values * mask
    advantages = torch.zeros_like(rewards)
    running = torch.zeros_like(rewards[:, 0])
    for t in reversed(range(rewards.shape[1])):
        next_value = values[:, t + 1] if t + 1 < rewards.shape[1] else torch.zeros_like(running)
        delta = rewards[:, t] + gamma * next_value - values[:, t]
        running = delta + gamma * lam * running
        advantages[:, t] = running
    advantages = advantages * mask
    return advantages, advantages + values


def policy_loss(
    logprobs: torch.Tensor, old_logprobs: torch.Tensor, advantages: torch.Tensor, mask: torch.Tensor, clip: float
) -> tuple[torch.Tensor, dict]:
    """PPO's clipped surrogate, as a loss to minimise: mean of max(−A·ρ, −A·clip(ρ, 1−ε, 1+ε)), ρ the ratio of
    new to old probabilities. Where the clipped side wins the gradient is zero: a step never pushes the
    ratio further out of the range. Returns (loss, {clipfrac, approx_kl})."""
    ratio = torch.exp(logprobs - old_logprobs)
    unclipped = -advantages * ratio
    clipped = -advantages * torch.clamp(ratio, 1 - clip, 1 + clip)
    loss = masked_mean(torch.max(unclipped, clipped), mask)
    with torch.no_grad():
        stats = {
            "clipfrac": masked_mean((clipped > unclipped).float(), mask).item(),
            "approx_kl": masked_mean(0.5 * (logprobs - old_logprobs) ** 2, mask).item(),
        }
    return loss, stats


def value_loss(
    values: torch.Tensor, old_values: torch.Tensor, returns: torch.Tensor, mask: torch.Tensor, clip: float
) -> torch.Tensor:
    """The clipped value loss: half the mean of max((V − R)², (clip(V, V_old ± ε) − R)²)."""
    clipped = old_values + torch.clamp(values - old_values, -clip, clip)
    return 0.5 * masked_mean(torch.max((values - returns) ** 2, (clipped - returns) ** 2), mask)


def token_rewards(
    scores: torch.Tensor, logprobs: torch.Tensor, ref_logprobs: torch.Tensor, mask: torch.Tensor, kl_coef: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-token rewards: −kl_coef·(log π − log π_ref) at every answer token, plus the answer's score at its
    last token. Returns (rewards, each answer's KL to the reference, summed over its tokens)."""
    kl = (logprobs - ref_logprobs) * mask
    rewards = -kl_coef * kl
    last = (mask.sum(1).long() - 1).clamp(min=0)
    rewards[torch.arange(len(scores)), last] += scores
    return rewards * mask, kl.sum(1)


class KLController:
    """The KL coefficient: fixed at `value`, or, with a `target` KL (nats per answer), adapted towards it:
    value ← value·(1 + clip(KL/target − 1, ±0.2)·n/horizon) after n samples (Ziegler et al., 2019)."""

    def __init__(self, value: float, target: float | None = None, horizon: int = 10000):
        self.value, self.target, self.horizon = value, target, horizon

    def update(self, kl: float, samples: int) -> None:
        """After `samples` answers whose mean KL was `kl`."""
        if self.target is None:
            return
        error = max(-0.2, min(0.2, kl / self.target - 1))
        self.value *= 1 + error * samples / self.horizon


@dataclass
class Rollout:
    """One batch of sampled answers with everything the PPO epochs on it need (tensors [batch, answer tokens])."""

    key: tuple
    sequences: torch.Tensor  # prompt (left-padded) + answer (right-padded)
    attention: torch.Tensor
    prompt_length: int
    mask: torch.Tensor  # 1 on answer tokens up to and with EOS
    logprobs: torch.Tensor
    values: torch.Tensor
    advantages: torch.Tensor
    returns: torch.Tensor
    uses: int = 0


class ValueHead(nn.Module):
    """A scalar value per position, from the policy's last hidden state."""

    def __init__(self, hidden_size: int):
        super().__init__()
        self.summary = nn.Linear(hidden_size, 1)
        nn.init.zeros_(self.summary.weight)
        nn.init.zeros_(self.summary.bias)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.summary(hidden.to(self.summary.weight.dtype)).squeeze(-1)


class RepeatedBatches(torch.utils.data.Sampler):
    """Shuffled batches of prompt indices, each given `times` times in a row: the Trainer's steps on one
    rollout. A short last batch is filled from the start, so every prompt is sampled each pass."""

    def __init__(self, size: int, batch_size: int, times: int, seed: int):
        self.size, self.batch_size, self.times, self.seed, self.epoch = size, batch_size, times, seed, 0

    def __len__(self) -> int:
        return math.ceil(self.size / self.batch_size) * self.batch_size * self.times

    def __iter__(self):
        generator = torch.Generator().manual_seed(self.seed + self.epoch)
        self.epoch += 1
        order = torch.randperm(self.size, generator=generator).tolist()
        order += order[: (-len(order)) % self.batch_size]
        for start in range(0, len(order), self.batch_size):
            for _ in range(self.times):
                yield from order[start : start + self.batch_size]


VALUE_HEAD_FILE = "value_head.safetensors"


class PPOTrainer(Trainer):
    """PPO on a causal LM with a value head, as a transformers Trainer: a rollout per batch of prompts, then
    `ppo_epochs` optimizer steps on it. `reward(prompts, answers, references) -> list[float]` scores answers;
    `settings` is the config's align: section."""

    def __init__(self, model, args, train_dataset, eval_dataset, processing_class, callbacks, reward, settings):
        self.settings, self.reward = settings, reward
        self.kl = KLController(settings.beta, settings.kl_target, settings.kl_horizon)
        self.rollout: Rollout | None = None
        self.logged: dict[str, list[float]] = {}
        self.peft = hasattr(model, "disable_adapter")
        # the frozen reference: the same weights with the adapter off, or (full fine-tuning) a copy
        self.reference = None if self.peft else _frozen_copy(model)
        model.afina_value_head = ValueHead(model.config.hidden_size).to(model.device)
        super().__init__(
            model=model,
            args=args,
            train_dataset=train_dataset,
            eval_dataset=eval_dataset,
            processing_class=processing_class,
            callbacks=callbacks,
            data_collator=_collate,
        )

    # --- the Trainer's hooks ---
    def _get_train_sampler(self, train_dataset=None):
        dataset = train_dataset if train_dataset is not None else self.train_dataset
        return RepeatedBatches(
            len(dataset), self.args.per_device_train_batch_size, self.settings.ppo_epochs, self.args.seed
        )

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        key = tuple(inputs["index"].tolist())
        if self.rollout is None or self.rollout.key != key or self.rollout.uses >= self.settings.ppo_epochs:
            with self.accelerator.autocast():  # sampled as trained: bf16 frozen weights need bf16 autocast
                self.rollout = self._roll_out(model, inputs, key)
        r = self.rollout
        r.uses += 1
        logprobs, values = self._forward(model, r.sequences, r.attention, r.prompt_length, with_values=True)
        advantages = whiten(r.advantages, r.mask)
        pg_loss, stats = policy_loss(logprobs, r.logprobs, advantages, r.mask, self.settings.clip_range)
        vf_loss = value_loss(values, r.values, r.returns, r.mask, self.settings.value_clip_range)
        self._note(policy_loss=pg_loss.item(), value_loss=vf_loss.item(), **stats)
        return pg_loss + self.settings.value_coef * vf_loss

    def log(self, logs: dict, start_time: float | None = None) -> None:
        if "loss" in logs:  # a training log: add the means of what the steps since the last one measured
            logs = {**logs, **{k: sum(v) / len(v) for k, v in self.logged.items()}}
            self.logged = {}
        super().log(logs, start_time)

    def evaluate(self, eval_dataset=None, ignore_keys=None, metric_key_prefix: str = "eval") -> dict:
        """The mean reward and KL to the reference of greedy answers to the validation prompts."""
        dataset = eval_dataset if eval_dataset is not None else self.eval_dataset
        rewards, kls = [], []
        size = self.args.per_device_eval_batch_size
        for start in range(0, len(dataset), size):
            batch = _collate([dataset[i] for i in range(start, min(start + size, len(dataset)))])
            with self.accelerator.autocast():
                scores, kl = self._score_greedy(self.model, batch)
            rewards += scores.tolist()
            kls += kl.tolist()
        metrics = {
            f"{metric_key_prefix}_reward": sum(rewards) / len(rewards),
            f"{metric_key_prefix}_kl": sum(kls) / len(kls),
        }
        self.log(metrics)
        self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics)
        return metrics

    def _save(self, output_dir: str | None = None, state_dict=None) -> None:
        from safetensors.torch import save_file

        super()._save(output_dir, state_dict)
        head = self.model.afina_value_head.state_dict()
        save_file(
            {k: v.contiguous() for k, v in head.items()}, f"{output_dir or self.args.output_dir}/{VALUE_HEAD_FILE}"
        )

    def _load_from_checkpoint(self, resume_from_checkpoint, model=None):
        from safetensors.torch import load_file

        super()._load_from_checkpoint(resume_from_checkpoint, model)
        self.model.afina_value_head.load_state_dict(load_file(f"{resume_from_checkpoint}/{VALUE_HEAD_FILE}"))

    def train(self, *args, **kwargs):
        try:
            return super().train(*args, **kwargs)
        finally:  # the value head only serves training: the saved policy is a plain causal LM
            if hasattr(self.model, "afina_value_head"):
                del self.model.afina_value_head

    # --- PPO ---
    def _note(self, **values: float) -> None:
        for k, v in values.items():
            self.logged.setdefault(k, []).append(v)

    def _forward(self, model, sequences, attention, prompt_length: int, with_values: bool = False):
        """Log-probabilities of the answer tokens (and the values at the positions that predict them)."""
        out = answer_logprobs(model, sequences, attention, prompt_length, self.settings.temperature, with_values)
        if not with_values:
            return out
        logprobs, hidden = out
        # The head reads the policy's features but does not train them: through a shared backbone the value
        # loss pulled the policy far from its reference on the demo (docs/demo.md).
        return logprobs, self.model.afina_value_head(hidden.detach()).float()

    @torch.no_grad()
    def _reference_logprobs(self, model, sequences, attention, prompt_length: int) -> torch.Tensor:
        if self.reference is not None:
            return self._forward(self.reference, sequences, attention, prompt_length)
        with self.accelerator.unwrap_model(model).disable_adapter():
            return self._forward(model, sequences, attention, prompt_length)

    @torch.no_grad()
    def _sample(self, model, inputs, greedy: bool = False):
        """Answers to the batch's prompts, cut at EOS, and their scores (less the penalty for not ending):
        (sequences, attention, prompt length, answer mask, ended, scores)."""
        s = sample(
            self.accelerator.unwrap_model(model),
            self.processing_class,
            inputs["prompt"],
            self.settings.max_new_tokens,
            self.settings.temperature,
            greedy,
        )
        scores = torch.tensor(self.reward(inputs["prompt"], s.answers, inputs["reference"]), device=model.device)
        scores = scores.float()
        if self.settings.missing_eos_penalty is not None:
            scores = scores - self.settings.missing_eos_penalty * (~s.ended).float()
        return s.sequences, s.attention, s.prompt_length, s.mask, s.ended, scores

    @torch.no_grad()
    def _score_greedy(self, model, inputs) -> tuple[torch.Tensor, torch.Tensor]:
        """Greedy answers' scores and KL to the reference (summed over each answer's tokens)."""
        sequences, attention, prompt_length, mask, _, scores = self._sample(model, inputs, greedy=True)
        logprobs = self._forward(model, sequences, attention, prompt_length)
        ref_logprobs = self._reference_logprobs(model, sequences, attention, prompt_length)
        return scores, ((logprobs - ref_logprobs) * mask).sum(1)

    @torch.no_grad()
    def _roll_out(self, model, inputs, key: tuple) -> Rollout:
        sequences, attention, prompt_length, mask, ended, scores = self._sample(model, inputs)
        self.state.num_input_tokens_seen += int(attention.sum().item())  # what training read, not evaluation
        logprobs, values = self._forward(model, sequences, attention, prompt_length, with_values=True)
        ref_logprobs = self._reference_logprobs(model, sequences, attention, prompt_length)
        rewards, kl = token_rewards(scores, logprobs, ref_logprobs, mask, self.kl.value)
        if self.settings.whiten_rewards:
            rewards = whiten(rewards, mask, shift_mean=False)
        advantages, returns = gae(rewards, values * mask, mask, self.settings.gamma, self.settings.lam)
        self._note(
            score=scores.mean().item(),
            kl=kl.mean().item(),
            kl_coef=self.kl.value,
            answer_tokens=mask.sum(1).mean().item(),
            ended=ended.float().mean().item(),
        )
        self.kl.update(kl.mean().item(), len(scores))
        return Rollout(key, sequences, attention, prompt_length, mask, logprobs, values * mask, advantages, returns)


def _frozen_copy(model):
    import copy

    reference = copy.deepcopy(model).eval()
    for p in reference.parameters():
        p.requires_grad_(False)
    return reference


def _collate(rows: list[dict]) -> dict:
    """Prompts stay messages and references text: the rollout tokenizes what it samples."""
    return {
        "index": torch.tensor([r["index"] for r in rows]),
        "prompt": [r["prompt"] for r in rows],
        "reference": [r["reference"] for r in rows],
    }
