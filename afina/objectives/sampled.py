"""What the objectives that learn from their own sampled answers share (PPO, and TRL's RLOO and GRPO): the
prompts they sample from, each with its reference answer for the reward functions, and the TRL trainers'
construction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from afina.errors import ConfigError
from afina.records import as_conversation

if TYPE_CHECKING:
    from afina.config import Config

RECORDS = frozenset({"preference", "prompt_completion", "chat"})
SPEED = frozenset()  # TRL's RLOO and GRPO sample outside autocast: no bf16 frozen weights (PPO declares its own)


def examples(records: list[dict], config: Config) -> list[dict]:
    """Each record's prompt (messages) and its reference answer (the chosen one, for a pair), numbered."""
    out = []
    for i, record in enumerate(records):
        conversation = as_conversation(record, config.data.system_prompt)
        out.append(
            {"index": i, "prompt": conversation["prompt"], "reference": conversation["completion"][-1]["content"]}
        )
    return out


def builder(trainer: str, arguments: str):
    """An objective's `build_trainer` for TRL's group-sampling trainers (RLOO, GRPO): `align.num_generations`
    answers per prompt at `align.temperature`, up to `align.max_new_tokens`, the KL coefficient `align.beta`,
    the reward from the align: section."""

    def build_trainer(model, tokenizer, train, validation, config: Config, args: dict, callbacks, switched):
        import trl
        from datasets import Dataset

        from afina.align.rewards import make_reward, trl_reward_function

        a = config.align
        for batch, key in ((args["per_device_train_batch_size"], "train.batch_size"),
                           (args["per_device_eval_batch_size"], "train.eval_batch_size")):  # fmt: skip
            if batch % a.num_generations:
                raise ConfigError(
                    f"{batch} prompts' answers per batch do not split into groups of align.num_generations "
                    f"({a.num_generations}): make {key} a multiple of it",
                    key=key,
                )
        settings = {
            **args,
            "num_generations": a.num_generations,
            "max_completion_length": a.max_new_tokens,
            "temperature": a.temperature,
            "beta": a.beta,
            "include_num_input_tokens_seen": "no",  # its batches hold prompts, not input ids: nothing to count
            **config.train.trl,
        }
        return getattr(trl, trainer)(
            model=model,
            reward_funcs=[trl_reward_function(make_reward(a, config.model, config.evaluate.batch_size))],
            args=getattr(trl, arguments)(**settings),
            train_dataset=Dataset.from_list(train),
            eval_dataset=Dataset.from_list(validation) if validation else None,
            processing_class=tokenizer,
            callbacks=callbacks,
        )

    build_trainer.__doc__ = f"TRL's {trainer}."
    return build_trainer
