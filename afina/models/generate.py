"""Greedy generation and completion losses in batches, for any loaded model.

Evaluation uses it today and serving will use it later, so it lives with the models, not in a stage.
"""

from __future__ import annotations

import torch


@torch.inference_mode()
def generate_ids(
    model,
    tokenizer,
    texts: list[str],
    max_new_tokens: int = 64,
    batch_size: int = 16,
    progress: str | None = None,
    cache_implementation: str | None = None,
) -> list[list[int]]:
    """Greedy continuations of raw texts (already templated), as the new token ids up to EOS.

    `cache_implementation` is transformers' (None: its dynamic KV cache, which grows with the answers;
    "static" preallocates it for the longest answer; benchmarks/generate_speed.py compares the two)."""
    from tqdm.auto import tqdm

    tokenizer.padding_side = "left"  # decoder-only models continue from the right edge
    outputs: list[list[int]] = []
    for start in tqdm(range(0, len(texts), batch_size), desc=progress, disable=progress is None, unit="batch"):
        batch = tokenizer(
            texts[start : start + batch_size], return_tensors="pt", padding=True, add_special_tokens=False
        ).to(model.device)
        generated = model.generate(
            **batch,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            pad_token_id=tokenizer.pad_token_id,
            eos_token_id=tokenizer.eos_token_id,
            cache_implementation=cache_implementation,
        )
        for row in generated[:, batch["input_ids"].shape[1] :].tolist():
            outputs.append(row[: row.index(tokenizer.eos_token_id)] if tokenizer.eos_token_id in row else row)
    return outputs


def generate(
    model,
    tokenizer,
    prompts: list[list[dict]],
    max_new_tokens: int = 64,
    batch_size: int = 16,
    progress: str | None = None,
) -> list[str]:
    """Greedy completions for chat prompts (lists of {role, content}), decoded without special tokens.

    `progress` names a progress bar to show (None: no bar)."""
    texts = [tokenizer.apply_chat_template(p, add_generation_prompt=True, tokenize=False) for p in prompts]
    ids = generate_ids(model, tokenizer, texts, max_new_tokens, batch_size, progress)
    return [t.strip() for t in tokenizer.batch_decode(ids, skip_special_tokens=True)]


@torch.inference_mode()
def generate_seq2seq(
    model, tokenizer, prompts: list[str], max_new_tokens: int = 64, batch_size: int = 16, progress: str | None = None
) -> list[str]:
    """Greedy outputs of an encoder-decoder model for plain-text inputs."""
    from tqdm.auto import tqdm

    outputs: list[str] = []
    for start in tqdm(range(0, len(prompts), batch_size), desc=progress, disable=progress is None, unit="batch"):
        batch = tokenizer(prompts[start : start + batch_size], return_tensors="pt", padding=True).to(model.device)
        generated = model.generate(
            **batch,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
        )
        outputs += [t.strip() for t in tokenizer.batch_decode(generated, skip_special_tokens=True)]
    return outputs


@torch.inference_mode()
def completion_losses(
    model, tokenizer, conversations: list[dict], batch_size: int = 16
) -> tuple[list[float], list[int]]:
    """Per conversation: the summed negative log-likelihood of its completion tokens and their count, the
    prompt masked out as in training (every token for plain-text records)."""
    sums: list[float] = []
    counts: list[int] = []
    for start in range(0, len(conversations), batch_size):
        ids, labels = [], []
        for conv in conversations[start : start + batch_size]:
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
            labels.append([-100] * len(p) + f[len(p) :])
        width = max(len(x) for x in ids)
        pad = tokenizer.pad_token_id
        input_ids = torch.tensor([x + [pad] * (width - len(x)) for x in ids], device=model.device)
        mask = torch.tensor([[1] * len(x) + [0] * (width - len(x)) for x in ids], device=model.device)
        target = torch.tensor([y + [-100] * (width - len(y)) for y in labels], device=model.device)
        logits = model(input_ids=input_ids, attention_mask=mask).logits
        logits = logits[:, -width:][:, :-1].float()  # prompt tuning prepends virtual-token positions: drop them
        shifted = target[:, 1:]
        loss = torch.nn.functional.cross_entropy(logits.transpose(1, 2), shifted, ignore_index=-100, reduction="none")
        sums += loss.sum(1).tolist()
        counts += (shifted != -100).sum(1).tolist()
    return sums, counts
