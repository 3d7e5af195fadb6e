"""afina's own generation path: load a trained run's result and generate greedy answers in batches.

Evaluation uses it today and serving will use it later, so it lives with the models, not in a stage.
"""

from __future__ import annotations

from pathlib import Path

import torch

from afina.config import Config
from afina.models import load_tokenizer


def load_trained(path: Path, config: Config, task: str = "generation", labels: list[str] | None = None):
    """Load a run's `adapter/` or `model/` folder, with its tokenizer, for inference."""
    from afina.methods import load_result

    tokenizer = load_tokenizer(str(path), config)
    return load_result(Path(path), config, task, labels).eval(), tokenizer


@torch.inference_mode()
def generate(model, tokenizer, prompts: list[list[dict]], max_new_tokens: int = 64, batch_size: int = 16,
             progress: str | None = None) -> list[str]:
    """Greedy completions for chat prompts (lists of {role, content}), decoded without special tokens.

    `progress` names a progress bar to show (None: no bar)."""
    from tqdm.auto import tqdm

    tokenizer.padding_side = "left"  # decoder-only models continue from the right edge
    outputs: list[str] = []
    starts = range(0, len(prompts), batch_size)
    for start in tqdm(starts, desc=progress, disable=progress is None, unit="batch"):
        texts = [tokenizer.apply_chat_template(p, add_generation_prompt=True, tokenize=False)
                 for p in prompts[start:start + batch_size]]
        batch = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
        generated = model.generate(**batch, max_new_tokens=max_new_tokens, do_sample=False,
                                   pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id)
        new_tokens = generated[:, batch["input_ids"].shape[1]:]
        outputs += [t.strip() for t in tokenizer.batch_decode(new_tokens, skip_special_tokens=True)]
    return outputs


@torch.inference_mode()
def generate_seq2seq(model, tokenizer, prompts: list[str], max_new_tokens: int = 64, batch_size: int = 16,
                     progress: str | None = None) -> list[str]:
    """Greedy outputs of an encoder-decoder model for plain-text inputs."""
    from tqdm.auto import tqdm

    outputs: list[str] = []
    for start in tqdm(range(0, len(prompts), batch_size), desc=progress, disable=progress is None, unit="batch"):
        batch = tokenizer(prompts[start:start + batch_size], return_tensors="pt", padding=True).to(model.device)
        generated = model.generate(**batch, max_new_tokens=max_new_tokens, do_sample=False,
                                   eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)
        outputs += [t.strip() for t in tokenizer.batch_decode(generated, skip_special_tokens=True)]
    return outputs


@torch.inference_mode()
def completion_loss(model, tokenizer, conversations: list[dict], batch_size: int = 16) -> float:
    """Mean negative log-likelihood per completion token, the prompt masked out as in training
    (every token for plain-text records)."""
    total, count = 0.0, 0
    for start in range(0, len(conversations), batch_size):
        ids, labels = [], []
        for conv in conversations[start:start + batch_size]:
            if "text" in conv:  # plain text: every token counts
                f = tokenizer(conv["text"], add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
                ids.append(f)
                labels.append(f)
                continue
            prompt = tokenizer.apply_chat_template(conv["prompt"], add_generation_prompt=True, tokenize=False)
            full = tokenizer.apply_chat_template(conv["prompt"] + conv["completion"], tokenize=False)
            p = tokenizer(prompt, add_special_tokens=False)["input_ids"]
            f = tokenizer(full, add_special_tokens=False)["input_ids"]
            ids.append(f)
            labels.append([-100] * len(p) + f[len(p):])
        width = max(len(x) for x in ids)
        pad = tokenizer.pad_token_id
        input_ids = torch.tensor([x + [pad] * (width - len(x)) for x in ids], device=model.device)
        mask = torch.tensor([[1] * len(x) + [0] * (width - len(x)) for x in ids], device=model.device)
        target = torch.tensor([y + [-100] * (width - len(y)) for y in labels], device=model.device)
        logits = model(input_ids=input_ids, attention_mask=mask).logits
        logits = logits[:, -width:][:, :-1].float()  # prompt tuning prepends virtual-token positions: drop them
        shifted = target[:, 1:]
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), shifted.reshape(-1),
                                                 ignore_index=-100, reduction="sum")
        total += loss.item()
        count += int((shifted != -100).sum())
    return total / max(count, 1)
