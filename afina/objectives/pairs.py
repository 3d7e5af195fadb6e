"""What the objectives that learn from preference pairs share: the pairs in TRL's conversational form, and
their trainers built the same way (one TRL trainer class and its config class each, `align:` settings mapped
onto the config's fields)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from afina.errors import DataError
from afina.objectives import TEXT_METRICS
from afina.records import as_conversation

if TYPE_CHECKING:
    from afina.config import Config

# What the direct preference objectives share (each imports these and adds its HEAD and build_trainer): what
# they train on and with, and how they are scored — the generated answer against the chosen one.
RECORDS = frozenset({"preference"})
AUTO_FOR = frozenset()
SPEED = frozenset({"frozen_bf16"})
SCORING = "answers"
METRIC = "token_f1"
METRICS = TEXT_METRICS
CHECKS = frozenset({"retain", "memorization", "safety", "bias", "alignment"})


def labels(train, validation, config) -> None:
    """A causal LM's head has no label set."""
    return None


def examples(records: list[dict], config: Config) -> list[dict]:
    """Conversational prompt/chosen/rejected."""
    return preference_examples(records, config)


def preference_examples(records: list[dict], config: Config, margins: bool = False) -> list[dict]:
    """Preference records in TRL's conversational form: prompt messages, and chosen and rejected each one
    assistant message. `margins`: a margin on every pair when any has one (0 where a pair has none, such
    as a planted canary), since a batch needs the column on all of its rows or none."""
    with_margin = margins and any("margin" in r for r in records)
    out = []
    for record in records:
        example = {
            "prompt": as_conversation(record, config.data.system_prompt)["prompt"],
            "chosen": [{"role": "assistant", "content": record["chosen"]}],
            "rejected": [{"role": "assistant", "content": record["rejected"]}],
        }
        if with_margin:
            example["margin"] = float(record.get("margin", 0.0))
        out.append(example)
    return out


def unpaired_examples(records: list[dict], config: Config) -> list[dict]:
    """Each pair as two unpaired examples, the chosen answer desirable and the rejected one not (KTO's form)."""
    out = []
    for example in preference_examples(records, config):
        out.append({"prompt": example["prompt"], "completion": example["chosen"], "label": True})
        out.append({"prompt": example["prompt"], "completion": example["rejected"], "label": False})
    return out


def builder(module: str, trainer: str, arguments: str, fields=lambda align: {}):
    """An objective's `build_trainer` for a TRL preference trainer: `module`'s trainer and arguments classes,
    given the shared training arguments, `max_length`, the fields `fields(config.align)` names, and
    `train.trl` over all of them. Imported when built, so declaring the objective loads no TRL."""

    def build_trainer(model, tokenizer, train, validation, config: Config, args: dict, callbacks, switched):
        import importlib

        from datasets import Dataset

        found = importlib.import_module(module)
        settings = {**args, "max_length": config.train.max_length, **fields(config.align), **config.train.trl}
        built = getattr(found, trainer)(
            model=model,
            args=getattr(found, arguments)(**settings),
            train_dataset=Dataset.from_list(train),
            eval_dataset=Dataset.from_list(validation) if validation else None,
            processing_class=tokenizer,
            callbacks=callbacks,
        )
        kept = len(built.train_dataset)
        if kept != len(train):  # TRL filters what is longer than max_length; afina drops no row unsaid
            raise DataError(
                f"{len(train) - kept} of {len(train)} training examples are longer than train.max_length "
                f"({config.train.max_length} tokens) and would be left out: raise train.max_length"
            )
        return built

    build_trainer.__doc__ = f"TRL's {trainer}."
    return build_trainer


def beta_and_loss(align, as_list: bool = False) -> dict:
    """`align.beta`, and `align.loss_type` where one is set (a list for the trainers that combine losses)."""
    loss = {"loss_type": [align.loss_type] if as_list else align.loss_type} if align.loss_type else {}
    return {"beta": align.beta, **loss}
