"""Whether alignment made the policy better, and what it cost, on the test split's prompts:

- each model's answers judged by the reward model (`align.reward_model`): the mean reward, and the aligned
  policy's win rate against the model alignment started from (the base of the run: the SFT model), with 95%
  intervals — on answers each samples at `align.temperature` (as the policy was trained and as a sampling
  server uses it; one seed), and, beside, on greedy answers; with them, the reward model's own pairwise
  accuracy on the held-out pairs, so a win rate is read with how far its judge can be trusted;
- the aligned policy's KL to that reference on the answers it samples (nats per answer);
- the task metric of a supervised run's test split (`align.task_run`) for both, and its drop.
"""

from __future__ import annotations

import numpy as np
import torch

from afina.align.rewards import RewardModel
from afina.align.sampling import answer_logprobs, sample
from afina.config import Config
from afina.evaluate.stats import bootstrap_ci, mean_of
from afina.evaluate.tasks import compare, score_generation, score_pairs, summarize
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
    judged = None
    if records and "rejected" in records[0]:  # held-out pairs: how often the judge itself agrees with people
        judged = summarize(score_pairs(judge.model, judge.tokenizer, records, config), config)
    return {"judge": judge, "prompts": prompts, "task": task, "judge_accuracy": judged, "samples": None}


@torch.no_grad()
def measure(model, tokenizer, answers: list[str], context: dict, config: Config) -> dict:
    """One model: the rewards of its greedy `answers` and of answers it samples to the test prompts, and the
    log-probabilities it gives the aligned policy's samples (the policy is measured first)."""
    judge, prompts, size, a = context["judge"], context["prompts"], config.evaluate.batch_size, config.align
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
        "greedy_rewards": judge.score(prompts, answers),
        "logprobs": [x for batch in logprobs for x in batch],
    }
    if context["task"] is not None:
        out["task"] = score_generation(model, tokenizer, context["task"], config)
    return out


def report(tuned: dict, base: dict, context: dict, config: Config, metric: str, examples: int = 6) -> dict:
    """Mean rewards, win rate and KL with their intervals, the judge's accuracy, and the task's change."""
    samples, seed = config.evaluate.bootstrap_samples, config.seed
    t, b = np.asarray(tuned["rewards"]), np.asarray(base["rewards"])
    tg, bg = np.asarray(tuned["greedy_rewards"]), np.asarray(base["greedy_rewards"])
    kl = np.asarray(tuned["logprobs"]) - np.asarray(base["logprobs"])
    n = len(t)

    def stat(values) -> dict:
        metric_fn = mean_of(list(values))
        return {"value": metric_fn(np.arange(n)), "ci": bootstrap_ci(metric_fn, n, samples, seed)}

    def wins(x, y):
        return (x > y) + 0.5 * (x == y)  # a tie is half a win

    out = {
        "judge": config.align.reward_model,
        "prompts": n,
        "temperature": config.align.temperature,
        "reward": {"tuned": stat(t), "base": stat(b)},
        "win_rate": stat(wins(t, b)),
        "greedy": {"reward": {"tuned": stat(tg), "base": stat(bg)}, "win_rate": stat(wins(tg, bg))},
        "kl": stat(kl),
        "judge_accuracy": context["judge_accuracy"],
        "examples": [
            {"prompt": p[-1]["content"], "tuned": ta, "base": ba, "tuned_reward": float(tr), "base_reward": float(br)}
            for p, ta, ba, tr, br in zip(context["prompts"], tuned["answers"], base["answers"], t, b)
        ][:examples],
    }
    if "task" in tuned:
        change = compare(base["task"], tuned["task"], config)
        out["task"] = {
            "run": config.align.task_run,
            "metric": metric,
            "tuned": summarize(tuned["task"], config),
            "base": summarize(base["task"], config),
            "change": change,
            "drop": -change[metric]["difference"],
        }
    return out
