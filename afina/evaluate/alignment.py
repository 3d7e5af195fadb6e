"""Whether alignment made the policy better, and what it cost, on the test split's prompts:

- each model's answers judged by the reward model (`align.reward_model`): the mean reward, and the aligned
  policy's win rate against the model alignment started from (the base of the run: the SFT model), with 95%
  intervals — on `align.eval_samples` answers each samples per prompt at `align.temperature` (as the policy
  was trained and as a sampling server uses it; one seed), the i-th answer of one model against the i-th of
  the other, averaged per prompt so that the intervals resample prompts; beside, on greedy answers; with
  them, the reward model's own pairwise accuracy on the held-out pairs, so a win rate is read with how far
  its judge can be trusted;
- when `align.judge` names an OpenAI-compatible endpoint, the same win rate as that endpoint judges it, and
  the endpoint's agreement with the held-out pairs' human preferences beside it;
- the aligned policy's KL to that reference on the answers it samples (nats per answer);
- the task metric of a supervised run's test split (`align.task_run`) for both, and its drop;
- every sampled answer with its reward, per prompt (eval.json `alignment.samples`), to read what was won.
"""

from __future__ import annotations

import numpy as np
import torch

from afina.align.rewards import RewardModel
from afina.align.sampling import answer_logprobs, sample
from afina.config import Config
from afina.evaluate.judge import prefers
from afina.evaluate.regression import task_change
from afina.evaluate.stats import bootstrap_ci, mean_of
from afina.evaluate.tasks import score_generation, score_pairs, summarize
from afina.records import as_conversation
from afina.runfolder import RunFolder


def prepare(config: Config, records: list[dict]) -> dict | None:
    """What the alignment checks need once for both models (the judge, the prompts, the task records), or
    None without a reward model to judge by."""
    if not config.align.reward_model:
        return None
    judge = RewardModel.load(config.align.reward_model, config.model, config.evaluate.batch_size)
    prompts = [as_conversation(r, config.data.system_prompt)["prompt"] for r in records]
    task = RunFolder(config.align.task_run).read_split("test") if config.align.task_run else None
    judged, pairs = None, []
    if records and "rejected" in records[0]:  # held-out pairs: how often the judge itself agrees with people
        judged = summarize(score_pairs(judge.model, judge.tokenizer, records, config), config)
        pairs = [(p[-1]["content"], r["chosen"], r["rejected"]) for p, r in zip(prompts, records)]
    return {
        "judge": judge,
        "prompts": prompts,
        "pairs": pairs,
        "task": task,
        "judge_accuracy": judged,
        "samples": None,
    }


@torch.no_grad()
def measure(model, tokenizer, answers: list[str], context: dict, config: Config) -> dict:
    """One model: the rewards of its greedy `answers` and of answers it samples to the test prompts, and the
    log-probabilities it gives the aligned policy's samples (the policy is measured first)."""
    judge, size, a = context["judge"], config.evaluate.batch_size, config.align
    prompts = [p for p in context["prompts"] for _ in range(a.eval_samples)]
    torch.manual_seed(config.seed)
    sampled = [
        sample(model, tokenizer, prompts[i : i + size], a.max_new_tokens, a.temperature)
        for i in range(0, len(prompts), size)
    ]
    if context["samples"] is None:  # the policy's own: what its KL to the reference is measured on
        context["samples"] = sampled
    logprobs = [
        (answer_logprobs(model, s.sequences, s.attention, s.prompt_length, a.temperature) * s.mask).sum(1).tolist()
        for s in context["samples"]
    ]
    words = [w for s in sampled for w in s.answers]
    out = {
        "answers": words,
        "rewards": judge.score(prompts, words),
        "greedy_answers": answers,
        "greedy_rewards": judge.score(context["prompts"], answers),
        "logprobs": [x for batch in logprobs for x in batch],
    }
    if context["task"] is not None:
        out["task"] = score_generation(model, tokenizer, context["task"], config)
    return out


def report(tuned: dict, base: dict, context: dict, config: Config, metric: str, examples: int = 6) -> dict:
    """Mean rewards, win rate and KL with their intervals, the judge's accuracy, and the task's change."""
    samples, seed, n = config.evaluate.bootstrap_samples, config.seed, len(context["prompts"])
    t, b = np.asarray(tuned["rewards"]).reshape(n, -1), np.asarray(base["rewards"]).reshape(n, -1)
    tg, bg = np.asarray(tuned["greedy_rewards"]), np.asarray(base["greedy_rewards"])
    kl = np.asarray(tuned["logprobs"]) - np.asarray(base["logprobs"])

    def stat(values) -> dict:  # one value per prompt: the mean of its samples
        metric_fn = mean_of(list(np.reshape(values, (n, -1)).mean(1)))
        return {"value": metric_fn(np.arange(n)), "ci": bootstrap_ci(metric_fn, n, samples, seed)}

    def wins(x, y):
        return (x > y) + 0.5 * (x == y)  # a tie is half a win

    k = t.shape[1]
    out = {
        "judge": config.align.reward_model,
        "prompts": n,
        "samples_per_prompt": k,
        "temperature": config.align.temperature,
        "reward": {"tuned": stat(t), "base": stat(b)},
        "win_rate": stat(wins(t, b)),
        "greedy": {"reward": {"tuned": stat(tg), "base": stat(bg)}, "win_rate": stat(wins(tg, bg))},
        "kl": stat(kl),
        "judge_accuracy": context["judge_accuracy"],
        "examples": [  # each prompt's first sample
            {"prompt": p[-1]["content"], "tuned": ta, "base": ba, "tuned_reward": float(tr), "base_reward": float(br)}
            for p, ta, ba, tr, br in zip(
                context["prompts"], tuned["answers"][::k], base["answers"][::k], t[:, 0], b[:, 0]
            )
        ][:examples],
        "samples": [  # every sampled answer, per prompt, with its reward: what the win rate was counted on
            {
                "prompt": p[-1]["content"],
                "tuned": tuned["answers"][i * k : (i + 1) * k],
                "base": base["answers"][i * k : (i + 1) * k],
                "tuned_rewards": t[i].tolist(),
                "base_rewards": b[i].tolist(),
            }
            for i, p in enumerate(context["prompts"])
        ],
    }
    if config.align.judge:
        out["endpoint"] = endpoint_verdicts(tuned["answers"], base["answers"], context, config, stat)
    if "task" in tuned:
        out["task"] = task_change(config.align.task_run, metric, "sft", base["task"], tuned["task"], config)
    return out


def endpoint_verdicts(tuned: list[str], base: list[str], context: dict, config: Config, stat) -> dict:
    """The win rate as the `align.judge` endpoint judges the sampled answers (`stat`: per prompt, with its
    interval), and how often it prefers the chosen answer of a held-out pair."""
    requests = [p[-1]["content"] for p in context["prompts"]]
    k = len(tuned) // len(requests)
    wins = [prefers(config.align.judge, requests[i // k], t, b) for i, (t, b) in enumerate(zip(tuned, base))]
    agreement = [prefers(config.align.judge, *pair) for pair in context["pairs"]]
    return {
        "model": config.align.judge.model,
        "win_rate": stat(wins),
        "agreement": float(np.mean(agreement)) if agreement else None,
        "pairs": len(agreement),
    }
