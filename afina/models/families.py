"""Model families and tasks: what a base model is (decoder, encoder, encoder-decoder), which task it
trains for, and which transformers Auto class loads it for that task."""

from __future__ import annotations

from afina.errors import ConfigError

TASKS = ("generation", "classification", "seq2seq")
ENCODER_TYPES = {"bert", "distilbert", "roberta", "xlm-roberta", "camembert", "deberta", "deberta-v2", "electra",
                 "albert", "modernbert", "mpnet"}
# Modules that form a task head: trained in full (never adapted) by every method.
HEAD_NAMES = ("classifier", "pre_classifier", "score", "lm_head")


def family(model_config) -> str:
    if getattr(model_config, "is_encoder_decoder", False):
        return "encoder-decoder"
    architectures = getattr(model_config, "architectures", None) or []
    if model_config.model_type in ENCODER_TYPES or any("MaskedLM" in a for a in architectures):
        return "encoder"
    return "decoder"


def infer_task(model_config, data_kind: str | None, configured: str = "auto") -> str:
    """The task to train: set in the config, or read from the model's family (data_kind None: not known yet)."""
    kind = family(model_config)
    task = configured
    if task == "auto":
        task = {"encoder-decoder": "seq2seq", "encoder": "classification", "decoder": "generation"}[kind]
    if task == "seq2seq" and kind != "encoder-decoder":
        raise ConfigError(f"seq2seq needs an encoder-decoder model (T5 style); {model_config.model_type} is a {kind}",
                          key="train.task")
    if task == "generation" and kind == "encoder":
        raise ConfigError(f"{model_config.model_type} is an encoder: it classifies, it does not generate; use "
                          "text+label data or a decoder model", key="train.task")
    if task == "classification" and data_kind not in (None, "classification"):
        raise ConfigError(f"classification needs text+label data, the prepared data is {data_kind}", key="train.task")
    return task


def auto_class(task: str):
    import transformers

    return {"generation": transformers.AutoModelForCausalLM, "classification":
            transformers.AutoModelForSequenceClassification, "seq2seq": transformers.AutoModelForSeq2SeqLM}[task]


def peft_task_type(task: str) -> str:
    return {"generation": "CAUSAL_LM", "classification": "SEQ_CLS", "seq2seq": "SEQ_2_SEQ_LM"}[task]


def label_kwargs(labels: list[str] | None) -> dict:
    """from_pretrained() arguments that size a classification head for these labels (none without labels)."""
    if not labels:
        return {}
    return {"num_labels": len(labels), "id2label": dict(enumerate(labels)),
            "label2id": {label: i for i, label in enumerate(labels)}}
