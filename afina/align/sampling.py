"""Answers sampled from a causal LM for chat prompts, cut at EOS, and their tokens' log-probabilities: what
PPO's rollouts and the evaluation of an aligned policy (its KL to the reference) both need."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass
class Sampled:
    """A batch of answers: prompt (left-padded) + answer (right-padded after EOS) token ids."""

    sequences: torch.Tensor
    attention: torch.Tensor
    prompt_length: int
    mask: torch.Tensor  # 1 on answer tokens up to and with EOS
    ended: torch.Tensor  # whether each answer reached EOS
    answers: list[str]


@torch.no_grad()
def sample(
    model, tokenizer, prompts: list[list[dict]], max_new_tokens: int, temperature: float = 1.0, greedy: bool = False
) -> Sampled:
    """An answer to each chat prompt: sampled at `temperature` from the full distribution, or greedy."""
    texts = [tokenizer.apply_chat_template(p, add_generation_prompt=True, tokenize=False) for p in prompts]
    tokenizer.padding_side = "left"
    batch = tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(model.device)
    was_training = model.training
    model.eval()
    how = {"do_sample": False} if greedy else {"do_sample": True, "temperature": temperature, "top_k": 0, "top_p": 1.0}
    generated = model.generate(
        **batch,
        **how,
        max_new_tokens=max_new_tokens,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    model.train(was_training)
    prompt_length = batch["input_ids"].shape[1]
    answer = generated[:, prompt_length:]
    is_eos = answer == tokenizer.eos_token_id
    ended = is_eos.any(1)
    first_eos = torch.where(ended, is_eos.int().argmax(1), answer.shape[1])
    mask = (torch.arange(answer.shape[1], device=answer.device)[None] <= first_eos[:, None]).float()
    answer = torch.where(mask.bool(), answer, tokenizer.pad_token_id)
    words = [w.strip() for w in tokenizer.batch_decode(answer, skip_special_tokens=True)]
    return Sampled(
        torch.cat([batch["input_ids"], answer], 1),
        torch.cat([batch["attention_mask"], mask.long()], 1),
        prompt_length,
        mask,
        ended,
        words,
    )


def answer_logprobs(
    model, sequences: torch.Tensor, attention: torch.Tensor, prompt_length: int, temperature: float = 1.0, hidden=False
):
    """Each answer token's log-probability under `model` at `temperature` [batch, answer tokens] (and, with
    `hidden`, the last hidden states at the positions that predict them). Positions count from each row's
    first real token, as generation counted them under left padding."""
    positions = (attention.cumsum(-1) - 1).clamp(min=0)
    out = model(input_ids=sequences, attention_mask=attention, position_ids=positions, output_hidden_states=hidden)
    logits = out.logits[:, prompt_length - 1 : -1].float() / temperature
    logprobs = torch.log_softmax(logits, -1).gather(-1, sequences[:, prompt_length:].unsqueeze(-1)).squeeze(-1)
    return (logprobs, out.hidden_states[-1][:, prompt_length - 1 : -1]) if hidden else logprobs
