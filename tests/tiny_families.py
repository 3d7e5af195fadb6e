"""Tiny models of every supported family, built from config with the tiny base's tokenizer, and the
probe whose logits must survive a save and a reload in a fresh process."""

from __future__ import annotations

import random
from pathlib import Path

import torch

DECODERS = ("llama", "gpt2", "qwen2", "mistral")
ENCODERS = ("bert", "distilbert", "roberta")
ENCODER_DECODERS = ("t5",)
FAMILY_OF = {
    **{t: "decoder" for t in DECODERS},
    **{t: "encoder" for t in ENCODERS},
    **{t: "encoder-decoder" for t in ENCODER_DECODERS},
}


def model_config(model_type: str, tokenizer):
    import transformers as tf

    v, pad, eos = len(tokenizer), tokenizer.pad_token_id, tokenizer.eos_token_id
    small = dict(num_hidden_layers=2, num_attention_heads=2, pad_token_id=pad, eos_token_id=eos)
    return {
        "llama": lambda: tf.LlamaConfig(
            vocab_size=v, hidden_size=64, intermediate_size=128, num_key_value_heads=2, **small
        ),
        "qwen2": lambda: tf.Qwen2Config(
            vocab_size=v, hidden_size=64, intermediate_size=128, num_key_value_heads=2, **small
        ),
        "mistral": lambda: tf.MistralConfig(
            vocab_size=v, hidden_size=64, intermediate_size=128, num_key_value_heads=2, head_dim=32, **small
        ),
        "gpt2": lambda: tf.GPT2Config(
            vocab_size=v,
            n_embd=64,
            n_layer=2,
            n_head=2,
            n_positions=256,
            bos_token_id=eos,
            eos_token_id=eos,
            pad_token_id=pad,
        ),
        "bert": lambda: tf.BertConfig(
            vocab_size=v, hidden_size=64, intermediate_size=128, max_position_embeddings=256, **small
        ),
        "roberta": lambda: tf.RobertaConfig(
            vocab_size=v, hidden_size=64, intermediate_size=128, max_position_embeddings=260, **small
        ),
        "distilbert": lambda: tf.DistilBertConfig(
            vocab_size=v, dim=64, hidden_dim=128, n_layers=2, n_heads=2, max_position_embeddings=256, pad_token_id=pad
        ),
        "t5": lambda: tf.T5Config(
            vocab_size=v,
            d_model=64,
            d_ff=128,
            d_kv=32,
            num_layers=2,
            num_heads=2,
            pad_token_id=pad,
            eos_token_id=eos,
            decoder_start_token_id=pad,
        ),
    }[model_type]()


def build_tiny(model_type: str, tokenizer_dir: Path, out: Path) -> Path:
    """A randomly initialised tiny model of this type, saved with the tokenizer as a model folder."""
    from transformers import AutoModel, AutoModelForCausalLM, AutoModelForMaskedLM, AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    auto = (
        {"decoder": AutoModelForCausalLM, "encoder": AutoModelForMaskedLM, "encoder-decoder": AutoModelForSeq2SeqLM}[
            FAMILY_OF[model_type]
        ]
        if model_type != "distilbert"
        else AutoModel
    )
    torch.manual_seed(0)
    model = auto.from_config(model_config(model_type, tokenizer))
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def write_reviews(path: Path, rows: int = 80) -> Path:
    """A small, imbalanced, bilingual sentiment set: 'pos' twice as often as 'neg'."""
    rng = random.Random(0)
    good = ["me encanta", "funciona genial", "muy buena compra", "great product", "works perfectly"]
    bad = ["no funciona", "muy mala calidad", "llegó roto", "terrible product", "broke after a day"]
    things = ["la cafetera", "la tostadora", "el envío", "the kettle", "the iron", "la plancha"]
    lines = ["text,label"]
    for i in range(rows):
        label = "neg" if i % 3 == 0 else "pos"
        lines.append(f"{rng.choice(things)} {rng.choice(bad if label == 'neg' else good)} {i},{label}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


PROBE = ["¿Cuánto cuesta la cafetera Brisa?", "la tostadora no funciona"]


@torch.no_grad()
def probe_logits(model, tokenizer, head: str) -> torch.Tensor:
    """Logits for a fixed input, in fp32, from a model in eval mode."""
    was_training = model.training
    model.eval()
    batch = tokenizer(PROBE, return_tensors="pt", padding=True)
    batch = {k: v.to(model.device) for k, v in batch.items() if k in ("input_ids", "attention_mask")}
    if head == "seq2seq_lm":
        batch["decoder_input_ids"] = batch["input_ids"][:, :4]
    logits = model(**batch).logits.float().cpu()
    model.train(was_training)
    return logits
