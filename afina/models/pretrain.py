"""`afina pretrain`: train a byte-level BPE tokenizer and a small Llama-architecture causal LM
from scratch by next-token prediction, saved as a standard transformers folder.

It is the base model of the demo and of the tests, because nothing can be downloaded here.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Literal

import torch
from pydantic import Field

from afina.errors import ConfigError
from afina.hardware import use_bf16
from afina.models import ModelConfig, builtin_path, is_builtin, resolve_base
from afina.models.corpus import generate_corpus, generate_dialogues
from afina.runfolder import atomic_dir
from afina.settings import Section
from afina.terminal import bars, show_progress

SPECIAL_TOKENS = ["<|endoftext|>", "<|pad|>", "<|im_start|>", "<|im_end|>"]
# ChatML: the prompt rendered with add_generation_prompt is a prefix of prompt + completion,
# which is what TRL needs to mask the prompt out of the loss.
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
MARKER = "afina_pretrain.json"


class PretrainConfig(Section):
    corpus: str = Field(
        "builtin", description="'builtin' (a general corpus afina generates) or a path to a UTF-8 text file."
    )
    corpus_sentences: int = Field(60000, ge=100, description="How many sentences the builtin corpus generates.")
    vocab_size: int = Field(4096, ge=300, description="Byte-level BPE vocabulary size.")
    hidden_size: int = Field(256, ge=8, description="Model width.")
    num_layers: int = Field(4, ge=1, description="Transformer blocks.")
    num_heads: int = Field(4, ge=1, description="Attention heads.")
    intermediate_size: int = Field(688, ge=8, description="MLP width.")
    block_size: int = Field(128, ge=16, description="Training sequence length (tokens).")
    max_steps: int = Field(400, ge=1, description="Optimizer steps of next-token prediction.")
    batch_size: int = Field(32, ge=1, description="Sequences per step.")
    learning_rate: float = Field(2e-3, gt=0, description="Peak learning rate (cosine schedule).")
    bf16: bool | Literal["auto"] = Field(
        "auto", description="bf16 autocast; auto: on where the CPU (AVX512-BF16/AMX) or GPU computes bf16 natively."
    )
    seed: int = Field(
        42,
        description="Seed of the corpus, the initialisation and the order of pretraining; apart from the run's "
        "`seed`, so that a fine-tuning run's seed never changes its base. A base is cached per recipe.",
    )


def read_corpus(cfg: PretrainConfig, seed: int) -> list[str]:
    if cfg.corpus == "builtin":
        return generate_corpus(cfg.corpus_sentences, seed)
    path = Path(cfg.corpus)
    if not path.is_file():
        raise ConfigError(f"corpus file not found: {path}", key="pretrain.corpus")
    paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    if not paragraphs:
        raise ConfigError(f"corpus file is empty: {path}", key="pretrain.corpus")
    return paragraphs


def pretraining_dialogues(cfg: PretrainConfig, texts: list[str], facts: bool = False) -> list[tuple]:
    """The general-knowledge dialogues a base is pretrained on beside its corpus `texts`, in chat form (with
    `facts`, each with the fact it asks about: afina.models.corpus.generate_dialogues)."""
    return generate_dialogues(max(1, len(texts) // 4), cfg.seed, facts)


def train_tokenizer(texts: list[str], vocab_size: int):
    """A byte-level BPE tokenizer (GPT-2 style) with a ChatML chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<|endoftext|>",
        eos_token="<|im_end|>",
        pad_token="<|pad|>",
        unk_token=None,
    )
    wrapped.chat_template = CHAT_TEMPLATE
    return wrapped


