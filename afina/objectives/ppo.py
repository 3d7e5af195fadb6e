"""RLHF with PPO, afina's own loop (afina/align/ppo.py): the policy samples answers to the training prompts,
the reward (`align.reward_model`, `align.rewards`) scores them, and a value head and a KL leash to the
reference (the model with its adapter off) turn that into clipped policy-gradient steps. Takes the prompts of
preference, prompt/completion or chat records; their answers are the references the reward functions use."""

from __future__ import annotations

from afina.models.heads import CAUSAL_LM
from afina.objectives.pairs import AUTO_FOR, CHECKS, METRIC, METRICS, SCORING, labels  # noqa: F401
from afina.objectives.sampled import RECORDS, examples  # noqa: F401

HEAD = CAUSAL_LM
SPEED = frozenset({"frozen_bf16"})  # its rollouts run under autocast too


def build_trainer(model, tokenizer, train, validation, config, args: dict, callbacks, switched):
    """afina's PPOTrainer, its best checkpoint the one with the highest mean validation reward."""
    from datasets import Dataset
    from transformers import TrainingArguments

    from afina.align.ppo import PPOTrainer
    from afina.align.rewards import make_reward

    settings = {
        **args,
        "include_num_input_tokens_seen": "no",  # the rollout counts what it generates and reads
        "remove_unused_columns": False,
        "metric_for_best_model": "eval_reward",
        "greater_is_better": True,
        **config.train.trl,
    }
    return PPOTrainer(
        model=model,
        args=TrainingArguments(**settings),
        train_dataset=Dataset.from_list(train),
        eval_dataset=Dataset.from_list(validation) if validation else None,
        processing_class=tokenizer,
        callbacks=callbacks,
        reward=make_reward(config.align, config.model, config.evaluate.batch_size),
        settings=config.align,
    )
