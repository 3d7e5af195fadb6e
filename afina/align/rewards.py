"""The rewards an answer gets: a reward model's score (`RewardModel`), and Python reward functions scored
against the record's reference answer (`REWARD_FUNCTIONS`). PPO, RLOO and GRPO optimise them; evaluation
judges win rates by the reward model.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch

from afina.errors import ConfigError
from afina.textmetrics import exact_match, token_f1

# Reward functions by name, each (answer, reference) -> float: what `align.rewards` names.
REWARD_FUNCTIONS = {"exact_match": exact_match, "token_f1": token_f1}


def reward_model_path(path: str) -> Path:
    """The model folder of a reward model named by `align.reward_model`: a run folder of the reward objective
    (its result), or a sequence-classification model or adapter folder as it is."""
    folder = Path(path)
    summary = folder / "train_summary.json"
    if summary.is_file():
        trained = json.loads(summary.read_text())
        if trained["objective"] != "reward":
            raise ConfigError(
                f"{path} is a run of the {trained['objective']} objective, not a reward model (objective: reward)",
                key="align.reward_model",
            )
        return folder / trained["artifact"]
    if not (folder / "config.json").is_file() and not (folder / "adapter_config.json").is_file():
        raise ConfigError(
            f"{path} is neither a run folder of a reward model nor a model folder (no train_summary.json, "
            "config.json or adapter_config.json)",
            key="align.reward_model",
        )
    return folder


class RewardModel:
    """A reward model loaded for scoring: `score(prompts, answers)` is one float per answer."""

    def __init__(self, model, tokenizer, batch_size: int = 16):
        self.model, self.tokenizer, self.batch_size = model.eval(), tokenizer, batch_size
        for p in self.model.parameters():
            p.requires_grad_(False)

    @classmethod
    def load(cls, path: str, model_config, batch_size: int = 16) -> RewardModel:
        """Load the reward model at `path` (see reward_model_path) on CPU or the GPU the run uses."""
        from afina.models import load_model, load_tokenizer
        from afina.models.heads import SEQUENCE_CLASSIFICATION

        folder = reward_model_path(path)
        tokenizer = load_tokenizer(str(folder), model_config)
        adapter = folder / "adapter_config.json"
        if adapter.is_file():
            from peft import PeftModel

            base = json.loads(adapter.read_text())["base_model_name_or_path"]
            model = load_model(base, model_config, SEQUENCE_CLASSIFICATION, num_labels=1)
            model = PeftModel.from_pretrained(model, str(folder)).merge_and_unload()
        else:
            model = load_model(str(folder), model_config, SEQUENCE_CLASSIFICATION, num_labels=1)
        if model.config.num_labels != 1:
            raise ConfigError(
                f"{path} has {model.config.num_labels} outputs; a reward model has one", key="align.reward_model"
            )
        if model.config.pad_token_id is None:
            model.config.pad_token_id = tokenizer.pad_token_id
        if torch.cuda.is_available():
            model = model.cuda()
        return cls(model, tokenizer, batch_size)

    @torch.inference_mode()
    def score(self, prompts: list[list[dict]], answers: list[str]) -> list[float]:
        """The reward of each answer to its chat prompt, tokenized as TRL's RewardTrainer trained it (the
        whole conversation through the chat template)."""
        return score_conversations(
            self.model,
            self.tokenizer,
            [p + [{"role": "assistant", "content": a}] for p, a in zip(prompts, answers)],
            self.batch_size,
        )


@torch.inference_mode()
def score_conversations(model, tokenizer, conversations: list[list[dict]], batch_size: int = 16) -> list[float]:
    """A sequence-classification model's one output for each whole conversation (right-padded: the model
    reads its score at the last token that is not padding)."""
    tokenizer.padding_side = "right"
    scores: list[float] = []
    for start in range(0, len(conversations), batch_size):
        ids = [tokenizer.apply_chat_template(c, tokenize=True) for c in conversations[start : start + batch_size]]
        ids = [i["input_ids"] if hasattr(i, "keys") else i for i in ids]  # a BatchEncoding, or the ids
        batch = tokenizer.pad({"input_ids": ids}, return_tensors="pt").to(model.device)
        scores += model(**batch).logits[:, 0].float().tolist()
    return scores


def function_rewards(names: list[str], answers: list[str], references: list[str]) -> list[float]:
    """The sum of the named reward functions for each answer against its reference."""
    unknown = [n for n in names if n not in REWARD_FUNCTIONS]
    if unknown:
        raise ConfigError(
            f"unknown reward function {', '.join(unknown)}; afina has: {', '.join(REWARD_FUNCTIONS)}",
            key="align.rewards",
        )
    return [sum(REWARD_FUNCTIONS[n](a, r) for n in names) for a, r in zip(answers, references)]


def make_reward(align, model_config, batch_size: int = 16):
    """What PPO, RLOO and GRPO optimise, from the align: section: `reward(prompts, answers, references)` →
    the reward model's score of each answer plus the named reward functions against its reference."""
    if not align.reward_model and not align.rewards:
        raise ConfigError(
            "a policy-gradient objective needs a reward: align.reward_model (a reward-model run) or align.rewards "
            f"(reward functions: {', '.join(REWARD_FUNCTIONS)})",
            key="align.reward_model",
        )
    function_rewards(align.rewards, [], [])  # an unknown name fails now, not at the first rollout
    judge = RewardModel.load(align.reward_model, model_config, batch_size) if align.reward_model else None

    def reward(prompts: list[list[dict]], answers: list[str], references: list[str]) -> list[float]:
        scores = judge.score(prompts, answers) if judge else [0.0] * len(answers)
        return [s + f for s, f in zip(scores, function_rewards(align.rewards, answers, references))]

    return reward


def trl_reward_function(reward):
    """`reward(prompts, answers, references)` as TRL's GRPO/RLOO call a reward function: conversational
    completions, and the dataset's other columns (the references) as keyword arguments."""

    def afina_reward(prompts, completions, reference, **kwargs) -> list[float]:
        answers = [c[-1]["content"] if isinstance(c, list) else c for c in completions]
        return reward(prompts, [a.strip() for a in answers], reference)

    return afina_reward