def build_model(cfg: PretrainConfig, tokenizer, seed: int):
    """A Llama-architecture causal LM sized by the config, initialised from the seed."""
    from transformers import LlamaConfig, LlamaForCausalLM

    if cfg.hidden_size % cfg.num_heads:
        raise ConfigError(
            f"hidden_size {cfg.hidden_size} must be a multiple of num_heads {cfg.num_heads}", key="pretrain.num_heads"
        )
    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=cfg.hidden_size,
        intermediate_size=cfg.intermediate_size,
        num_hidden_layers=cfg.num_layers,
        num_attention_heads=cfg.num_heads,
        num_key_value_heads=cfg.num_heads,
        max_position_embeddings=max(512, cfg.block_size * 4),
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return LlamaForCausalLM(config)


def _blocks(texts: list[str], tokenizer, block_size: int) -> torch.Tensor:
    ids: list[int] = []
    for text in texts:
        ids.extend(tokenizer(text, add_special_tokens=False)["input_ids"])
        ids.append(tokenizer.convert_tokens_to_ids("<|endoftext|>"))
    usable = len(ids) // block_size * block_size
    return torch.tensor(ids[:usable]).view(-1, block_size)


def pretrain(cfg: PretrainConfig, out_dir: Path, quiet: bool = False) -> Path:
    """Build the tokenizer and the model, train them, and save to out_dir (atomically)."""
    from transformers import Trainer, TrainingArguments, set_seed

    seed = cfg.seed
    set_seed(seed)
    texts = read_corpus(cfg, seed)
    tokenizer = train_tokenizer(texts, cfg.vocab_size)
    chats = [
        tokenizer.apply_chat_template(
            [{"role": "user", "content": q}, {"role": "assistant", "content": a}], tokenize=False
        )
        for q, a in pretraining_dialogues(cfg, texts)
    ]
    blocks = _blocks(texts + chats, tokenizer, cfg.block_size)
    order = torch.randperm(len(blocks), generator=torch.Generator().manual_seed(seed))
    dataset = [{"input_ids": b, "labels": b} for b in blocks[order]]
    model = build_model(cfg, tokenizer, seed)

    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as tmp:
        args = TrainingArguments(
            output_dir=str(tmp / "checkpoints"),
            max_steps=cfg.max_steps,
            per_device_train_batch_size=cfg.batch_size,
            learning_rate=cfg.learning_rate,
            lr_scheduler_type="cosine",
            warmup_steps=max(1, cfg.max_steps // 20),
            weight_decay=0.01,
            logging_steps=max(1, cfg.max_steps // 20),
            save_strategy="no",
            report_to=[],
            seed=seed,
            disable_tqdm=not bars(quiet),
            use_cpu=not torch.cuda.is_available(),
            dataloader_drop_last=True,
            bf16=use_bf16(cfg.bf16),
        )
        trainer = Trainer(model=model, args=args, train_dataset=dataset)
        show_progress(trainer, quiet)
        result = trainer.train()
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        shutil.rmtree(tmp / "checkpoints", ignore_errors=True)  # only the final weights ship
        (tmp / MARKER).write_text(
            json.dumps(
                {
                    "pretrain": cfg.model_dump(mode="json"),
                    "seed": seed,
                    "train_loss": result.training_loss,
                    "parameters": model.num_parameters(),
                    "tokens_seen": cfg.max_steps * cfg.batch_size * cfg.block_size,
                },
                indent=2,
            )
            + "\n"
        )
    return out_dir


def builtin_is_current(model: ModelConfig, cfg: PretrainConfig) -> bool:
    """True when the afina: base of this recipe is built (its folder holds the recipe it was built from)."""
    marker = builtin_path(model.base_model, cfg) / MARKER
    if not marker.is_file():
        return False
    return json.loads(marker.read_text())["pretrain"] == cfg.model_dump(mode="json")


def ensure_base(model: ModelConfig, cfg: PretrainConfig, quiet: bool = False) -> str:
    """Pretrain the afina: base of this recipe when it is not built yet; return what to load."""
    target = builtin_path(model.base_model, cfg) if is_builtin(model) else None
    if target is not None and not builtin_is_current(model, cfg):
        if not quiet:
            print(f"Pretraining the base model {model.base_model} (cached in {target})")
        pretrain(cfg, target, quiet=quiet)
    return resolve_base(model, cfg)
